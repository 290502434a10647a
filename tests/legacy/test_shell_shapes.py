"""Finding legacy commands in real shell, and leaving everything else alone."""

from __future__ import annotations

import pytest

from netscript.frontends.legacy import registry
from netscript.frontends.legacy.helpers import HELPERS, definitions
from netscript.frontends.legacy.model import Options
from netscript.frontends.legacy.rewrite import translate_script
from netscript.frontends.legacy.shell import Usage, scan


def run(text: str, **options):
    return translate_script(text, "t.sh", Options(**options))


UNTOUCHED = [
    "# brctl addbr br0\n",
    "echo 'brctl addbr br0'\n",
    'echo "run: brctl addif br0 eth0"\n',
    "inst_multiple teamd teamdctl\n",
    "inst_multiple -o brctl vconfig ifenslave tunctl\n",
    "brctl=$(command -v brctl)\n",
    "BRCTL=/sbin/brctl\n",
    "vde_tunctl -t tap0 -u qemu\n",
    "brctl2 addbr br0\n",
    "./brctl addbr br0\n",
    "man brctl\n",
    "apt-get install -y bridge-utils vlan ifenslave\n",
    "cat <<EOF\nbrctl addbr br0\nvconfig add eth0 5\nEOF\n",
    "cat <<'EOF' > /tmp/setup.sh\nbrctl addbr br0\nEOF\n",
    "trap 'brctl delbr br0' EXIT\n",
    "sh -c 'brctl addbr br0'\n",
    # a function of the script that shadows the tool
    "brctl() { echo \"would run brctl $*\"; }\nbrctl addbr br0\n",
    "echo hello > /sys/class/net/eth0/mtu\n",
    "ip link add br0 type bridge\n",
]


@pytest.mark.parametrize("text", UNTOUCHED)
def test_data_comments_and_other_tools_are_left_byte_for_byte(text):
    result = run(text)
    assert result.text == text
    assert result.translated == 0


SHAPES = [
    ("f() {\n    brctl addbr br0\n}\n", "f() {\n    ip link add name br0 type bridge\n}\n"),
    ("if [ -n \"$X\" ]; then\n\tbrctl addbr br0\nelse\n\tbrctl delbr br0\nfi\n",
     "if [ -n \"$X\" ]; then\n\tip link add name br0 type bridge\nelse\n\t{ [ -d /sys/class/net/br0/bridge ] && ip link delete dev br0; } || false\nfi\n"),
    ("while read p; do brctl hairpin br0 \"$p\" on; done < ports\n", "while read p; do ip link set dev \"$p\" type bridge_slave hairpin on; done < ports\n"),
    ("for p in $PORTS; do brctl hairpin br0 \"$p\" on; done\n", "for p in $PORTS; do ip link set dev \"$p\" type bridge_slave hairpin on; done\n"),
    ("case $1 in\n  start) brctl addbr br0 ;;\n  stop) brctl delbr br0 ;;\nesac\n",
     "case $1 in\n  start) ip link add name br0 type bridge ;;\n  stop) { [ -d /sys/class/net/br0/bridge ] && ip link delete dev br0; } || false ;;\nesac\n"),
    ("brctl addbr br0 && brctl stp br0 on || exit 1\n",
     "ip link add name br0 type bridge && ip link set dev br0 type bridge stp_state 1 || exit 1\n"),
    ("( brctl addbr br0 )\n", "( ip link add name br0 type bridge )\n"),
    ("x=$(brctl addbr br0 2>&1)\n", "x=$(ip link add name br0 type bridge 2>&1)\n"),
    ("x=`brctl addbr br0`\n", "x=`ip link add name br0 type bridge`\n"),
    ("brctl hairpin br0 \\\n    eth0 on\n", "ip link set dev eth0 type bridge_slave hairpin on\n"),
    ("BRCTL=/sbin/brctl\n$BRCTL addbr x\n", "BRCTL=/sbin/brctl\nip link add name x type bridge\n"),
    (": ${BRCTL:=brctl}\n\"$BRCTL\" addbr x\n", ": ${BRCTL:=brctl}\nip link add name x type bridge\n"),
    ("BRCTL=${BRCTL:-/usr/sbin/brctl}\n${BRCTL} addbr x\n", "BRCTL=${BRCTL:-/usr/sbin/brctl}\nip link add name x type bridge\n"),
    ("brctl=$(command -v brctl)\n$brctl addbr x\n", "brctl=$(command -v brctl)\nip link add name x type bridge\n"),
    ("VC=`which vconfig`\n$VC add eth0 5\n", "VC=`which vconfig`\nip link add link eth0 name eth0.5 type vlan id 5\n"),
    # other bytes around the command survive exactly: tabs, comments, trailing text
    ("\t  brctl addbr br0   # the LAN bridge\n", "\t  ip link add name br0 type bridge   # the LAN bridge\n"),
    ("brctl addbr br0; echo done\n", "ip link add name br0 type bridge; echo done\n"),
]


