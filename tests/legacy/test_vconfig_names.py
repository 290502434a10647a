"""The name `vconfig add` gives a VLAN, as the kernel gave it, when the name type changes.

vconfig(8) compares its subcommand and name type with strcasecmp, so
``set_name_type vlan_plus_vid_no_pad`` is valid. The kernel keeps the name type and
names each later ``add`` by it: which set_name_type ran last is a matter of execution
order, which the text shows only for straight-line statements. Elsewhere (a
set_name_type in a function or a branch, a name type in a variable, an add in a
function called later) the translation names the VLAN when the script runs.

This kernel has no 8021q: the generated script runs under sh with `ip` a shell
function that prints the name it is given (the naming is shell arithmetic, not the
kernel's); the kernel-lab tier runs vconfig itself (tests/kernel/test_legacy_lab.py).
"""

from __future__ import annotations

import subprocess

import pytest

from netscript.frontends.legacy.model import Options
from netscript.frontends.legacy.rewrite import translate_script

PRINT_NAME = 'ip() { while [ "$1" != name ]; do shift; done; printf "%s\\n" "$2"; }\n'


def _translate(text: str, **options):
    return translate_script(text, "t.sh", Options(**options))


def _names(script: str, **env) -> list[str]:
    translated = _translate(script).text
    assert "vconfig" not in translated, translated
    proc = subprocess.run(["sh", "-c", PRINT_NAME + translated], capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", **env}, check=False)
    assert proc.returncode == 0, proc.stderr + translated
    return proc.stdout.split()


@pytest.mark.parametrize(
    "legacy,modern",
    [
        ("vconfig set_name_type vlan_plus_vid_no_pad\nvconfig add eth0 5", "ip link add link eth0 name vlan5 type vlan id 5"),
        ("vconfig set_name_type Dev_Plus_Vid\nvconfig add eth0 5", "ip link add link eth0 name eth0.0005 type vlan id 5"),
        ("vconfig ADD eth0 5", "ip link add link eth0 name eth0.5 type vlan id 5"),
        ("vconfig Rem eth0.5", "{ grep -qx DEVTYPE=vlan /sys/class/net/eth0.5/uevent && ip link delete dev eth0.5; } || false"),
    ],
)
def test_subcommands_and_name_types_in_any_case(legacy, modern):
    assert _translate(legacy + "\n").text == modern + "\n"


def test_straight_line_name_types_are_applied_and_their_lines_dropped():
    result = _translate("vconfig set_name_type VLAN_PLUS_VID\nvconfig add eth0 5\nvconfig set_name_type DEV_PLUS_VID_NO_PAD\nvconfig add eth0 6\n")
    assert result.text == "ip link add link eth0 name vlan0005 type vlan id 5\nip link add link eth0 name eth0.6 type vlan id 6\n"
    assert [d.message.split(":")[0] for d in result.diagnostics].count("dropped") == 2


RUN_TIME = [
    # an add in a function defined before the set_name_type that precedes its call
    ("add_vlan() {\n  vconfig add eth0 5\n}\nvconfig set_name_type VLAN_PLUS_VID_NO_PAD\nadd_vlan\n", {}, ["vlan5"]),
    # the add in a function called after another set_name_type than the one before it in the text
    ("vconfig set_name_type VLAN_PLUS_VID\nf() { vconfig add eth0 5; }\nvconfig set_name_type DEV_PLUS_VID_NO_PAD\nf\n", {}, ["eth0.5"]),
    # set_name_type in a function, the add after its call
    ("names() { vconfig set_name_type DEV_PLUS_VID; }\nnames\nvconfig add eth0 7\n", {}, ["eth0.0007"]),
    # the name type chosen by a branch, as Debian's old if-up hook did
    ("case $MODE in\n  pad) vconfig set_name_type DEV_PLUS_VID ;;\n  *) vconfig set_name_type DEV_PLUS_VID_NO_PAD ;;\nesac\nvconfig add eth0 9\n",
     {"MODE": "pad"}, ["eth0.0009"]),
    ("case $MODE in\n  pad) vconfig set_name_type DEV_PLUS_VID ;;\n  *) vconfig set_name_type DEV_PLUS_VID_NO_PAD ;;\nesac\nvconfig add eth0 9\n",
     {"MODE": "other"}, ["eth0.9"]),
    # the name type in a variable, in any case; the interface in a variable
    ('vconfig set_name_type $NT\nvconfig add "$IF" 12\n', {"NT": "vlan_plus_vid", "IF": "eth1"}, ["vlan0012"]),
    ('vconfig set_name_type $NT\nvconfig add $IF 12\n', {"NT": "DEV_PLUS_VID_NO_PAD", "IF": "eth1"}, ["eth1.12"]),
    # before any set_name_type ran: the default; a long name cut at 15 bytes, as the kernel's snprintf did
    ("up() { vconfig add eth2 3; vconfig add p13longname0 2000; }\nup\nvconfig set_name_type VLAN_PLUS_VID\nup\n", {},
     ["eth2.3", "p13longname0.20", "vlan0003", "vlan2000"]),
]


@pytest.mark.parametrize("legacy,env,names", RUN_TIME)
def test_a_name_type_known_only_at_run_time_names_the_vlan_then(legacy, env, names):
    assert _names(legacy, **env) == names


def test_run_time_naming_needs_a_literal_vlan_id_or_stays():
    result = _translate("f() { vconfig set_name_type VLAN_PLUS_VID; }\nf\nvconfig add eth0 $VID\nvconfig add eth0 5\n")
    # the add left as written names its VLAN by the kernel's name type: the set_name_type stays,
    # and so does the add that read the translation's own
    assert "vconfig" in result.text and "_ns_vlan_name_type" not in result.text


def test_a_set_name_type_behind_a_wrapper_leaves_run_time_adds_as_written():
    result = _translate("f() { sudo vconfig set_name_type VLAN_PLUS_VID; }\nf\nvconfig add eth0 5\n")
    assert result.text.endswith("vconfig add eth0 5\n")


def test_a_name_type_set_and_used_in_one_function_is_known():
    result = _translate("up() {\n  vconfig set_name_type VLAN_PLUS_VID_NO_PAD\n  vconfig add eth0 5\n}\n")
    assert result.text == "up() {\n  ip link add link eth0 name vlan5 type vlan id 5\n}\n"
