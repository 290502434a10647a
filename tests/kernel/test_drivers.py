"""Smoke tests for the kernel-lab tier: the guest kernel has the drivers and the guest sees
the Debian user-space tools (teamd, vconfig, brctl, ifenslave's ifupdown hooks).

Each test works in its own fresh network namespace (``netns`` fixture) and asserts on
``ip -d -j link`` state. Run with ``bash tests/kernel/run``; skipped anywhere else.
"""

from __future__ import annotations

import json
import time

import pytest

TEAM_CONFIG = json.dumps({"runner": {"name": "activebackup"}})


def kind(link):
    return link.get("linkinfo", {}).get("info_kind")


def data(link):
    return link.get("linkinfo", {}).get("info_data", {})


def slave_kind(link):
    return link.get("linkinfo", {}).get("info_slave_kind")


def test_guest_kernel_is_the_lab_kernel():
    # The lab kernel is Debian's cloud kernel; the host's has none of these drivers.
    with open("/proc/sys/kernel/osrelease") as f:
        assert f.read().strip().endswith("-cloud-amd64")


def test_bond_active_backup(netns, nsrun, link_state):
    nsrun("ip", "link", "add", "b0", "type", "bond", "mode", "active-backup", "miimon", "100")
    nsrun("ip", "link", "add", "d1", "type", "dummy")
    nsrun("ip", "link", "set", "d1", "master", "b0")
    links = link_state(netns)
    assert kind(links["b0"]) == "bond"
    assert data(links["b0"])["mode"] == "active-backup"
    assert data(links["b0"])["miimon"] == 100
    assert links["d1"]["master"] == "b0"
    assert slave_kind(links["d1"]) == "bond"


def test_vlan_on_dummy(netns, nsrun, link_state):
    nsrun("ip", "link", "add", "d0", "type", "dummy")
    nsrun("ip", "link", "add", "d0.5", "link", "d0", "type", "vlan", "id", "5")
    links = link_state(netns)
    assert kind(links["d0"]) == "dummy"
    vlan = links["d0.5"]
    assert kind(vlan) == "vlan"
    assert data(vlan)["id"] == 5
    assert data(vlan)["protocol"] == "802.1Q"
    assert vlan["link"] == "d0"


def test_ipvlan(netns, nsrun, link_state):
    nsrun("ip", "link", "add", "d0", "type", "dummy")
    nsrun("ip", "link", "add", "ipv0", "link", "d0", "type", "ipvlan", "mode", "l2")
    ipv = link_state(netns)["ipv0"]
    assert kind(ipv) == "ipvlan"
    assert data(ipv)["mode"] == "l2"
    assert ipv["link"] == "d0"


def test_vrf(netns, nsrun, link_state):
    nsrun("ip", "link", "add", "vrf0", "type", "vrf", "table", "10")
    nsrun("ip", "link", "add", "d0", "type", "dummy")
    nsrun("ip", "link", "set", "d0", "master", "vrf0")
    links = link_state(netns)
    assert kind(links["vrf0"]) == "vrf"
    assert data(links["vrf0"])["table"] == 10
    assert links["d0"]["master"] == "vrf0"
    assert slave_kind(links["d0"]) == "vrf"


@pytest.mark.parametrize(
    "first, second",
    [(("macvlan",), ("ipvlan", "mode", "l2")), (("ipvlan", "mode", "l2"), ("macvlan",))],
    ids=["macvlan-then-ipvlan", "ipvlan-then-macvlan"],
)
def test_macvlan_and_ipvlan_on_same_parent_refused(netns, nsrun, link_state, first, second):
    nsrun("ip", "link", "add", "d0", "type", "dummy")
    nsrun("ip", "link", "add", "v1", "link", "d0", "type", *first)
    proc = nsrun("ip", "link", "add", "v2", "link", "d0", "type", *second, check=False)
    assert proc.returncode != 0
    assert "Device or resource busy" in proc.stderr
    links = link_state(netns)
    assert kind(links["v1"]) == first[0]
    assert "v2" not in links


