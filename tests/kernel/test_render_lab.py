"""Rendered bash scripts on the lab kernel: bond, team, vlan, ipvlan, dummy, vrf, geneve, gretap,
ipip, the examples.

The guest-kernel counterpart of tests/test_render_kernel.py. Each spec is rendered with
``netscript render --netns NS --netns-prefix NS- SPEC -o FILE`` (in-process, through click's
CliRunner: a second interpreter costs seconds under emulation), its ``physical`` links are
stood in for by dummy links, and then, in one test per spec:

- the script runs and the kernel state equals the spec attribute by attribute
  (``kernelstate.differences``, which reads teams back through ``teamdctl``);
- a second run changes nothing (``kernelstate.snapshot``, teamd's live config included);
- the teardown script leaves only the stand-ins and no namespaces.

bond, team, vlan and the tunnels go through the ``--batch`` form as well.

Plus: macvlan and ipvlan on one parent (validation refuses it, then the kernel does), ipvlans
with different modes on one parent (likewise, though the kernel only switches the first), and
drift of create-only settings (a vlan's id, a bond's mode with its ports released, an ipvlan's
mode and flag, a team's runner, a team whose teamd died) converging on a re-run.
Run with ``bash tests/kernel/run``; skipped elsewhere.
"""

from __future__ import annotations

import ipaddress
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

_TESTS = str(Path(__file__).resolve().parents[1])
if _TESTS not in sys.path:  # kernelstate.py is shared with the host tier in tests/
    sys.path.insert(0, _TESTS)

from kernelstate import differences, links, snapshot, team_configs

from netscript.cli import main
from netscript.frontends import load
from netscript.ir.model import LinkKind
from netscript.placement import place

from .conftest import derived_namespaces

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

