"""Routes, policy rules and sysctls over netlink: planned per attribute, applied, verified, pruned, undone.

Each test builds in a fresh namespace and reads the result back with `ip -j`
and /proc/sys (through `ip netns exec`), not with netscript's own reader.
"""

from __future__ import annotations

import json
import subprocess

import pytest
from live_helpers import count_operations, fail_at, ip, placed

from netscript.backends import netlink

pytestmark = pytest.mark.kernel

SPEC = """\
sysctl net.ipv4.ip_forward 1
bridge br0 {
    addr 192.0.2.10/24 2001:db8::10/64
    sysctl ipv4.rp_filter 2
    route 10.0.0.0/8 via 192.0.2.1 metric 10
    up
}
route 10.1.0.0/16 via 192.0.2.1 table 100
route blackhole 203.0.113.0/24
route 2001:db8:1::/48 via 2001:db8::1
rule from 10.9.0.0/16 table 100 priority 100
rule fwmark 0x10 table 100 priority 101
"""


def routes(ns: str) -> list[tuple]:
    out = subprocess.run(["ip", "-n", ns, "-j", "route", "show", "table", "all"], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    out6 = subprocess.run(["ip", "-n", ns, "-6", "-j", "route", "show", "table", "all"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    return sorted({(r.get("type", "unicast"), r["dst"], r.get("gateway"), r.get("dev"), r.get("table", "main"),
                   r.get("metric"), r.get("protocol"))
                  for r in json.loads(out) + json.loads(out6)
                   if r.get("protocol") != "kernel" and r.get("table") != "local"})  # fmt: skip


def rules(ns: str) -> list[tuple]:
    out = subprocess.run(["ip", "-n", ns, "-j", "rule"], capture_output=True, text=True, check=True).stdout
    return sorted((r["priority"], r.get("src", "") + (f"/{r['srclen']}" if "srclen" in r else ""), r.get("fwmark"),
                   r.get("table")) for r in json.loads(out))  # fmt: skip


def sysctl(ns: str, key: str) -> str:
    done = subprocess.run(["ip", "netns", "exec", ns, "sysctl", "-n", key], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_routes_rules_and_sysctls_are_applied_verified_and_then_left_alone(netns, tmp_path):
    spec = tmp_path / "routes.ns"
    spec.write_text(SPEC)
    program = placed(spec, netns)
    result = netlink.apply(program)
    assert result.ok, [d.message for d in result.problems]
    assert routes(netns) == sorted([
        ("blackhole", "203.0.113.0/24", None, None, "main", None, "static"),
        ("unicast", "10.0.0.0/8", "192.0.2.1", "br0", "main", 10, "static"),
        ("unicast", "10.1.0.0/16", "192.0.2.1", "br0", "100", None, "static"),
        ("unicast", "2001:db8:1::/48", "2001:db8::1", "br0", "main", 1024, "static"),
    ])  # fmt: skip
    assert (100, "10.9.0.0/16", None, "100") in rules(netns) and (101, "all", "0x10", "100") in rules(netns)
    assert sysctl(netns, "net.ipv4.ip_forward") == "1"
    assert sysctl(netns, "net.ipv4.conf.br0.rp_filter") == "2"

    again = netlink.apply(program)
    assert again.ok and not again.done and again.requests == 0


def test_a_route_changed_by_hand_is_one_step_per_attribute_and_comes_back(cli, netns, tmp_path):
    spec = tmp_path / "routes.ns"
    spec.write_text(SPEC)
    assert netlink.apply(placed(spec, netns)).ok
    ip(netns, "route", "replace", "10.0.0.0/8", "via", "192.0.2.2", "dev", "br0", "metric", "10", "mtu", "1400")
    subprocess.run(["ip", "netns", "exec", netns, "sysctl", "-qw", "net.ipv4.ip_forward=0"], check=True)
    plan = cli("plan", spec, "--netns", netns)
    assert plan.exit_code == 0, plan.output
    assert f"~ replace route 10.0.0.0/8 via 192.0.2.1 dev br0 metric 10 in {netns}" in plan.stdout
    assert "via: 192.0.2.2 -> 192.0.2.1" in plan.stdout and "mtu: 1400 -> (none)" in plan.stdout
    assert f"~ set sysctl net.ipv4.ip_forward 1 in {netns}" in plan.stdout and "value: 0 -> 1" in plan.stdout
    applied = cli("apply", spec, "--netns", netns)
    assert applied.exit_code == 0, applied.output
    assert ("unicast", "10.0.0.0/8", "192.0.2.1", "br0", "main", 10, "static") in routes(netns)
    assert sysctl(netns, "net.ipv4.ip_forward") == "1"


def test_prune_removes_what_the_spec_does_not_state_but_not_what_the_kernel_or_dhcp_made(cli, netns, tmp_path):
    spec = tmp_path / "routes.ns"
    spec.write_text(SPEC)
    assert netlink.apply(placed(spec, netns)).ok
    ip(netns, "route", "add", "10.7.0.0/16", "via", "192.0.2.7")  # someone's: pruned
    ip(netns, "route", "add", "10.8.0.0/16", "via", "192.0.2.8", "proto", "dhcp")  # DHCP's: kept
    ip(netns, "rule", "add", "iif", "br0", "table", "7", "priority", "300")  # someone's: pruned
    plan = cli("plan", spec, "--netns", netns, "--prune")
    assert plan.exit_code == 0, plan.output
    assert f"- delete route 10.7.0.0/16 via 192.0.2.7 dev br0 proto boot in {netns}  [disrupts]" in plan.stdout
    assert f"- delete rule priority 300 iif br0 table 7 in {netns}  [disrupts]" in plan.stdout
    assert "10.8.0.0" not in plan.stdout and "lookup" not in plan.stdout and "32766" not in plan.stdout
    assert "3 change(s)" not in plan.stdout and plan.stdout.startswith("2 change(s)")
    applied = cli("apply", spec, "--netns", netns, "--prune")
    assert applied.exit_code == 0, applied.output
    assert not any(r[1] == "10.7.0.0/16" for r in routes(netns))
    assert any(r[1] == "10.8.0.0/16" for r in routes(netns))
    assert [r[0] for r in rules(netns)] == [0, 100, 101, 32766, 32767]


def test_a_failure_at_any_operation_puts_routes_rules_and_sysctls_back(netns, tmp_path):
    spec = tmp_path / "routes.ns"
    spec.write_text(SPEC)

    def build(ns):
        subprocess.run(["ip", "netns", "add", ns], check=True)
        for words in ("link add br0 type bridge", "address add 192.0.2.10/24 dev br0", "link set br0 up",
                      "route add 10.0.0.0/8 via 192.0.2.3 metric 10", "route add 10.6.0.0/16 via 192.0.2.6",
                      "rule add iif br0 table 7 priority 300"):  # fmt: skip
            ip(ns, *words.split())

    build(netns + "-count")
    operations = count_operations(placed(spec, netns + "-count"), prune=True)
    assert operations >= 10
    for number in range(operations):
        ns = f"{netns}-at{number}"
        build(ns)
        before = routes(ns), rules(ns), sysctl(ns, "net.ipv4.ip_forward"), sysctl(ns, "net.ipv4.conf.br0.rp_filter")
        result = netlink.apply(placed(spec, ns), prune=True, faults=fail_at(number))
        assert not result.ok and result.rolled_back
        assert not any(d.code == "NS507" for d in result.problems), [d.message for d in result.problems]
        after = routes(ns), rules(ns), sysctl(ns, "net.ipv4.ip_forward"), sysctl(ns, "net.ipv4.conf.br0.rp_filter")
        assert after == before, f"not restored after a failure at operation {number}"
        subprocess.run(["ip", "netns", "del", ns], check=True)


def _ping(ns: str, address: str) -> bool:
    done = subprocess.run(["ip", "netns", "exec", ns, "ping", "-c", "3", "-i", "0.2", "-W", "1", address],
                          capture_output=True, text=True, check=False)
    return done.returncode == 0


def test_apply_of_the_router_example_forwards_and_undoes_ip_forward(cli, netns, tmp_path):
    """examples/router.ns through apply: the clients reach each other through the router once
    the spec's ip_forward is set, not before; a second apply changes nothing."""
    from pathlib import Path

    from conftest import delete_namespaces

    example = Path(__file__).resolve().parents[1] / "examples" / "router.ns"
    text = example.read_text()
    line = "sysctl net.ipv4.ip_forward 1 netns router\n"
    assert line in text
    unforwarded = tmp_path / "no-forwarding.ns"
    unforwarded.write_text(text.replace(line, "sysctl net.ipv4.ip_forward 0 netns router\n"))
    left, router, right = (f"{netns}-{name}" for name in ("left", "router", "right"))
    try:
        result = cli("apply", unforwarded, "--netns-prefix", netns + "-")
        assert result.exit_code == 0, result.output
        assert not _ping(left, "10.2.0.2"), "the router forwards though the spec says it must not"
        result = cli("apply", example, "--netns-prefix", netns + "-")
        assert result.exit_code == 0, result.output
        assert _ping(left, "10.2.0.2") and _ping(right, "10.1.0.2")
        forward = subprocess.run(["ip", "netns", "exec", router, "cat", "/proc/sys/net/ipv4/ip_forward"],
                                 capture_output=True, text=True, check=True).stdout.strip()
        assert forward == "1"
        again = cli("plan", example, "--netns-prefix", netns + "-", "--exit-code")
        assert again.exit_code == 0, again.output
    finally:
        delete_namespaces(netns)
