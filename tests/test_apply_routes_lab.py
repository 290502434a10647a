"""A KVM host's uplink made a bridge port over netlink, with real traffic through it.

The lab: a "gateway" namespace joined by a veth to a "host" namespace, whose
uplink (the veth end, ``physical eth0`` in the spec) holds the address and
the default route; behind the gateway, 198.51.100.1. examples/kvm-host.ns is
applied to the host: afterwards a ping from the host reaches 198.51.100.1
through the bridge; a failure injected before each kernel operation rolls
everything back to a host that still reaches it, the default route included;
and a second apply sends nothing. The ping is ICMP echo on a raw socket made
inside the host namespace (iputils is not needed): the real data path.
"""

from __future__ import annotations

import json
import os
import random
import socket
import struct
import subprocess

import pytest
from conftest import EXAMPLES
from live_helpers import count_operations, fail_at, ip, placed, settle, state_of

from netscript.backends import netlink
from netscript.netlink import rtnl

pytestmark = pytest.mark.kernel

KVM_HOST = os.path.join(EXAMPLES, "kvm-host.ns")
BEHIND_GATEWAY = "198.51.100.1"


def build_lab(host: str) -> None:
    gateway = host + "-gw"
    subprocess.run(["ip", "netns", "add", host], check=True)
    subprocess.run(["ip", "netns", "add", gateway], check=True)
    ip(host, "link", "add", "eth0", "type", "veth", "peer", "name", "gw0", "netns", gateway)
    for words in ("address add 192.0.2.1/24 dev gw0", "link set gw0 up", "link set lo up",
                  f"address add {BEHIND_GATEWAY}/32 dev lo"):  # fmt: skip
        ip(gateway, *words.split())
    for words in ("link set lo up", "address add 192.0.2.10/24 dev eth0", "link set eth0 up",
                  "route add default via 192.0.2.1"):  # fmt: skip
        ip(host, *words.split())


def routes(ns: str) -> list:
    """Every route but the local table's and the IPv6 link-local ones (the kernel adds those when it gets to it)."""
    out = subprocess.run(["ip", "-n", ns, "-j", "route", "show", "table", "all"], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    return sorted(json.dumps(r, sort_keys=True) for r in json.loads(out)
                   if r.get("table") != "local" and not r["dst"].startswith("fe80:"))


def _checksum(data: bytes) -> int:
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    total = (total >> 16) + (total & 0xFFFF)
    return ~(total + (total >> 16)) & 0xFFFF


def ping(ns: str, address: str, tries: int = 10) -> bool:
    """Whether an ICMP echo from namespace ``ns`` to ``address`` is answered (a few tries, a second each)."""
    ident = random.randrange(1 << 16)
    with rtnl.socket_in(ns, socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP) as sock:
        sock.settimeout(1)
        for seq in range(tries):
            header = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
            payload = b"netscript!"  # an even length, for the checksum
            packet = struct.pack("!BBHHH", 8, 0, _checksum(header + payload), ident, seq) + payload
            try:
                sock.sendto(packet, (address, 0))
                while True:
                    data = sock.recv(2048)
                    at = (data[0] & 0x0F) * 4
                    kind, _, _, got_ident, got_seq = struct.unpack_from("!BBHHH", data, at)
                    if kind == 0 and (got_ident, got_seq) == (ident, seq):
                        return True
            except (TimeoutError, OSError):  # no answer this second, or no route at all
                continue
    return False


def test_the_lab_reaches_past_the_gateway_before_anything(netns):
    host = netns + "-host"
    build_lab(host)
    assert ping(host, BEHIND_GATEWAY)
    ip(host, "route", "del", "default")
    assert not ping(host, BEHIND_GATEWAY, tries=2)  # the ping can fail: it is the default route that carries it


def test_the_uplink_becomes_a_bridge_port_in_one_transaction(netns):
    host = netns + "-host"
    build_lab(host)
    program = placed(KVM_HOST, host)
    result = netlink.apply(program)  # no --force: the spec moves the default route, it does not cut it
    assert result.ok, [d.message for d in result.problems]
    titles = [s.title for s in result.done]
    assert "enslave eth0 to br0" in titles and "remove 192.0.2.10/24 from eth0" in titles
    assert "replace route default via 192.0.2.1 dev br0" in titles
    default = subprocess.run(["ip", "-n", host, "-j", "route", "show", "default"], capture_output=True, text=True,
                             check=True).stdout  # fmt: skip
    assert [(r["gateway"], r["dev"]) for r in json.loads(default)] == [("192.0.2.1", "br0")]
    assert ping(host, BEHIND_GATEWAY)

    again = netlink.apply(program)
    assert again.ok and not again.done and again.requests == 0
    assert netlink.make_plan(program).steps == []


def test_a_failure_at_any_operation_leaves_a_host_that_still_reaches_the_gateway(netns):
    build_lab(netns + "-count")
    operations = count_operations(placed(KVM_HOST, netns + "-count"))
    assert operations >= 5  # create, enslave, move the address (two), replace the route

    for number in range(operations):
        host = f"{netns}-at{number}"
        build_lab(host)
        settle(host)  # the links' IPv6 link-local addresses come when the kernel gets to them
        settle(host + "-gw")
        before, routes_before = state_of(host), routes(host)
        result = netlink.apply(placed(KVM_HOST, host), faults=fail_at(number))
        assert not result.ok and result.rolled_back
        failure = next(d for d in result.problems if d.code == "NS503")
        assert "injected failure" in failure.message and "the namespaces are as they were" in failure.message
        assert not any(d.code == "NS507" for d in result.problems), [d.message for d in result.problems]
        assert routes(host) == routes_before, f"routes not restored after a failure at operation {number}"
        assert state_of(host) == before, f"links not restored after a failure at operation {number}"
        assert ping(host, BEHIND_GATEWAY), f"no way out after a failure at operation {number}"


def test_enslaving_the_uplink_without_moving_the_route_is_still_refused(netns, tmp_path):
    host = netns + "-host"
    build_lab(host)
    spec = tmp_path / "no-route.ns"
    spec.write_text("physical eth0 {\n    up\n}\nbridge br0 {\n    ports eth0\n    addr 192.0.2.10/24\n    up\n}\n")
    result = netlink.apply(placed(spec, host))
    refused = [d for d in result.problems if d.code == "NS506"]
    assert refused and "eth0 carries the default route" in refused[0].message
    assert ping(host, BEHIND_GATEWAY)


def test_leaving_a_namespace_without_its_default_route_is_a_disruption(cli, netns, tmp_path):
    host = netns + "-host"
    build_lab(host)
    spec = tmp_path / "no-default.ns"
    spec.write_text("physical eth0 {\n    addr 192.0.2.10/24\n    up\n}\n")
    plan = cli("plan", spec, "--netns", host, "--prune")
    assert plan.exit_code == 0, plan.output
    assert f"- delete route default via 192.0.2.1 dev eth0 proto boot in {host}  [disrupts]" in plan.stdout
    refused = cli("apply", spec, "--netns", host, "--prune", "--no-disrupt")
    assert refused.exit_code == 1
    assert f"leaves namespace {host} without a default route): disrupts traffic (--no-disrupt) [NS505]" in refused.stderr
    assert ping(host, BEHIND_GATEWAY)