# One spec per kind, each exercising that kind's settings; `physical` links become dummies.
LAB_SPECS = {
    "bond": """
physical e0
physical e1
physical e2
physical e3
physical e4
physical e5

bond ab0 mode active-backup miimon 100 updelay 200 downdelay 100 primary e1 primary_reselect better fail_over_mac active num_grat_arp 3 {
    port e0 queue_id 2
    port e1 prio 7
    addr 192.0.2.50/24
    up
}

bond lacp0 mode 802.3ad lacp_rate fast xmit_hash_policy layer3+4 ad_select bandwidth ad_actor_sys_prio 100 ad_user_port_key 5 ad_actor_system 02:00:00:00:00:01 miimon 100 min_links 1 {
    ports e2 e3
    mtu 9000
    up
}

bond rr0 mode balance-rr miimon 50 updelay 100 downdelay 150 packets_per_slave 3 use_carrier off {
    ports e4 e5
    up
}

bond arp0 mode active-backup arp_interval 100 arp_ip_target 192.0.2.1,192.0.2.2 arp_validate all arp_all_targets all

bond xor0 mode balance-xor xmit_hash_policy layer2+3 miimon 100 arp_validate none resend_igmp 2 all_slaves_active on

bond tlb0 mode balance-tlb tlb_dynamic_lb off miimon 100 {
    up
}
""",
    "team": """
physical e0
physical e1
physical e2
physical e3

team tab0 runner activebackup hwaddr_policy by_active link_watch ethtool delay_up 100 delay_down 200 notify_peers 2 mcast_rejoin 1 {
    port e0 prio 10 sticky on
    port e1 prio 5
    addr 198.51.100.1/24
    up
}

team tlb0 runner loadbalance tx_hash eth,ipv4,ipv6,tcp tx_balancer basic {
    port e2 queue_id 1
    up
}

team tlacp0 runner lacp active on fast_rate on sys_prio 100 min_ports 1 agg_select_policy bandwidth tx_hash l3,l4 {
    port e3 lacp_prio 10 lacp_key 3
    mtu 9000
    up
}
""",
    "vlan": """
physical e0 {
    up
}
physical e1 {
    up
}

vlan e0.5 link e0 id 5 reorder_hdr off gvrp on loose_binding on egress-qos-map 0:3,1:4 ingress-qos-map 2:5,3:6 {
    addr 10.5.0.1/24
    up
}

vlan e0.4094 link e0 id 4094 mvrp on bridge_binding on {
    up
}

# QinQ: an 802.1ad service VLAN with an 802.1Q customer VLAN inside.
vlan qinq100 link e1 id 100 protocol 802.1ad {
    up
}

vlan qinq100.10 link qinq100 id 10 {
    mtu 1400
    addr 10.10.0.1/24
    up
}
""",
    "ipvlan": """
physical e0 {
    up
}
physical e1 {
    up
}
physical e2 {
    up
}
physical e3

ipvlan ipl2a link e0 mode l2 flag bridge {
    addr 10.6.0.2/24
    up
}

ipvlan ipl2b link e0 mode l2 flag bridge {
    addr 10.6.0.3/24
    up
}

ipvlan ipl3 link e1 mode l3 flag private {
    addr 10.6.1.2/32
    up
}

ipvlan ipl3s link e2 mode l3s flag vepa {
    up
}

ipvlan ipdef link e3
""",
    "dummy-vrf": """
physical e0 {
    up
}

dummy dm0 mtu 9000 {
    addr 10.7.0.1/24 2001:db8:7::1/64
    up
}

dummy dm1 mac 02:00:00:00:07:01 txqueuelen 500 {
    addr 10.7.1.1/24
    up
}

vrf blue table 100 {
    ports dm1 e0
    up
}

vrf red table 200 {
    up
}
""",
    # the kinds that are one module each (netscript/kinds/geneve.py, gretap.py, ipip.py)
    "tunnels": """
physical e0 {
    up
}

geneve gnv0 id 5000 remote 192.0.2.1 ttl 64 {
    up
}

geneve gnv6 id 7 remote 2001:db8::1 dstport 6082

gretap gt0 remote 192.0.2.3 local 192.0.2.2 key 7 ttl 10 dev e0 {
    up
}

gretap gt1 remote 192.0.2.4 pmtudisc off

ipip t0 remote 192.0.2.5 local 192.0.2.4 ttl 30 dev e0 {
    addr 10.7.0.1/30
    up
}

ipip t1 remote 192.0.2.6

bridge br0 {
    ports gnv0 gt0
    up
}
""",
}

EXAMPLE_SPECS = ["bond-vlan-uplink.ns", "failover.ns", "team.ns", "containers.ns"]

# (spec, render options): every spec plain; the --batch form too for the kinds only this tier
# has, whose batch paths differ (ports taken down first, teamd through the shell).
CASES = (
    [pytest.param(name, (), id=name) for name in LAB_SPECS]
    + [pytest.param(name, ("--batch",), id=name + "-batch") for name in ("bond", "team", "vlan", "tunnels")]
    + [pytest.param(name, (), id="example-" + name[:-3]) for name in EXAMPLE_SPECS]
)


# -- helpers -------------------------------------------------------------------


def cli(*args):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result


def spec_file(case: str, tmp_path: Path) -> Path:
    if case in LAB_SPECS:
        path = tmp_path / f"{case}.ns"
        path.write_text(LAB_SPECS[case].lstrip())
        return path
    return EXAMPLES / case


def placed(spec: Path, ns: str):
    loaded = load(str(spec))
    assert loaded.program is not None, loaded.diagnostics
    return place(loaded.program, netns=ns, prefix=ns + "-")


def render(spec: Path, ns: str, tmp_path: Path, *extra: str) -> Path:
    out = tmp_path / ("down.sh" if "--teardown" in extra else "up.sh")
    result = cli("render", spec, "--netns", ns, "--netns-prefix", ns + "-", "-o", out, *extra)
    assert result.exit_code == 0, result.output
    return out


def run(script: Path) -> subprocess.CompletedProcess:
    result = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, f"{script.name} failed:\n{result.stderr}"
    return result


