"""The per-tool parsers on their own: words with spans in, a command or findings out.

This is the layer documentation checking reuses on command lines found in
Markdown and man pages, so it is tested without any shell script around it.
"""

from __future__ import annotations

import pytest

from netscript.frontends.legacy import effects as fx
from netscript.frontends.legacy import registry
from netscript.frontends.legacy.model import (
    CommandLine,
    Context,
    Keep,
    Options,
    Rewrite,
)
from netscript.frontends.legacy.modern import show_steps
from netscript.frontends.legacy.shell import Usage
from netscript.frontends.legacy.words import words_from_values
from netscript.ir.model import AdminState, LinkKind


def parse(line: str):
    words = words_from_values(line.split())
    command_line = CommandLine(words[0].value, tuple(words[1:]), words[0].start, words[-1].end, (), words[0])
    return registry.parse_line(command_line), line


def findings(line: str) -> list[tuple[str, str, str | None, str]]:
    parsed, text = parse(line)
    return [(n.code, n.message, n.hint, text.encode()[n.start : n.end].decode()) for n in parsed.notes]


PROBLEMS = [
    # unknown subcommands and options, with a did-you-mean, at the word
    ("brctl adbr br0", "NS403", "did you mean 'addbr'?", "adbr"),
    ("brctl setfdd br0 4", "NS403", "did you mean 'setfd'?", "setfdd"),
    ("vconfig ad eth0 5", "NS403", "did you mean 'add'?", "ad"),
    ("vconfig set_name_type VLAN_PLUS_VIDS", "NS403", "did you mean 'VLAN_PLUS_VID'?", "VLAN_PLUS_VIDS"),
    ("ifenslave --detatch bond0 eth0", "NS403", "did you mean '--detach'?", "--detatch"),
    ("tunctl -x tap0", "NS403", "tunctl options: -b, -d, -f, -g, -n, -p, -t, -u", "-x"),
    ("teamd -t team0 --kil", "NS403", "did you mean '--kill'?", "--kil"),
    ("teamdctl team0 prot add eth1", "NS403", "did you mean 'port'?", "prot"),
    ("teamdctl team0 port ad eth1", "NS403", "did you mean 'add'?", "ad"),
    ("teamdctl team0 config dump actuall", "NS403", "did you mean 'actual'?", "actuall"),
    ("ifconfig eth0 mut 9000", "NS403", "did you mean 'mtu'?", "mut"),
    ("ifconfig eth0 inet6 ad 2001:db8::1/64", "NS403", "did you mean 'add'?", "ad"),
    ("ip addr add 10.0.0.1/24 dev eth0 lable eth0:1", "NS403", "did you mean 'label'?", "lable"),
    ("ip tuntap add tap0 mode tap usr qemu", "NS403", "did you mean 'user'?", "usr"),
    ("ip -jsno link show", "NS403", "did you mean '-json'?", "-jsno"),
    ("route ad default gw 10.1.0.1", "NS403", "did you mean 'add'?", "ad"),
    ("route add -net 10.0.0.0/8 gw", "NS404", None, "route add -net 10.0.0.0/8 gw"),
    ("bridge lnk set dev eth0 cost 10", "NS403", "did you mean 'link'?", "lnk"),
    ("bridge link sett dev eth0 cost 10", "NS403", "did you mean 'set'?", "sett"),
    # missing arguments
    ("brctl addif br0", "NS404", None, "brctl addif br0"),
    ("vconfig add eth0", "NS404", None, "vconfig add eth0"),
    ("tunctl -t", "NS404", None, "-t"),
    ("tunctl -- -d", "NS404", None, "-d"),
    ("teamd -d -t team0", "NS404", None, "teamd -d -t team0"),
    # values out of range or unreadable, at the value
    ("brctl sethello br0 0.5", "NS405", None, "0.5"),
    ("brctl setmaxage br0 41", "NS405", None, "41"),
    ("brctl setpathcost br0 eth0 0", "NS405", None, "0"),
    ("brctl setportprio br0 eth0 64", "NS405", None, "64"),
    ("brctl stp br0 maybe", "NS405", "on, yes, 1 / off, no, 0", "maybe"),
    ("brctl setfd br0 abc", "NS405", None, "abc"),
    ("brctl setfd br0 -1", "NS405", None, "-1"),
    ("vconfig add eth0 4095", "NS405", None, "4095"),
    ("vconfig set_flag eth0.5 32 1", "NS405", None, "32"),
    ("ifconfig eth0 mtu 70000", "NS405", None, "70000"),
    ("brctl addbr this-name-is-too-long", "NS405", None, "this-name-is-too-long"),
]


