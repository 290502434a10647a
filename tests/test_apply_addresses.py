"""Address requests go through the same pipeline and socket as link requests, in a fresh namespace.

An apply sends addresses (``ip address replace`` / ``del``) on the
namespace's one rtnetlink socket, queued in order with the link requests,
their answers read the same way: deferred during an apply, waited for by
undo. A refusal is a KernelError with the kernel's own extended-ack text,
and during an apply it rolls back what was made before it.
"""

from __future__ import annotations

import errno
import subprocess

import pytest
from kernelstate import addresses, links
from live_helpers import ip, placed, state_of

from netscript.backends import netlink
from netscript.backends.netlink.kernel import Kernel, KernelError
from netscript.frontends.kernel.state import KernelState

pytestmark = pytest.mark.kernel


def kernel_for(netns: str) -> Kernel:
    return Kernel(KernelState())  # knows no link: each index is looked up by name, as for a link just made


def test_address_and_link_requests_share_the_pipeline_and_take_effect_in_order(netns):
    ip(netns, "link", "add", "br0", "type", "bridge")
    ip(netns, "link", "add", "br1", "type", "bridge")
    kernel = kernel_for(netns)
    try:
        kernel.index(netns, "br0"), kernel.index(netns, "br1")  # looked up now: nothing below waits
        kernel.deferring = True
        kernel.add_address(netns, "br0", "10.0.0.1/24")
        kernel.add_address(netns, "br0", "2001:db8::1/64")
        kernel.remove_address(netns, "br0", "10.0.0.1/24")  # only after the add can this succeed
        kernel.add_address(netns, "br0", "10.0.0.2/24")
        kernel.add_address(netns, "br1", "192.0.2.1/32")
        kernel.delete(netns, "br1")  # after its address went on, or that add would fail (ENODEV)
        tickets = kernel.take_tickets()
        answers = kernel.settle()
        assert not kernel._ipr, "pyroute2 opened a socket of its own"
    finally:
        kernel.close()

    assert len(tickets) == 6  # every request was queued, none waited for
    assert {ticket: answers[ticket] for ticket in tickets} == dict.fromkeys(tickets)
    assert addresses(netns)["br0"] - {a for a in addresses(netns)["br0"] if a.startswith("fe80:")} == {
        "10.0.0.2/24", "2001:db8::1/64"}
    assert "br1" not in links(netns)


def test_a_refused_address_is_a_kernel_error_with_the_kernels_message(netns):
    ip(netns, "link", "add", "br0", "type", "bridge")
    kernel = kernel_for(netns)
    try:
        with pytest.raises(KernelError) as waited:
            kernel.remove_address(netns, "br0", "10.9.9.9/24")
        kernel.deferring = True
        kernel.remove_address(netns, "br0", "2001:db8::9/64")
        (ticket,) = kernel.take_tickets()
        deferred = kernel.settle()[ticket]
    finally:
        kernel.close()

    assert waited.value.code == errno.EADDRNOTAVAIL
    assert deferred is not None and deferred.code == errno.EADDRNOTAVAIL
    # the kernel's own words (its extended ack) after the errno's
    assert waited.value.describe().startswith("Cannot assign requested address (EADDRNOTAVAIL): ")
    assert "not found" in waited.value.text.lower()


def test_an_address_refused_during_an_apply_rolls_back_what_came_before(netns, tmp_path):
    # links made in this namespace get no IPv6: the kernel refuses their IPv6 addresses
    subprocess.run(["ip", "netns", "exec", netns, "sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1"],
                   check=True)
    spec = tmp_path / "s.ns"
    spec.write_text("bridge br0 {\n    addr 192.0.2.1/24 2001:db8::1/64\n    up\n}\nbridge br1 {\n    up\n}\n")
    before = state_of(netns)

    result = netlink.apply(placed(spec, netns))

    assert not result.ok and result.rolled_back
    failure = next(d.message for d in result.problems if d.code == "NS503")
    assert "2001:db8::1/64" in failure and "IPv6 is disabled on this device" in failure
    assert "the namespaces are as they were" in failure
    assert state_of(netns) == before
