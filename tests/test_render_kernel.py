"""Rendered scripts on the real kernel, in throwaway namespaces.

Each spec is rendered, run twice, and read back: the state must equal the
spec attribute by attribute, the second run must change nothing, drift must
converge, and the teardown must leave only what was there before.
"""

from __future__ import annotations

import os
import subprocess

import pytest
from conftest import EXAMPLES
from kernelstate import differences, snapshot
from live_helpers import settle

from netscript.frontends import load
from netscript.ir.model import LinkKind
from netscript.placement import place

pytestmark = pytest.mark.kernel

# Examples whose kinds this kernel has (bridge, veth, macvlan, macvtap, vxlan, tap).
HOST_KERNEL_EXAMPLES = ["lab.ns", "namespaces.ns"]


def placed(path: str, ns: str):
    loaded = load(path)
    assert loaded.program is not None, loaded.diagnostics
    return place(loaded.program, netns=ns, prefix=ns + "-")


def stand_in_physical(program, ns):
    """Existing interfaces the spec names, made as veth ends in the test namespace."""
    for link in program.all_links():
        if link.kind is LinkKind.PHYSICAL:
            subprocess.run(
                ["ip", "-n", link.netns, "link", "add", "name", link.name, "type", "veth", "peer", "name", "si-" + link.name[:12]],
                check=True,
            )


def render(cli, spec, ns, tmp_path, *extra) -> str:
    out = tmp_path / ("down.sh" if "--teardown" in extra else "up.sh")
    result = cli("render", spec, "--netns", ns, "--netns-prefix", ns + "-", "-o", out, *extra)
    assert result.exit_code == 0, result.output
    return str(out)