@pytest.mark.parametrize("legacy,modern", SHAPES)
def test_commands_are_found_in_every_shell_shape(legacy, modern):
    assert run(legacy).text == modern


def test_a_variable_assigned_something_else_too_is_not_the_tool():
    text = "T=/sbin/brctl\n[ -x \"$T\" ] || T=/bin/true\n$T addbr br0\n"
    assert run(text).text == text


def test_commands_inside_the_arguments_of_another_are_translated_inside_it():
    text = "brctl hairpin br0 \"$(brctl show br0 >/dev/null 2>&1 && echo eth0)\" on\n"
    assert run(text).text == "ip link set dev \"$([ -d /sys/class/net/br0/bridge ] >/dev/null 2>&1 && echo eth0)\" type bridge_slave hairpin on\n"


def test_a_function_returns_the_status_of_its_last_command():
    text = "is_bridge() {\n    brctl show \"$1\"\n}\nshow() {\n    brctl show \"$1\"\n}\nif is_bridge br0; then show br0; fi\n"
    result = run(text).text.splitlines()
    assert result[1] == '    brctl show "$1"'  # its status is tested by `if is_bridge`, its output shown
    assert result[4] == '    ip link show master "$1"'  # nobody tests show's status


USAGE = [
    ("brctl show", Usage.NONE),
    ("brctl show | awk '{print $1}'", Usage.OUTPUT_PARSED),
    ("x=$(brctl show)", Usage.OUTPUT_PARSED),
    ("brctl show > /tmp/bridges", Usage.OUTPUT_PARSED),
    ("brctl show >/dev/null", Usage.OUTPUT_DISCARDED),
    ("brctl show >&2", Usage.NONE),
    ("if brctl show br0; then :; fi", Usage.STATUS_TESTED),
    ("brctl show br0 || exit 1", Usage.STATUS_TESTED),
    ("! brctl show br0", Usage.STATUS_TESTED),
    ("while brctl show br0 >/dev/null 2>&1; do sleep 1; done", Usage.STATUS_TESTED | Usage.OUTPUT_DISCARDED),
    ("{ brctl show; } > out", Usage.OUTPUT_PARSED),
    # the redirection of `a || b >&2` belongs to b
    ("brctl show || echo no > /tmp/x", Usage.STATUS_TESTED),
    ("true && brctl show", Usage.NONE),
]


@pytest.mark.parametrize("text,usage", USAGE)
def test_how_the_script_uses_a_command(text, usage):
    site = next(s for s in scan(text + "\n", registry.TOOLS).sites if s.tool == "brctl")
    assert site.usage == usage


QUERIES = [
    # parsed output: no modern command prints brctl's table
    ("brctl showmacs br0 | awk 'NR>1 {print $1}'", None),
    # brctl show's table: printed by a function the script defines (see test_output_helpers.py)
    ("brctl show | awk 'NR>1 {print $1}'", "brctl_show | awk 'NR>1 {print $1}'"),
    ("brctl showstp br0 | sed -n 's/.*forward delay//p'", "brctl_showstp br0 | sed -n 's/.*forward delay//p'"),
    # ifconfig's report: printed by a function too, in the form asked for (-s, the short table, is not)
    ("ifconfig | grep -c inet", "ifconfig_show | grep -c inet"),
    ("ifconfig -a | grep -c inet", "ifconfig_show -a | grep -c inet"),
    ("ADDR=$(ifconfig \"$IF\" | awk '/inet / {print $2}')", "ADDR=$(ifconfig_show \"$IF\" | awk '/inet / {print $2}')"),
    ("ifconfig -a eth0:1 | grep -q inet", "ifconfig_show eth0:1 | grep -q inet"),
    ("ifconfig -s | awk 'NR>1'", None),
    ("MAC=$(brctl showmacs br0 | tail -1)", None),
    # status and output both used
    ("if brctl show br0; then :; fi", None),
    # status only: exactly the test brctl makes
    ("if brctl show br0 >/dev/null 2>&1; then :; fi", "if [ -d /sys/class/net/br0/bridge ] >/dev/null 2>&1; then :; fi"),
    ("brctl showstp br0 >/dev/null && echo yes", "[ -d /sys/class/net/br0/bridge ] >/dev/null && echo yes"),
]


