"""Golden scripts: every case renders to its reviewed file, byte for byte, shellcheck-clean.

After a deliberate change: python tests/golden/regen.py, then review the diff.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from golden.regen import cases, render

CASES = list(cases())


@pytest.mark.parametrize("spec, golden, options", CASES, ids=[c[1].rsplit("/", 1)[1] for c in CASES])
def test_rendered_script_matches_golden(spec, golden, options):
    rendered = render(spec, options)
    assert rendered == render(spec, options), "rendering is not deterministic"
    with open(golden) as f:
        assert rendered == f.read(), f"{golden} is stale: run python tests/golden/regen.py and review the diff"


def test_goldens_pass_shellcheck():
    goldens = [golden for _, golden, _ in CASES]
    result = subprocess.run(["shellcheck", "--severity=style", *goldens], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_goldens_parse_as_bash():
    for _, golden, _ in CASES:
        assert subprocess.run(["bash", "-n", golden]).returncode == 0, golden
