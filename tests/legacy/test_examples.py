"""The examples under examples/legacy/ translate cleanly, and the straight-line ones become specs."""

from __future__ import annotations

import glob
import os
import subprocess

import pytest

from netscript.frontends.legacy.model import Options
from netscript.frontends.legacy.reader import read_script
from netscript.frontends.legacy.rewrite import translate_script
from netscript.source import Source
from netscript.validate import validate

from .harness import have

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = sorted(glob.glob(os.path.join(REPO, "examples", "legacy", "*.sh")))
TEAM = {"old-team.sh"}
STRAIGHT = {"old-bridge.sh", "old-vlan.sh"}


def test_there_are_examples():
    assert {os.path.basename(p) for p in EXAMPLES} >= TEAM | STRAIGHT | {"old-bond.sh"}


@pytest.mark.parametrize("path", EXAMPLES, ids=os.path.basename)
def test_example_translates_completely(path, tmp_path):
    with open(path) as f:
        text = f.read()
    result = translate_script(text, path, Options(team_as_bond=os.path.basename(path) in TEAM))
    assert result.translated and result.left == 0, result.diagnostics
    assert not any(d.is_error for d in result.diagnostics)
    out = tmp_path / os.path.basename(path)
    out.write_text(result.text)
    assert subprocess.run(["bash", "-n", str(out)], check=False).returncode == 0
    if have("shellcheck"):
        proc = subprocess.run(["shellcheck", "-S", "warning", str(out)], capture_output=True, text=True, check=False)
        assert proc.returncode == 0, proc.stdout


@pytest.mark.parametrize("name", sorted(STRAIGHT))
def test_straight_line_example_becomes_a_valid_spec(name):
    path = os.path.join(REPO, "examples", "legacy", name)
    with open(path) as f:
        loaded = read_script(Source(path, f.read()))
    assert loaded.program is not None and validate(loaded.program) == []