@pytest.mark.parametrize("line", ["teamd -f teamd.conf -k", "teamd -f teamd.conf -d"])
def test_teamd_with_a_config_file_may_name_the_team_there(line):
    # The file's "device" names the team (libteam's HOWTO does this): no finding.
    parsed, _ = parse(line)
    assert parsed.ok and parsed.notes == []


@pytest.mark.parametrize("line,code,hint,at", PROBLEMS)
def test_findings_name_the_problem_at_the_word(line, code, hint, at):
    found = findings(line)
    assert (code, hint, at) in [(c, h, a) for c, _, h, a in found], found


def test_a_parsed_command_gives_modern_words_and_effects():
    parsed, _ = parse("brctl setfd br0 2.5")
    assert parsed.ok and not parsed.notes
    outcome = parsed.command.modern(Context())
    assert isinstance(outcome, Rewrite)
    assert [s.words for s in outcome.steps] == [["ip", "link", "set", "dev", "br0", "type", "bridge", "forward_delay", "250"]]
    assert parsed.command.effects() == [fx.SetOptions("br0", LinkKind.BRIDGE, {"forward_delay": 250})]


EFFECTS = [
    ("brctl addbr br0", [fx.CreateLink("br0", LinkKind.BRIDGE)]),
    ("brctl addif br0 eth0", [fx.Enslave("eth0", "br0", master_kind=LinkKind.BRIDGE)]),
    ("brctl hairpin br0 eth0 on", [fx.SetPortOptions("eth0", LinkKind.BRIDGE, {"hairpin": True})]),
    ("brctl stp br0 off", [fx.SetOptions("br0", LinkKind.BRIDGE, {"stp_state": False})]),
    ("vconfig add eth0 010", [fx.CreateLink("eth0.10", LinkKind.VLAN, {"id": 10}, parent="eth0")]),
    ("vconfig set_ingress_map eth0.5 2 5", [fx.SetOptions("eth0.5", LinkKind.VLAN, {"ingress-qos-map": ((5, 2),)})]),
    ("ifenslave -df bond0 eth0", [fx.Release("eth0")]),
    ("ifenslave bond0 eth0 eth1", [fx.Enslave("eth0", "bond0", master_kind=LinkKind.BOND), fx.Enslave("eth1", "bond0", master_kind=LinkKind.BOND)]),
    ("tunctl -t tap0 -u qemu", [fx.CreateLink("tap0", LinkKind.TAP, {"user": "qemu"})]),
    ("ip link add br0 type bridge forward_delay 010", [fx.CreateLink("br0", LinkKind.BRIDGE, {"forward_delay": 8})]),
    ("ip -n red link set dev v0 master br0", [fx.Enslave("v0", "br0", netns="red")]),
    ("ip link add link eth0 name eth0.5 type vlan id 5 egress 0:3 1:4", [fx.CreateLink("eth0.5", LinkKind.VLAN, {"id": 5, "egress-qos-map": ((0, 3), (1, 4))}, parent="eth0")]),
    ("ip link set dev eth0 txqlen 100 u", [fx.SetLink("eth0", txqueuelen=100, state=AdminState.UP)]),
    ("ip link add mtu 9000 d0 type dummy", [fx.CreateLink("d0", LinkKind.DUMMY, {}, mtu=9000)]),
    ("ip tuntap add mode tap dev tap0 user qemu vnet_hdr", [fx.CreateLink("tap0", LinkKind.TAP, {"user": "qemu", "vnet_hdr": True})]),
    ("ip --netns red -color=auto l s dev v0 nomaster", [fx.Release("v0", netns="red")]),
    ("bridge l change dev eth0 cost 10", [fx.SetPortOptions("eth0", LinkKind.BRIDGE, {"cost": 10})]),
    ("bridge link set dev eth0 cost 10 hairpin on", [fx.SetPortOptions("eth0", LinkKind.BRIDGE, {"cost": 10, "hairpin": True})]),
]


