"""A straight-line script (legacy tools, ip and bridge mixed) as one declarative spec."""

from __future__ import annotations

import textwrap

from netscript.backends.dsl import print_program
from netscript.frontends import dsl, load
from netscript.frontends.legacy.model import Options
from netscript.frontends.legacy.reader import read_script
from netscript.ir.model import LinkKind
from netscript.source import Source
from netscript.validate import validate


def read(text: str, **options):
    return read_script(Source("lab.sh", textwrap.dedent(text)), Options(**options))


MIXED = """\
    #!/bin/sh
    set -e
    BR=br0
    ip netns add red
    brctl addbr $BR
    brctl stp "$BR" on
    brctl setfd $BR 4
    ip link add v0 type veth peer name v1
    brctl addif $BR v0 eth0
    brctl setpathcost $BR v0 10
    bridge link set dev eth0 priority 40
    vconfig set_name_type VLAN_PLUS_VID_NO_PAD
    vconfig add eth1 100
    echo +bond0 > /sys/class/net/bonding_masters
    echo 802.3ad > /sys/class/net/bond0/bonding/mode
    ifenslave bond0 eth2 eth3
    ifconfig $BR 192.0.2.1 netmask 255.255.255.0 up
    ip link set v1 netns red
    ip -n red addr add 10.0.0.2/24 dev v1
    tunctl -t tap0 -u qemu
    brctl addbr br1 2>/dev/null || true
    """

MIXED_SPEC = """\
netns red

physical eth0

physical eth1

physical eth2

physical eth3

bridge br0 stp_state on forward_delay 4s {
    port v0 cost 10
    port eth0 priority 40
    addr 192.0.2.1/24
    up
}

veth v0 {
    peer v1 netns red {
        addr 10.0.0.2/24
    }
}

vlan vlan100 link eth1 id 100

bond bond0 mode 802.3ad {
    ports eth2 eth3
}

tap tap0 user qemu

bridge br1
"""


def test_a_mixed_straight_line_script_becomes_one_spec():
    loaded = read(MIXED)
    assert loaded.program is not None, loaded.diagnostics
    assert print_program(loaded.program) == MIXED_SPEC
    assert validate(loaded.program) == []
    # the links it uses but does not create are declared, each with a note
    declared = sorted(d.message.split()[0] for d in loaded.diagnostics if d.code == "NS410")
    assert declared == ["eth0", "eth1", "eth2", "eth3"]


def test_the_spec_reads_back_as_the_same_program():
    program = read(MIXED).program
    again, diagnostics = dsl.parse(print_program(program), "again.ns")
    assert again == program and not diagnostics


def test_control_flow_says_why_and_where():
    loaded = read("""\
        brctl addbr br0
        for p in eth0 eth1; do
            brctl addif br0 $p
        done
        """)
    assert loaded.program is None
    (d,) = [d for d in loaded.diagnostics if d.code == "NS409"]
    assert (d.span.line, d.span.col) == (2, 1) and "a for loop" in d.message


def test_a_variable_the_script_does_not_set_is_an_error():
    loaded = read("brctl addbr $BRIDGE\n")
    assert loaded.program is None
    (d,) = loaded.diagnostics
    assert d.code == "NS414" and "$BRIDGE" in d.message and (d.span.line, d.span.col) == (1, 13)


def test_team_as_bond_applies_to_the_spec_too():
    script = """teamd -d -t team0 -c '{"runner": {"name": "lacp", "fast_rate": true}, "ports": {"eth1": {}, "eth2": {}}}'\n"""
    as_team = read(script).program
    as_bond = read(script, team_as_bond=True).program
    team = next(link for link in as_team.links if link.name == "team0")
    bond = next(link for link in as_bond.links if link.name == "team0")
    assert team.kind is LinkKind.TEAM and team.options.runner == "lacp" and team.options.fast_rate is True
    assert bond.kind is LinkKind.BOND and bond.options.mode == "802.3ad" and bond.options.lacp_rate == "fast"
    assert [p.name for p in bond.ports] == ["eth1", "eth2"]