def test_team_activebackup_with_teamd(netns, nsrun, link_state):
    nsrun("ip", "link", "add", "d1", "type", "dummy")
    # -d: daemonize; the parent returns once the team device exists. teamd's pid file and
    # control socket live in /run/teamd/<team>.{pid,sock}: one team name per guest at a time.
    nsrun("teamd", "-d", "-t", "team0", "-c", TEAM_CONFIG)
    try:
        state = nsrun("teamdctl", "team0", "state").stdout
        assert "runner: activebackup" in state
        nsrun("teamdctl", "team0", "port", "add", "d1")
        links = link_state(netns)
        assert kind(links["team0"]) == "team"
        assert links["d1"]["master"] == "team0"
        assert slave_kind(links["d1"]) == "team"
        assert "d1" in nsrun("teamdctl", "team0", "state").stdout
    finally:
        nsrun("teamd", "-t", "team0", "-k", check=False)
    deadline = time.monotonic() + 10
    while "team0" in link_state(netns) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "team0" not in link_state(netns), "teamd -k should remove its team device"


def test_vconfig_from_debian_vlan_package(netns, nsrun, link_state):
    nsrun("ip", "link", "add", "d0", "type", "dummy")
    nsrun("vconfig", "add", "d0", "7")  # warns on stderr that it is deprecated
    vlan = link_state(netns)["d0.7"]
    assert kind(vlan) == "vlan"
    assert data(vlan)["id"] == 7
    nsrun("vconfig", "rem", "d0.7")
    assert "d0.7" not in link_state(netns)


def test_brctl_from_bridge_utils(netns, nsrun, link_state):
    nsrun("ip", "link", "add", "d0", "type", "dummy")
    nsrun("brctl", "addbr", "br0")
    nsrun("brctl", "addif", "br0", "d0")
    assert "d0" in nsrun("brctl", "show", "br0").stdout
    links = link_state(netns)
    assert kind(links["br0"]) == "bridge"
    assert links["d0"]["master"] == "br0"
    assert slave_kind(links["d0"]) == "bridge"


def test_ifenslave_ifupdown_bond(netns, nsrun, link_state, tmp_path):
    # Debian's ifenslave has no ifenslave binary any more: it is ifupdown hooks that read
    # bond-* options. The hook re-runs ifup for each slave with the default interfaces file
    # and state dir (/etc/network/interfaces, /run/network): fine in the throw-away guest.
    for dev in ("d2", "d3"):
        nsrun("ip", "link", "add", dev, "type", "dummy")
    interfaces = tmp_path / "interfaces"
    interfaces.write_text(
        "iface bond1 inet manual\n"
        "    bond-slaves d2 d3\n"
        "    bond-mode active-backup\n"
        "    bond-miimon 100\n"
        "    bond-primary d2\n"
    )
    state = tmp_path / "state"
    state.mkdir()
    ifup = ["-i", interfaces, "--state-dir", state, "bond1"]
    nsrun("ifup", *ifup)
    links = link_state(netns)
    bond = links["bond1"]
    assert kind(bond) == "bond"
    assert data(bond)["mode"] == "active-backup"
    assert data(bond)["miimon"] == 100
    assert data(bond)["primary"] == "d2"
    assert "UP" in bond["flags"]
    for dev in ("d2", "d3"):
        assert links[dev]["master"] == "bond1"
    nsrun("ifdown", *ifup)


def test_bonding_refuses_a_port_that_is_up_as_check_says(netns, nsrun, link_state, tmp_path):
    # NS228 stands for this refusal: the same commands, run and checked
    from click.testing import CliRunner

    from netscript.cli import main

    commands = ["ip link add b0 type bond mode active-backup", "ip link add d1 type dummy",
                "ip link set dev d1 up", "ip link set dev d1 master b0"]
    results = [nsrun(*c.split(), check=False) for c in commands]
    assert [r.returncode for r in results[:3]] == [0, 0, 0]
    assert results[3].returncode != 0 and "enslaved while up" in results[3].stderr
    assert "master" not in link_state(netns)["d1"]
    doc = tmp_path / "howto.md"
    doc.write_text("```\n" + "".join(f"# {c}\n" for c in commands) + "```\n")
    result = CliRunner().invoke(main, ["check", str(doc)])
    assert result.exit_code == 1 and f"{doc}:5:3: error: d1 is up" in result.output and "[NS228]" in result.output