def ip_batch(ns: str, lines: list[str]) -> None:
    subprocess.run(["ip", "-n", ns, "-batch", "-"], input="".join(line + "\n" for line in lines),
                   text=True, check=True, capture_output=True)


def make_stand_ins(program, ns: str) -> set[str]:
    """Dummy links for the spec's existing (physical) interfaces; returns their names."""
    names = sorted({link.name for link in program.all_links() if link.kind is LinkKind.PHYSICAL})
    if names:
        ip_batch(ns, [f"link add {name} type dummy" for name in names])
    return set(names)


def namespaces_of(program) -> list[str]:
    return sorted({link.netns for link in program.all_links()} | {n.name for n in program.namespaces})


def settled(spaces) -> dict:
    """``snapshot`` plus teamd's live configs, without IPv6 link-local addresses: the kernel
    adds those by itself some time after a link goes up (seconds under emulation), so they
    would flap between runs."""
    out = {}
    for ns, (state, addrs) in snapshot(spaces).items():
        addrs = {name: {a for a in cidrs if not ipaddress.ip_interface(a).is_link_local} for name, cidrs in addrs.items()}
        addrs = {name: cidrs for name, cidrs in addrs.items() if cidrs}  # a link with only link-local ones: none
        out[ns] = (state, addrs)
    out["teamd"] = team_configs(spaces)
    return out


# -- the tests -----------------------------------------------------------------


@pytest.mark.parametrize("case, options", CASES)
def test_script_builds_spec_second_run_changes_nothing_teardown_cleans(case, options, spec_ns, tmp_path):
    ns = spec_ns
    spec = spec_file(case, tmp_path)
    program = placed(spec, ns)
    stand_ins = make_stand_ins(program, ns)
    up = render(spec, ns, tmp_path, *options)
    down = render(spec, ns, tmp_path, "--teardown")
    spaces = namespaces_of(program)

    run(up)
    assert differences(program) == []
    after_first = settled(spaces)

    run(up)
    assert settled(spaces) == after_first, "the second run changed the state"

    run(down)
    assert set(links(ns)) == stand_ins | {"lo"}
    assert derived_namespaces(ns) == []


def test_macvlan_and_ipvlan_on_one_parent_refused_by_validation_then_kernel(spec_ns, tmp_path):
    ns = spec_ns
    spec = tmp_path / "mix.ns"
    spec.write_text("physical e0\nmacvlan mv0 link e0 mode bridge\nipvlan iv0 link e0 mode l2\n")
    checked = cli("check", spec)
    assert checked.exit_code == 1, checked.output
    assert "NS208" in checked.output
    assert cli("render", spec, "--netns", ns).exit_code == 1  # nothing is rendered either

    # What validation saved us from: the kernel refuses the second link, in either order.
    ip_batch(ns, ["link add e0 type dummy", "link add e1 type dummy"])
    firsts = {"e0": (["macvlan", "mode", "bridge"], ["ipvlan", "mode", "l2"]),
              "e1": (["ipvlan", "mode", "l2"], ["macvlan", "mode", "bridge"])}
    for parent, (first, second) in firsts.items():
        ip = ["ip", "-n", ns, "link", "add", "link", parent]
        subprocess.run([*ip, "name", f"{parent}a", "type", *first], check=True)
        refused = subprocess.run([*ip, "name", f"{parent}b", "type", *second], capture_output=True, text=True, check=False)
        assert refused.returncode != 0
        assert "Device or resource busy" in refused.stderr
    assert set(links(ns)) == {"lo", "e0", "e1", "e0a", "e1a"}


def test_ipvlans_on_one_parent_share_its_mode(spec_ns, tmp_path):
    # The kernel keeps one ipvlan mode and flag per parent: a second ipvlan with another mode
    # silently switches the first one, so validation refuses specs that ask for both.
    ns = spec_ns
    spec = tmp_path / "modes.ns"
    spec.write_text("physical e0\nipvlan a link e0 mode l2\nipvlan b link e0 mode l3 flag private\n")
    checked = cli("check", spec)
    assert checked.exit_code == 1, checked.output
    assert "NS225" in checked.output

    ip_batch(ns, ["link add e0 type dummy", "link add link e0 name a type ipvlan mode l2",
                  "link add link e0 name b type ipvlan mode l3 private"])
    data = links(ns)["a"]["linkinfo"]["info_data"]
    assert data == {"mode": "l3", "private": True}