@pytest.mark.parametrize("line,effects", EFFECTS)
def test_effects(line, effects):
    parsed, _ = parse(line)
    assert parsed.command.effects() == effects


def test_ip_reports_the_octal_trap():
    (code, message, _hint, at), = findings("ip link set dev br0 type bridge priority 010")
    assert (code, at) == ("NS413", "010") and "as 8" in message


def test_queries_depend_on_how_their_output_is_used():
    parsed, _ = parse("brctl show br0")
    shown = parsed.command.modern(Context(usage=Usage.NONE))
    parsed_output = parsed.command.modern(Context(usage=Usage.OUTPUT_PARSED))
    status_only = parsed.command.modern(Context(usage=Usage.STATUS_TESTED | Usage.OUTPUT_DISCARDED))
    assert show_steps(shown.steps) == "ip link show master br0"
    assert isinstance(parsed_output, Keep) and "ip -j link show type bridge" in parsed_output.suggestion
    assert show_steps(status_only.steps) == "[ -d /sys/class/net/br0/bridge ]"


TEAMD_CONFIGS = [
    ('{"runner": {"name": "activebackup",}}', "NS412", "not valid JSON"),
    ('{"runner": {"name": "roundrobbin"}}', "NS412", "'roundrobbin' is not one of"),
    ('{"runner": {"name": "lacp", "sys_prio": 70000}}', "NS412", "out of range 0-65535"),
    ('{"runner": {"name": "lacp", "fast_rate": "yes"}}', "NS412", "must be true or false"),
    ('{"runner": {"name": "loadbalance", "tx_hash": ["eth", "ipv5"]}}', "NS412", "'ipv5' is not one of"),
    ('{"runer": {"name": "lacp"}}', "NS412", "teamd does not know 'runer'"),
    # a teamd.conf(5) key the DSL does not have, under the wrong watcher (one the DSL has is the IR's: NS210)
    ('{"link_watch": {"name": "ethtool", "missed_max": 3}}', "NS412", "applies to arp_ping and nsna_ping, not ethtool"),
]


@pytest.mark.parametrize("config,code,message", TEAMD_CONFIGS)
def test_teamd_configs_are_checked_against_teamd_conf(config, code, message):
    words = words_from_values(["teamd", "-d", "-t", "team0", "-c", config])
    parsed = registry.parse_line(CommandLine("teamd", tuple(words[1:]), 0, words[-1].end))
    assert any(n.code == code and message in n.message for n in parsed.notes), parsed.notes


def test_teamd_config_findings_point_at_the_key_inside_the_json():
    config = '{"runner": {"name": "lacp", "sys_prio": 70000}}'
    words = words_from_values(["teamd", "-t", "t0", "-c", config])
    parsed = registry.parse_line(CommandLine("teamd", tuple(words[1:]), 0, words[-1].end))
    note = parsed.notes[0]
    line = " ".join(w.value for w in words)
    assert line.encode()[note.start : note.end].decode() == '"sys_prio"'


def test_the_registry_says_which_tools_are_legacy_as_their_modules_do():
    for tool, module in registry.TOOLS.items():
        rewritten_always = module.LEGACY and not hasattr(module, "accepts")  # echo: only bonding sysfs writes
        assert (tool in registry.LEGACY_TOOLS) == rewritten_always, tool


def test_every_legacy_tool_is_one_registry_line():
    assert set(registry.LEGACY_TOOLS) == {"brctl", "vconfig", "ifenslave", "tunctl", "teamd", "teamdctl", "ifconfig", "route", "arp"}
    assert registry.parse_line(CommandLine("vde_tunctl", ())) is None
    assert not Options().team_as_bond and not Options().idempotent


def test_arp_reads_its_options_as_getopt_does():
    # `-ni v0` is -n, then -i with its value: arp's getopt clusters them
    parsed, _ = parse("arp -ni v0 -d 10.1.0.50")
    assert parsed.ok and not parsed.notes
    assert (parsed.command.action, parsed.command.dev.value, parsed.command.address.value) == ("delete", "v0", "10.1.0.50")
