"""Convergence defects one by one (issue "Convergence and validation defects", items 4 and 14).

Items 1 to 4 and 8 are also built by all three backends in test_convergence.py.
"""

from __future__ import annotations

import contextlib
import os

import pytest
from backend_runs import Build, make_namespace
from conftest import EXAMPLES
from kernelstate import differences, links
from live_helpers import (
    Monitor,
    count_operations,
    fail_at,
    ip,
    placed,
    settle,
    state_of,
)

from netscript.backends import netlink

pytestmark = pytest.mark.kernel


# -- 14: a second run of the script and of --batch sends nothing ------------------------------


@pytest.mark.parametrize("backend", ["script", "batch"])
def test_a_second_run_of_the_lab_sends_nothing(cli, netns, tmp_path, backend):
    build = Build(cli, backend, os.path.join(EXAMPLES, "lab.ns"), netns, tmp_path)
    assert build.run()[0] == 0
    assert differences(build.program) == []
    for ns in build.namespaces:
        settle(ns)
    with contextlib.ExitStack() as stack:
        monitors = [stack.enter_context(Monitor(ns)) for ns in build.namespaces]
        code, output = build.run()
    assert code == 0, output
    assert [m.events for m in monitors] == [[] for _ in monitors]


@pytest.mark.parametrize("backend", ["script", "batch"])
def test_drifted_settings_ports_and_addresses_still_converge(cli, netns, tmp_path, backend):
    # the guards that keep a second run silent must not hide a difference
    build = Build(cli, backend, os.path.join(EXAMPLES, "lab.ns"), netns, tmp_path)
    assert build.run()[0] == 0
    for words in (
        "link set dev br0 type bridge stp_state 0 priority 100 hello_time 300",
        "link set dev tap-vm2 mtu 1400",
        "link set dev v-client type bridge_slave cost 99 hairpin on",
        "address del 192.0.2.1/24 dev br0",
        "address del 2001:db8::1/64 dev br0",
        "link set dev tap-vm1 down",
    ):
        ip(netns, *words.split())
    assert len(differences(build.program)) >= 6
    code, output = build.run()
    assert code == 0, output
    assert differences(build.program) == []


# -- 4: what the kernel drops when a link goes down, and honest rollback reports ----------------

DOWN_WITH_IPV6 = "veth v0 peer w0 { addr 2001:db8::1/64; down }\nbridge br0 { up }\n"


def up_with_its_address(ns: str) -> None:
    """v0 as the user left it: built by the spec, then `ip link set v0 up` (w0 stays down)."""
    make_namespace(ns)
    ip(ns, "link", "add", "v0", "type", "veth", "peer", "name", "w0")
    ip(ns, "address", "add", "2001:db8::1/64", "dev", "v0")
    ip(ns, "link", "set", "v0", "up")


def test_apply_takes_a_link_down_and_gives_it_back_its_ipv6_address(netns, tmp_path):
    spec = tmp_path / "down.ns"
    spec.write_text(DOWN_WITH_IPV6)
    ns = f"{netns}-x"
    up_with_its_address(ns)
    before = state_of(ns)
    result = netlink.apply(placed(spec, ns))
    if result.ok:
        assert differences(placed(spec, ns)) == []
    else:  # a report that says it undid everything must be true
        claims = any("as they were" in d.message for d in result.problems)
        assert not claims or state_of(ns) == before, [d.message for d in result.problems]
    assert result.ok, [d.message for d in result.problems]


def test_a_rollback_after_taking_a_link_down_restores_the_addresses_the_kernel_dropped(netns, tmp_path):
    spec = tmp_path / "down.ns"
    spec.write_text(DOWN_WITH_IPV6)
    scratch = f"{netns}-count"
    up_with_its_address(scratch)
    operations = count_operations(placed(spec, scratch))
    assert operations >= 3  # create br0, set v0 down, add the address again
    for number in range(operations):
        ns = f"{netns}-at{number}"
        up_with_its_address(ns)
        before = state_of(ns)
        result = netlink.apply(placed(spec, ns), faults=fail_at(number))
        assert not result.ok and result.rolled_back
        assert not any(d.code == "NS507" for d in result.problems), [d.message for d in result.problems]
        assert state_of(ns) == before, f"not restored after a failure at operation {number}"


LOWER_MTU = "veth v0 peer w0 mtu 1400 { addr 10.9.0.1/24 }\n"


def with_a_child_at_9000(ns: str) -> None:
    """v0 at MTU 9000 with a macvlan on it at 9000 too, which the spec does not mention."""
    make_namespace(ns)
    ip(ns, "link", "add", "v0", "mtu", "9000", "type", "veth", "peer", "name", "w0")
    ip(ns, "link", "add", "link", "v0", "name", "m0", "mtu", "9000", "type", "macvlan", "mode", "bridge")


def test_a_rollback_after_lowering_a_links_mtu_restores_the_mtu_the_kernel_lowered_on_its_children(netns, tmp_path):
    # the kernel lowers m0 with v0; setting v0 back to 9000 does not raise m0 again
    spec = tmp_path / "mtu.ns"
    spec.write_text(LOWER_MTU)
    scratch = f"{netns}-count"
    with_a_child_at_9000(scratch)
    operations = count_operations(placed(spec, scratch))
    assert operations == 2  # set v0's MTU, add its address
    assert links(scratch)["m0"]["mtu"] == 1400  # what the kernel does
    for number in range(operations):
        ns = f"{netns}-at{number}"
        with_a_child_at_9000(ns)
        before = state_of(ns)
        result = netlink.apply(placed(spec, ns), faults=fail_at(number))
        assert not result.ok and result.rolled_back
        assert not any(d.code == "NS507" for d in result.problems), [d.message for d in result.problems]
        assert state_of(ns) == before, f"not restored after a failure at operation {number}"