def run(script: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", script], capture_output=True, text=True)


def namespaces_of(program):
    return sorted({link.netns for link in program.all_links()} | {n.name for n in program.namespaces})


@pytest.mark.parametrize("batch", [False, True], ids=["plain", "batch"])
@pytest.mark.parametrize("example", HOST_KERNEL_EXAMPLES)
def test_example_builds_and_second_run_changes_nothing(cli, netns, tmp_path, example, batch):
    spec = os.path.join(EXAMPLES, example)
    program = placed(spec, netns)
    stand_in_physical(program, netns)
    script = render(cli, spec, netns, tmp_path, *(["--batch"] if batch else []))

    first = run(script)
    assert first.returncode == 0, first.stderr
    assert differences(program) == []
    for ns in namespaces_of(program):  # IPv6 link-local addresses come after DAD, on their own
        settle(ns)
    after_first = snapshot(namespaces_of(program))

    second = run(script)
    assert second.returncode == 0, second.stderr
    assert snapshot(namespaces_of(program)) == after_first


def test_teardown_removes_what_the_spec_made(cli, netns, tmp_path):
    spec = tmp_path / "t.ns"
    spec.write_text(
        "physical uplink\n"
        "physical nic2\n"
        "netns side\n"
        "bridge br0 { ports uplink v0; up }\n"
        "veth v0 { peer v1 netns side { addr 10.9.0.2/24; up }; up }\n"
        "macvlan mv0 link nic2 mode bridge\n"
    )
    program = placed(str(spec), netns)
    stand_in_physical(program, netns)
    before = set(snapshot([netns])[netns][0])
    assert run(render(cli, spec, netns, tmp_path)).returncode == 0
    assert differences(program) == []

    down = render(cli, spec, netns, tmp_path, "--teardown")
    for _ in range(2):  # and again: nothing left to remove, still exit 0
        result = run(down)
        assert result.returncode == 0, result.stderr
    assert set(snapshot([netns])[netns][0]) == before  # the physical stand-in is still there
    listed = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    assert f"{netns}-side" not in listed


def test_drift_converges(cli, netns, tmp_path):
    spec = os.path.join(EXAMPLES, "lab.ns")
    program = placed(spec, netns)
    script = render(cli, spec, netns, tmp_path)
    assert run(script).returncode == 0

    ip = ["ip", "-n", netns]
    for change in (
        ["link", "set", "dev", "br0", "type", "bridge", "stp_state", "0", "priority", "100"],
        ["link", "set", "dev", "tap-vm2", "mtu", "1400"],
        ["link", "set", "dev", "tap-vm1", "nomaster"],
        ["link", "set", "dev", "v-client", "type", "bridge_slave", "cost", "99"],
        ["link", "set", "dev", "tap-vm1", "down"],
        ["address", "del", "192.0.2.1/24", "dev", "br0"],
        # vxlan ids are fixed at creation: the script must re-create the link
        ["link", "delete", "dev", "vx42"],
        ["link", "add", "vx42", "type", "vxlan", "id", "43", "dstport", "4789"],
    ):
        subprocess.run(ip + change, check=True)
    assert len(differences(program)) >= 7

    result = run(script)
    assert result.returncode == 0, result.stderr
    assert differences(program) == []


def test_wrong_kind_in_the_way_fails_clearly(cli, netns, tmp_path):
    spec = tmp_path / "t.ns"
    spec.write_text("bridge br0 { up }\n")
    subprocess.run(["ip", "-n", netns, "link", "add", "br0", "type", "veth", "peer", "name", "x0"], check=True)
    result = run(render(cli, spec, netns, tmp_path))
    assert result.returncode == 1
    assert "br0 exists but is not of kind bridge" in result.stderr


HOSTILE = ["a;b", "$(touch${IFS}x)", "-x", "`touch${IFS}x`", "q\"t", "n\\\\m"]


@pytest.mark.parametrize("batch", [False, True], ids=["plain", "batch"])
def test_hostile_names_are_created_never_executed(cli, netns, tmp_path, monkeypatch, batch):
    monkeypatch.chdir(tmp_path)
    names = HOSTILE if not batch else HOSTILE[:4]
    lines = []
    for name in names:
        quoted = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
        lines.append(f"bridge {quoted} {{ up }}")
    spec = tmp_path / "hostile.ns"
    spec.write_text("\n".join(lines) + "\n")
    program = placed(str(spec), netns)
    script = render(cli, spec, netns, tmp_path, *(["--batch"] if batch else []))
    assert subprocess.run(["shellcheck", script], capture_output=True).returncode == 0
    for _ in range(2):
        result = run(script)
        assert result.returncode == 0, result.stderr
    assert differences(program) == []
    assert not (tmp_path / "x").exists()


def test_every_setting_this_kernel_has(cli, netns, tmp_path):
    """One spec touching each kind and setting the host kernel supports, read back in full.

    (Not vlan_filtering: this kernel is built without bridge VLAN filtering.)
    """
    spec = tmp_path / "all.ns"
    spec.write_text(
        "physical nic0\nphysical nic1\nphysical nic2\n"
        "bridge br0 stp_state on forward_delay 3s hello_time 150cs max_age 12s ageing_time 600s priority 100"
        " mcast_snooping off mtu 1400 mac 02:11:22:33:44:55 txqueuelen 700 {\n"
        "    port t0 cost 7 priority 9 hairpin on guard on learning off flood off isolated on\n"
        "    ports nic0\n"
        "    addr 203.0.113.1/24 2001:db8:1::1/64\n"
        "    up\n"
        "}\n"
        "tap t0 multi_queue on vnet_hdr on { up }\n"
        "tun tn0 pi on mtu 1300 { down }\n"
        "macvlan mv-p link nic1 mode private\n"
        "macvlan mv-v link nic1 mode vepa\n"
        "macvlan mv-b link nic1 mode bridge { up }\n"
        "macvtap mt0 link nic2 mode bridge\n"
        "vxlan vx7 id 7 local 203.0.113.1 remote 203.0.113.9 dstport 8472 ttl 9 learning off dev br0\n"
    )
    program = placed(str(spec), netns)
    stand_in_physical(program, netns)
    script = render(cli, spec, netns, tmp_path)
    result = run(script)
    assert result.returncode == 0, result.stderr
    assert differences(program) == []
    before = snapshot([netns])
    assert run(script).returncode == 0
    assert snapshot([netns]) == before
