"""Routes, policy rules and sysctls in `render --to networkd` and `--to netplan`, built by the real networkd.

The spec is rendered, networkd (Debian 12's systemd 252, tests/networkd_helpers.py) builds it in a
fresh namespace, directly or from the files `netplan generate` writes, and then the namespace's
routes (`ip -j route show table all`) and rules (`ip -j rule show`), read back through netscript's
own reader of `ip route add` / `ip rule add` words, must be the spec's, and its sysctls the spec's
values. The links are checked with apply's own verification.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
from pathlib import Path

import pytest
from networkd_helpers import (
    NETWORKD,
    missing_routes,
    missing_rules,
    networkd,
    stand_ins,
    wait_until,
    wrong_sysctls,
)

from netscript.backends.netlink.session import verify
from netscript.frontends import load
from netscript.placement import place

needs_networkd = pytest.mark.skipif(
    not os.path.exists(NETWORKD), reason="needs systemd-networkd (Debian package systemd)"
)
needs_netplan = pytest.mark.skipif(
    not os.path.exists("/usr/sbin/netplan"), reason="needs netplan (Debian package netplan.io)"
)

# e0 is a stand-in (a veth made before networkd starts). Everything here networkd 252 has keys for.
NETWORKD_SPEC = """
physical e0 {
    up
}

bridge br0 {
    ports e0
    addr 192.0.2.10/24 2001:db8:1::10/64
    route default via 192.0.2.1 metric 100
    route 10.9.0.0/16 via 192.0.2.5 onlink table 100 src 192.0.2.10 mtu 1400 proto bird
    route 10.20.0.0/16 nexthop via 192.0.2.7 weight 2 nexthop via 192.0.2.8
    route 10.30.0.0/16 scope link
    sysctl ipv4.proxy_arp 1
    sysctl ipv6.accept_ra 0
    sysctl ipv6.hop_limit 33
    sysctl ipv6.use_tempaddr 1
    up
}

route 2001:db8:2::/48 via 2001:db8:1::1
route blackhole 10.66.0.0/16
route unreachable 2001:db8:dead::/48 metric 7
route prohibit 10.67.0.0/16 table 100
rule from 10.1.0.0/16 table 100 priority 1000
rule -6 fwmark 0x10/0xff iif br0 table 200
rule to 10.2.0.0/16 prohibit
sysctl net.ipv4.ip_forward 1
"""

# What netplan 0.106 can say of the same (no multipath, rule iif/oif/mask/type, route proto).
NETPLAN_SPEC = """
physical e0 {
    up
}

bridge br0 {
    ports e0
    addr 192.0.2.10/24 2001:db8:1::10/64
    route default via 192.0.2.1 metric 100
    route 10.9.0.0/16 via 192.0.2.5 onlink table 100 src 192.0.2.10 mtu 1400
    route 10.30.0.0/16 scope link
    sysctl ipv6.accept_ra 0
    sysctl ipv6.use_tempaddr 2
    sysctl ipv6.mtu 1400
    up
}

route 2001:db8:2::/48 via 2001:db8:1::1
route blackhole 10.66.0.0/16
route unreachable 2001:db8:dead::/48 metric 7
rule from 10.1.0.0/16 table 100 priority 1000
rule to 10.2.0.0/16 fwmark 5 table 200 priority 7
rule -6 from 2001:db8:1::/64 table 300
"""


def program_of(tmp_path: Path, text: str, ns: str):
    spec = tmp_path / "routes.ns"
    spec.write_text(text.lstrip())
    loaded = load(str(spec))
    assert not [d for d in loaded.diagnostics if d.severity.name == "ERROR"], loaded.diagnostics
    return spec, place(loaded.program, netns=ns)


def built(program, ns: str, conf: Path, log: Path) -> None:
    """networkd on ``conf`` in ``ns`` builds the spec's links, routes, rules and sysctls."""
    links_only = dataclasses.replace(program, routes=(), rules=(), sysctls=())

    def left():
        return [str(d) for d in verify(links_only)] + missing_routes(program, ns) + missing_rules(program, ns) + (
            wrong_sysctls(program, ns)
        )

    stand_ins(program, ns)
    with networkd(ns, conf, log) as proc:
        problems = wait_until(left, proc)
    assert problems == [], "\n".join(problems) + f"\n--- networkd's log:\n{log.read_text()}"


