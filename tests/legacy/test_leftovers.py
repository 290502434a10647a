"""What the translated script still owes the legacy tools: checks for them, and uses it cannot rewrite.

- A check for a legacy tool fails once the tool is uninstalled: reported (NS408) at its
  line whenever no command of that tool is left as written, with a fix that checks for
  ``ip`` instead where the check is that simple.
- A legacy tool run in a way the translation cannot rewrite (through a prefix variable,
  one of the script's functions, a variable not plainly set to it, a computed bonding
  sysfs path, a part the parser could not read) is reported at its own line and counted
  as left, so ``translate --check`` exits 1 while one remains.
"""

from __future__ import annotations

import pytest

from netscript.frontends.legacy.model import Options
from netscript.frontends.legacy.rewrite import translate_script


def _translate(text: str):
    return translate_script(text, "t.sh", Options())


GUARDS = [
    ("[ -x /sbin/brctl ] || exit 1", "command -v ip >/dev/null"),
    ("test -x /usr/sbin/brctl || exit 0", "command -v ip >/dev/null"),
    ("which brctl >/dev/null || exit 1", "which ip"),
    ("command -v vconfig >/dev/null 2>&1 || exit 1", "command -v ip"),
    ("type tunctl >/dev/null || exit 1", "type ip"),
    ("hash ifenslave 2>/dev/null || exit", "hash ip"),
    ("BRCTL=/sbin/brctl\ntest -x $BRCTL || exit 0", "command -v ip >/dev/null"),
    # not a plain check: reported, no fix
    ("which -a brctl >/dev/null || exit 1", None),
]


@pytest.mark.parametrize("guard,fix", GUARDS)
def test_a_check_for_a_tool_the_script_no_longer_needs_is_reported_with_a_fix(guard, fix):
    result = _translate(guard + "\n")
    found = [d for d in result.diagnostics if d.code == "NS408" and "checks for" in d.message]
    assert len(found) == 1 and found[0].span.line == guard.count("\n") + 1
    assert "uninstalled" in found[0].message
    if fix is None:
        assert found[0].fix is None
    else:
        assert found[0].fix.edits[0].text == fix
        # the fix replaces just the check: the rest of the line reads as before
        source = (guard + "\n").encode()
        edit = found[0].fix.edits[0]
        fixed = (source[: edit.start] + fix.encode() + source[edit.end :]).decode()
        assert fixed.splitlines()[-1].startswith(fix)
    assert result.text == guard + "\n"  # reported, not rewritten


def test_a_check_for_a_tool_still_run_is_not_reported():
    result = _translate("[ -x /sbin/brctl ] || exit 1\nbrctl showmacs br0 | grep 00:\n")
    assert not [d for d in result.diagnostics if d.code == "NS408"]


UNSEEN = [
    "$brctl addbr x",  # set nowhere in the script
    # a function that runs one command and makes up its status, where the translation needs a check first
    "run() { \"$@\"; echo done; }\nrun brctl delbr x",
    'retry() { until "$@"; do sleep 1; done; }\nretry brctl delbr x',
    # through eval, text computed at run time would be split again
    'log() { eval "$@"; }\nlog ifconfig eth0:1 up',
    # the device goes to whoever $SUDO runs tunctl as
    "$SUDO tunctl -t tap0",
    # a bonding file computed with quotes of its own, which double quotes around it would change
    'echo "$2" > "$(bond_dir "$B")/bonding/$1"',
    "echo +eth0 > $BOND_PATH'/slaves'",
    # appending to a file that may be no bonding file, which bonding_write would write afresh
    'echo "$x" >> "$BONDING_LOG"',
]


@pytest.mark.parametrize("legacy", UNSEEN)
def test_a_tool_run_where_the_translation_cannot_see_it_is_left_and_reported(legacy, cli, tmp_path):
    result = _translate(legacy + "\n")
    assert result.text == legacy + "\n"
    left = [d for d in result.diagnostics if d.code == "NS402"]
    assert len(left) == 1 and left[0].span.line == legacy.count("\n") + 1
    assert result.left == 1
    script = tmp_path / "t.sh"
    script.write_text(legacy + "\n")
    assert cli("translate", "--check", script).exit_code == 1


@pytest.mark.parametrize(
    "text",
    ["echo brctl addbr x", 'log() { echo "$@"; }\nlog "brctl failed"', "printf '%s\\n' vconfig", 'echo 1 > "$LOGDIR/slaves.txt"'],
)
def test_a_tool_name_as_data_is_not_an_invocation(text, cli, tmp_path):
    result = _translate(text + "\n")
    assert result.left == 0 and result.translated == 0
    script = tmp_path / "t.sh"
    script.write_text(text + "\n")
    assert cli("translate", "--check", script).exit_code == 0