def test_what_a_spec_cannot_say_is_kept_as_opaque_with_a_warning():
    loaded = read("ip link add br0 type bridge\nip neigh add 192.0.2.1 lladdr 02:00:00:00:00:01 dev br0 nud stale\n")
    assert [o.text for o in loaded.program.opaque] == ["ip neigh add 192.0.2.1 lladdr 02:00:00:00:00:01 dev br0 nud stale"]
    assert any(d.code == "NS410" and d.span.line == 2 for d in loaded.diagnostics)


def test_deleting_and_releasing_leave_only_the_end_state():
    spec = print_program(read("""\
        brctl addbr br0
        brctl addbr br1
        brctl addif br0 eth0
        brctl delif br0 eth0
        brctl addif br1 eth0
        brctl delbr br0
        ip link set dev eth0 mtu 9000
        """).program)
    assert spec == "physical eth0 mtu 9000\n\nbridge br1 {\n    ports eth0\n}\n"


def test_the_sh_reader_is_registered_for_load(tmp_path):
    path = tmp_path / "old.sh"
    path.write_text("brctl addbr br0\nbrctl stp br0 on\n")
    loaded = load(str(path))
    assert [(link.name, link.options.stp_state) for link in loaded.program.links] == [("br0", True)]
    path = tmp_path / "old.bash"
    path.write_text("if true; then brctl addbr br0; fi\n")
    assert load(str(path)).program is None


def test_apply_of_a_legacy_script_builds_what_running_it_builds(cli, netns, tmp_path):
    """`netscript apply old.sh`: the script read as a spec, applied over netlink."""
    import subprocess

    from .harness import have, link_state, run_script

    if not have("brctl"):
        import pytest

        pytest.skip("needs bridge-utils")
    script = tmp_path / "old.sh"
    script.write_text(
        "#!/bin/sh\nip link add v0 type veth peer name v0p\nbrctl addbr br0\nbrctl stp br0 on\nbrctl setfd br0 2.5\n"
        "brctl setbridgeprio br0 010\nbrctl addif br0 v0\nbrctl setpathcost br0 v0 0x20\nbrctl hairpin br0 v0 yes\n"
    )
    ran = f"{netns}-ran"
    subprocess.run(["ip", "netns", "add", ran], check=True)
    run_script(ran, script.read_text(), str(tmp_path))
    result = cli("apply", "--netns", netns, script)
    assert result.exit_code == 0, result.output
    assert link_state(netns) == link_state(ran)
    assert link_state(netns)["br0"]["forward_delay"] in (249, 250)  # 2.5 s, through the kernel's jiffies


def test_routes_rules_and_network_sysctls_become_part_of_the_spec():
    loaded = read(
        "ip link add br0 type bridge\n"
        "ip addr add 192.0.2.1/24 dev br0\n"
        "ip link set br0 up\n"
        "ip route add default via 192.0.2.254 metric 100\n"
        "ip route replace default via 192.0.2.253 metric 100\n"
        "ip route add 10.9.0.0/16 dev br0\n"
        "ip route del 10.9.0.0/16\n"
        "ip -6 rule add fwmark 7 table 70\n"
        "sysctl -w net.ipv4.ip_forward=1 kernel.panic=10\n"
        "echo 0 > /proc/sys/net/ipv4/ip_forward\n"
        "echo 2 > /proc/sys/net/ipv4/conf/br0/rp_filter\n"
    )
    program = loaded.program
    (route,) = program.routes
    assert (route.dst, route.nexthops[0].via, route.metric) == ("default", "192.0.2.253", 100), "replace replaced it"
    (rule,) = program.rules
    assert (rule.family, rule.fwmark, rule.table) == (6, 7, 70)
    assert [(s.key, s.value) for s in program.sysctls] == [("net.ipv4.ip_forward", "0"), ("net.ipv4.conf.br0.rp_filter", "2")]
    assert [o.text for o in program.opaque] == ["sysctl -w net.ipv4.ip_forward=1 kernel.panic=10"], "kernel.* is not the network's"