@needs_networkd
@pytest.mark.kernel
def test_the_real_networkd_builds_the_routes_rules_and_sysctls(cli, netns, tmp_path):
    spec, program = program_of(tmp_path, NETWORKD_SPEC, netns)
    assert len(program.routes) == 8 and len(program.rules) == 3 and len(program.sysctls) == 5
    conf = tmp_path / "network"
    rendered = cli("render", spec, "--to", "networkd", "-o", conf)
    assert rendered.exit_code == 0, rendered.output
    built(program, netns, conf, tmp_path / "networkd.log")


@needs_networkd
@needs_netplan
@pytest.mark.kernel
def test_netplan_generate_then_the_real_networkd_builds_the_routes_rules_and_sysctls(cli, netns, tmp_path):
    spec, program = program_of(tmp_path, NETPLAN_SPEC, netns)
    root = tmp_path / "root"
    (root / "etc" / "netplan").mkdir(parents=True)
    yaml = root / "etc" / "netplan" / "60-netscript.yaml"
    rendered = cli("render", spec, "--to", "netplan", "-o", yaml)
    assert rendered.exit_code == 0, rendered.output
    generated = subprocess.run(["netplan", "generate", "--root-dir", str(root)], capture_output=True, text=True)
    assert generated.returncode == 0 and not generated.stderr, generated.stderr
    built(program, netns, root / "run" / "systemd" / "network", tmp_path / "networkd.log")


@needs_networkd
@pytest.mark.kernel
def test_a_route_networkd_did_not_make_is_found(cli, netns, tmp_path):
    """The check above can fail: a [Route] taken out of the files leaves the spec's route unbuilt."""
    spec, program = program_of(tmp_path, NETWORKD_SPEC, netns)
    conf = tmp_path / "network"
    assert cli("render", spec, "--to", "networkd", "-o", conf).exit_code == 0
    lo = conf / "10-netscript-lo.network"
    lo.write_text(lo.read_text().replace("Destination=10.66.0.0/16", "Destination=10.68.0.0/16"))
    stand_ins(program, netns)
    with networkd(netns, conf, tmp_path / "networkd.log") as proc:
        left = wait_until(lambda: missing_routes(program, netns), proc, limit=4)
    assert any("10.66.0.0/16" in problem for problem in left), left


# -- what networkd and netplan cannot say ----------------------------------------------------

BRIDGE = "bridge br0 {\n    addr 192.0.2.10/24 2001:db8:1::10/64\n    up\n}\n"