@pytest.mark.parametrize("text,modern", QUERIES)
def test_parsed_output_and_tested_status_are_translated_only_when_faithful(text, modern):
    result = run(text + "\n")
    if modern is None:
        assert result.text == text + "\n"
        kept = [d for d in result.diagnostics if d.code == "NS402"]
        assert kept and kept[0].hint.startswith("modern equivalent: ")
    else:
        helpers = definitions(h for h in HELPERS if f"{h} " in modern or f"{h} |" in modern)  # defined once, at the top
        assert result.text == helpers + modern + "\n"


def test_a_check_for_the_legacy_tool_is_reported_once_it_is_no_longer_needed():
    text = "[ -x /sbin/brctl ] || exit 0\nbrctl addbr br0\n"
    result = run(text)
    guards = [d for d in result.diagnostics if d.code == "NS408"]
    assert [(d.span.line, d.span.col) for d in guards] == [(1, 1)]
    assert result.text.startswith("[ -x /sbin/brctl ] || exit 0\n")  # reported, never removed
    # while a brctl command stays, the check still matters
    still = run("[ -x /sbin/brctl ] || exit 0\nbrctl showmacs br0 | wc -l\n")
    assert not [d for d in still.diagnostics if d.code == "NS408"]


def test_text_the_parser_cannot_read_is_reported_and_left():
    text = "brctl addbr br0\nfoo() { ( ; }\n"
    result = run(text)
    assert result.fatal  # bash cannot parse it either: unusable input


INDIRECT = [
    ("sh -c 'brctl addbr br0; ip link'\n", "sh"),
    ("bash -c 'sudo /sbin/brctl stp br0 on'\n", "bash"),
    ("echo br0 | xargs brctl addbr\n", "xargs"),
    ("trap 'brctl delbr br0' EXIT\n", "trap"),
    ("watch brctl showmacs br0\n", "watch"),
]


@pytest.mark.parametrize("text,how", INDIRECT)
def test_a_tool_run_by_another_program_is_reported_and_left(text, how):
    result = run(text)
    assert result.text == text and result.left == 1
    (d,) = [d for d in result.diagnostics if d.code == "NS402"]
    assert f"runs through {how}" in d.message


def test_a_string_that_only_mentions_a_tool_is_data():
    result = run("sh -c 'echo brctl is old'\nlogger \"brctl addbr failed\"\n")
    assert result.left == 0 and result.translated == 0


def test_timeout_runs_the_tool_after_its_duration():
    assert run("timeout -s KILL 5 brctl addbr br0\n").text == "timeout -s KILL 5 ip link add name br0 type bridge\n"


NEVER, MAYBE, SURELY = "never", "maybe", "surely"
ERREXIT = [
    # a script run as a program that never turns set -e on: a plain && list stops where the old command failed
    ("#!/bin/sh\nbrctl delbr br0\n", NEVER),
    ("#!/bin/sh\nset -u\nbrctl delbr br0\n", NEVER),
    # set -e surely on at a statement of the script's own: each step a statement, which set -e stops at
    ("#!/bin/sh\nset -e\nbrctl delbr br0\n", SURELY),
    ("#!/bin/sh\nset -eu\nbrctl delbr br0\n", SURELY),
    ("#!/bin/bash\nset -o errexit\nbrctl delbr br0\n", SURELY),
    ("#!/bin/sh -e\nbrctl delbr br0\n", SURELY),
    # what may turn it on, or off again: the list keeps its `|| false`, which set -e sees
    ("#!/bin/sh\nset $OPTS\nbrctl delbr br0\n", MAYBE),
    ("#!/bin/sh\n. /lib/lsb/init-functions\nbrctl delbr br0\n", MAYBE),
    ("brctl delbr br0\n", MAYBE),  # no #! line: maybe sourced, under its caller's options
    ("#!/bin/sh\nset -e\nset +e\nbrctl delbr br0\n", MAYBE),
    ("#!/bin/sh\nbrctl delbr br0\nset -e\n", MAYBE),  # on only after the command
    ("#!/bin/sh\nset -e\nf() {\n    brctl delbr br0\n}\nif f; then :; fi\n", MAYBE),  # a function: maybe in a condition
]


@pytest.mark.parametrize("text,errexit", ERREXIT)
def test_steps_stop_at_the_first_failure_as_set_e_is_on_or_off(text, errexit):
    steps = ["[ -d /sys/class/net/br0/bridge ]", "ip link delete dev br0"]
    wanted = {NEVER: [" && ".join(steps)], MAYBE: [f"{{ {' && '.join(steps)}; }} || false"], SURELY: steps}[errexit]
    lines = [line.strip() for line in run(text).text.splitlines()]
    assert lines[lines.index(wanted[0]) : lines.index(wanted[0]) + len(wanted)] == wanted