DRIFT_SPEC = """
physical e0
physical e1
physical e2 {
    up
}
physical e3 {
    up
}
physical e4
physical e5

bond bond0 mode active-backup miimon 100 primary e1 {
    ports e0 e1
    addr 192.0.2.1/24
    up
}

vlan bond0.7 link bond0 id 7 {
    addr 192.0.2.65/26
    up
}

vlan vl5 link e2 id 5 protocol 802.1ad reorder_hdr off {
    up
}

ipvlan ipv0 link e3 mode l3 flag private {
    addr 10.6.0.1/32
    up
}

team tm0 runner activebackup {
    port e4 prio 3
    up
}

team tm1 runner lacp {
    port e5 lacp_prio 9
    up
}
"""


def test_create_only_drift_converges_by_recreating(spec_ns, tmp_path):
    ns = spec_ns
    spec = tmp_path / "drift.ns"
    spec.write_text(DRIFT_SPEC.lstrip())
    program = placed(spec, ns)
    make_stand_ins(program, ns)
    up = render(spec, ns, tmp_path)
    run(up)
    assert differences(program) == []

    ip_batch(ns, [
        # a vlan's id is fixed at creation; 50 also catches a `"id":5` prefix match
        "link delete dev vl5",
        "link add link e2 name vl5 type vlan id 50 protocol 802.1ad",
        # a bond's mode changes only while it is down without ports: someone did just that
        "link set dev bond0 down",
        "link set dev e0 nomaster",
        "link set dev e1 nomaster",
        "link set dev bond0 type bond mode balance-rr",
        "link set dev e0 master bond0",
        "link set dev bond0 up",
        # ipvlan mode and flag change in place
        "link set dev ipv0 type ipvlan mode l2 bridge",
    ])
    # a team's runner is fixed when teamd starts it: someone restarted teamd with another
    in_ns = ["ip", "netns", "exec", ns]
    subprocess.run([*in_ns, "teamd", "-t", "tm0", "-k"], check=True, capture_output=True)
    subprocess.run([*in_ns, "teamd", "-d", "-t", "tm0", "-c", '{"device":"tm0","runner":{"name":"roundrobin"}}'],
                   check=True, capture_output=True)
    subprocess.run([*in_ns, "teamdctl", "tm0", "port", "add", "e4"], check=True, capture_output=True)
    # and teamd died under tm1, leaving its device behind (no teamd will take the name now)
    pid = Path("/run/teamd/tm1.pid").read_text().strip()
    subprocess.run(["kill", "-9", pid], check=True)
    while Path(f"/proc/{pid}").exists():
        time.sleep(0.05)

    drifted = differences(program)
    for expected in (f"vl5@{ns}: id is 50", f"vl5@{ns}: reorder_hdr is on", f"bond0@{ns}: mode is 'balance-rr'",
                     f"e1@{ns}: master is None", f"ipv0@{ns}: mode is 'l2'", f"ipv0@{ns}: flag is ['bridge']",
                     f"tm0@{ns}: runner is 'roundrobin'", f"tm0@{ns}: port e4 prio is None", f"tm1@{ns}: teamd does not"):
        assert any(p.startswith(expected) for p in drifted), (expected, drifted)

    run(up)
    assert differences(program) == []
    state = links(ns)
    assert state["vl5"]["linkinfo"]["info_data"]["id"] == 5
    assert {state["e0"].get("master"), state["e1"].get("master")} == {"bond0"}  # re-enslaved
    assert state["bond0"]["linkinfo"]["info_data"]["primary"] == "e1"
    before = settled([ns])
    run(up)
    assert settled([ns]) == before