REFUSED = [
    # networkd (systemd 252)
    ("networkd", "netns r\nroute blackhole 10.0.0.0/8 netns r\n", "NS701", "route 10.0.0.0/8 is in namespace r"),
    ("networkd", "netns r\nrule from 10.0.0.0/8 table 5 netns r\n", "NS701", "a rule is in namespace r"),
    ("networkd", "netns r\nsysctl net.ipv4.ip_forward 1 netns r\n", "NS701", "in namespace r"),
    ("networkd", BRIDGE + "route 10.0.0.0/8 nexthop dev br0 nexthop via 192.0.2.2\n", "NS703",
     "MultiPathRoute= takes a gateway"),
    ("networkd", BRIDGE + "route 10.0.0.0/8 nexthop via 192.0.2.1 onlink dev br0 nexthop via 192.0.2.2\n", "NS703",
     "MultiPathRoute= takes no onlink"),
    ("networkd", BRIDGE + "route 10.0.0.0/8 via 192.0.2.1 scope 7\n", "NS703", "has none for 7"),
    ("networkd", BRIDGE + "rule fwmark 0 table 5\n", "NS703", "FirewallMark= takes a mark from 1"),
    ("networkd", BRIDGE + "route 10.0.0.0/8 via 198.51.100.1 onlink\n", "NS703", "give the device"),
    ("networkd", "sysctl net.ipv4.ip_forward 0\n", "NS703", "only ever turns forwarding on"),
    ("networkd", "sysctl net.ipv4.ip_forward 1\n", "NS703", "the spec has no link"),
    ("networkd", "sysctl net.ipv4.tcp_syncookies 0\n", "NS703", "/etc/sysctl.d/60-netscript.conf"),
    ("networkd", BRIDGE.replace("up\n", "sysctl ipv4.rp_filter 2\n    up\n"), "NS703", "no key for br0's rp_filter"),
    ("networkd", BRIDGE.replace("up\n", "sysctl ipv6.disable_ipv6 1\n    up\n"), "NS703", "disable_ipv6"),
    ("networkd", BRIDGE.replace("up\n", "sysctl ipv4.forwarding 1\n    up\n"), "NS703", "forwarding"),
    ("networkd", BRIDGE.replace("up\n", "sysctl ipv6.accept_ra 2\n    up\n"), "NS703",
     "networkd answers router advertisements itself"),
    ("networkd", BRIDGE.replace("up\n", "sysctl ipv4.proxy_arp 2\n    up\n"), "NS703", "IPv4ProxyARP= takes 0, 1"),
    ("networkd", "sysctl net.ipv4.conf.lo.proxy_arp 1\n", "NS703", "networkd sets no sysctl for lo"),
    # netplan 0.106
    ("netplan", "sysctl net.ipv6.conf.lo.accept_ra 0\n", "NS706", "networkd sets no sysctl for lo"),
    ("netplan", "netns r\nroute blackhole 10.0.0.0/8 netns r\n", "NS701", "route 10.0.0.0/8 is in namespace r"),
    ("netplan", BRIDGE + "route 10.0.0.0/8 via 198.51.100.1 onlink\n", "NS706", "give the device"),
    ("netplan", BRIDGE + "route 10.0.0.0/8 nexthop via 192.0.2.1 nexthop via 192.0.2.2\n", "NS706", "multipath"),
    ("netplan", BRIDGE + "route 10.0.0.0/8 via 192.0.2.1 proto bird\n", "NS706", "no key for a route's proto"),
    ("netplan", BRIDGE + "route 10.0.0.0/8 via 192.0.2.1 scope site\n", "NS706", "scope site"),
    ("netplan", BRIDGE + "rule from 10.0.0.0/8 iif br0 table 5\n", "NS706", "no key for a rule's iif"),
    ("netplan", BRIDGE + "rule from 10.0.0.0/8 oif br0 table 5\n", "NS706", "no key for a rule's oif"),
    ("netplan", BRIDGE + "rule from 10.0.0.0/8 fwmark 1/0xff table 5\n", "NS706", "no key for a rule's fwmark mask"),
    ("netplan", BRIDGE + "rule from 10.0.0.0/8 prohibit\n", "NS706", "only rules that look up a table"),
    ("netplan", BRIDGE + "rule fwmark 7 table 5\n", "NS706", "needs from or to"),
    ("netplan", "sysctl net.ipv4.ip_forward 1\n", "NS706", "/etc/sysctl.d/60-netscript.conf"),
    ("netplan", BRIDGE.replace("up\n", "sysctl ipv4.proxy_arp 1\n    up\n"), "NS706", "no key for br0's proxy_arp"),
    ("netplan", BRIDGE.replace("up\n", "sysctl ipv6.use_tempaddr 1\n    up\n"), "NS706", "ipv6-privacy"),
]


@pytest.mark.parametrize("target, text, code, words", REFUSED)
def test_what_cannot_be_said_is_an_error_at_its_statement_and_nothing_is_written(cli, tmp_path, target, text, code,
                                                                                 words):  # fmt: skip
    spec = tmp_path / "x.ns"
    spec.write_text(text)
    out = tmp_path / "out"
    result = cli("render", spec, "--to", target, "-o", out)
    assert result.exit_code == 1, result.output
    errors = [line for line in result.output.splitlines() if f"[{code}]" in line]
    assert errors and words in result.output, result.output
    statement = max(n for n, line in enumerate(text.splitlines(), 1) if line.split()[0] in ("route", "rule", "sysctl"))
    assert any(f"x.ns:{statement}:" in line for line in errors), errors
    assert not out.exists()


# the route's and the rule's (and networkd's .netdev of the VRF)
@pytest.mark.parametrize("target, says, times", [("networkd", "Table=10\n", 3), ("netplan", '"table": 10}', 2)])
def test_a_vrf_named_as_the_table_is_its_table_number(cli, tmp_path, target, says, times):
    """networkd and netplan take table numbers (and main, default, local), not a VRF's name."""
    spec = tmp_path / "vrf.ns"
    spec.write_text("vrf blue table 10 {\n    up\n}\n"
                    "bridge br0 {\n    addr 192.0.2.10/24\n    up\n}\n"
                    "route 10.0.0.0/8 via 192.0.2.1 table blue\nrule from 10.1.0.0/16 table blue\n")  # fmt: skip
    result = cli("render", spec, "--to", target)
    assert result.exit_code == 0, result.output
    assert result.stdout.count(says) == times, result.stdout
