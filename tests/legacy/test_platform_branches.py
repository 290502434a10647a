"""Commands in the branches of a platform switch for other systems stay as they are.

``ifconfig`` in a ``FreeBSD)`` or ``Darwin)`` branch of ``case "$(uname)"`` is that
system's own tool; rewriting it to ``ip`` breaks the script there. Each such command
is reported (info NS402, with the branch) and not counted as left.
"""

from __future__ import annotations

import pytest

from netscript.diagnostics import Severity
from netscript.frontends.legacy.model import Options
from netscript.frontends.legacy.platform import _kind
from netscript.frontends.legacy.rewrite import translate_script


def _translate(text: str):
    return translate_script(text, "t.sh", Options())


SWITCH = """case "$(uname)" in
    Linux)
        ifconfig eth0 up
        ;;
    FreeBSD|*BSD)
        ifconfig em0 up
        ;;
    Darwin|OSX) sudo ifconfig en0 up ;;
    *) ifconfig lo0 up ;;
esac
"""


def test_other_systems_branches_stay_and_the_linux_branch_is_translated():
    result = _translate(SWITCH)
    assert result.text == SWITCH.replace("ifconfig eth0 up", "ip link set dev eth0 up")
    kept = [d for d in result.diagnostics if d.code == "NS402"]
    assert [d.span.line for d in kept] == [6, 8, 9]
    assert all(d.severity is Severity.INFO for d in kept)
    assert "FreeBSD|*BSD)" in kept[0].message and "Darwin|OSX)" in kept[1].message and "`*)`" in kept[2].message
    assert (result.translated, result.left) == (1, 0)


@pytest.mark.parametrize(
    "word",
    ['"$(uname)"', "$(uname -s)", '"$OS"', "`uname`", "$PLATFORM"],
)
def test_the_switch_is_known_by_its_patterns_whatever_its_word(word):
    text = f"case {word} in\n  darwin*) ifconfig en1 down ;;\n  *) ifconfig eth1 down ;;\nesac\n"
    # no Linux branch: the default is where Linux goes, and it is translated
    assert _translate(text).text == text.replace("ifconfig eth1 down", "ip link set dev eth1 down")


@pytest.mark.parametrize(
    "text",
    [
        # not a platform switch: a pattern that only starts like a system's name
        "case $KIND in\n  macvlan) brctl addbr x ;;\n  *) brctl addbr y ;;\nesac\n",
        "case $1 in\n  start) ifconfig eth0 up ;;\n  stop) ifconfig eth0 down ;;\nesac\n",
        # an item that also matches Linux runs here
        'case "$(uname)" in\n  Linux|FreeBSD) ifconfig eth0 up ;;\nesac\n',
    ],
)
def test_other_cases_are_translated_as_usual(text):
    result = _translate(text)
    assert "ifconfig" not in result.text and "brctl" not in result.text


@pytest.mark.parametrize(
    "pattern,kind",
    [("FreeBSD", "other"), ("*BSD", "other"), ("Darwin", "other"), ("darwin*", "other"), ('"OSX"', "other"),
     ("SunOS", "other"), ("CYGWIN_NT-10.0*", "other"), ("MINGW32*", "other"), ("Linux", "linux"), ("linux-gnu*", "linux"),
     ("GNU/Linux", "linux"), ("*", "any"), ("macvlan", "unknown"), ("bridge", "unknown"), ("x86_64", "unknown")],
)
def test_patterns(pattern, kind):
    assert _kind(pattern) == kind


def test_check_passes_when_only_other_systems_commands_remain(cli, tmp_path):
    script = tmp_path / "t.sh"
    script.write_text('case "$(uname)" in\n  FreeBSD) ifconfig em0 up ;;\nesac\n')
    assert cli("translate", "--check", script).exit_code == 0
