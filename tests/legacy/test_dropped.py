"""Commands with nothing left to do are dropped with a note, never left as a bare `:`.

``brctl setgcint``: the kernel has had no bridge garbage-collection interval since 2.6.
brctl 1.7 does not know the subcommand and older brctl got EOPNOTSUPP, so the line
only ever failed; the translation removes it (info NS401, "dropped"), and leaves it
where the script tests that failure.
"""

from __future__ import annotations

import subprocess

import pytest

from netscript.diagnostics import Severity
from netscript.frontends.legacy.model import Options
from netscript.frontends.legacy.rewrite import translate_script

from .harness import have


def _translate(text: str):
    return translate_script(text, "t.sh", Options())


def test_setgcint_on_its_own_line_is_removed_with_an_info_note():
    result = _translate("brctl addbr br0\n    brctl setgcint br0 4 2>/dev/null\nbrctl stp br0 on\n")
    assert result.text == "ip link add name br0 type bridge\nip link set dev br0 type bridge stp_state 1\n"
    dropped = [d for d in result.diagnostics if d.message.startswith("dropped")]
    assert len(dropped) == 1 and dropped[0].severity is Severity.INFO and dropped[0].span.line == 2
    assert "garbage-collection" in dropped[0].hint
    assert result.translated == 3 and result.left == 0


@pytest.mark.parametrize(
    "legacy,expected",
    [
        # the only command of a branch: the branch needs one
        ("if [ -n \"$X\" ]; then\n  brctl setgcint br0 4\nfi\n", "if [ -n \"$X\" ]; then\n  true\nfi\n"),
        ("x; brctl setgcint br0 4; y\n", "x; true; y\n"),
    ],
)
def test_setgcint_sharing_its_line_or_alone_in_a_block_becomes_true(legacy, expected):
    result = _translate(legacy)
    assert result.text == expected
    assert [d.fix.edits[0].text for d in result.diagnostics] == ["true"]


@pytest.mark.parametrize("legacy", ["brctl setgcint br0 4 || echo failed\n", "if brctl setgcint br0 4; then x; fi\n"])
def test_setgcint_whose_failure_is_tested_stays(legacy):
    result = _translate(legacy)
    assert result.text == legacy
    assert [d.code for d in result.diagnostics] == ["NS402"]


@pytest.mark.skipif(not have("brctl"), reason="needs bridge-utils (tests/system-packages.txt)")
def test_brctl_itself_fails_on_setgcint(netns):
    """Why it is dropped, not translated to something that succeeds or fails: it never did anything."""
    subprocess.run(["ip", "-n", netns, "link", "add", "br0", "type", "bridge"], check=True)
    proc = subprocess.run(["ip", "netns", "exec", netns, "brctl", "setgcint", "br0", "4"], check=False, capture_output=True, text=True)
    assert proc.returncode == 1
