"""export writes the routes someone configured and the rules someone added, and apply builds them again.

A namespace is given routes and rules with `ip` (every kind the IR holds,
plus what export must leave out: DHCP's route, the kernel's own, the three
default rules); its export, applied in a fresh namespace, gives the same
routes and rules, read back with `ip -j`.
"""

from __future__ import annotations

import json
import subprocess

import pytest
from live_helpers import ip

pytestmark = pytest.mark.kernel

BUILD = [
    "link add eth0 type veth peer name p0", "link set eth0 up", "link set p0 up",
    "address add 192.0.2.10/24 dev eth0", "-6 address add 2001:db8::10/64 dev eth0 nodad",
    "route add default via 192.0.2.1",
    "route add 10.9.0.0/16 dev eth0 metric 7 mtu 1400 table 100",
    "route add blackhole 10.66.0.0/16",
    "route add 10.7.0.0/16 proto static nexthop via 192.0.2.1 weight 2 nexthop via 192.0.2.2",
    "route add 10.8.0.0/16 via 198.51.100.1 dev eth0 onlink src 192.0.2.10",
    "-6 route add 2001:db8:5::/48 via 2001:db8::1",
    "rule add from 10.0.0.0/8 table 100 priority 100",
    "rule add fwmark 0x10/0xff iif eth0 prohibit priority 98",
    "-6 rule add to 2001:db8::/32 table 7 priority 500",
]  # fmt: skip
DHCP = "route add 10.5.0.0/16 via 192.0.2.5 proto dhcp"


def routes(ns: str) -> set:
    out = subprocess.run(["ip", "-n", ns, "-j", "-d", "route", "show", "table", "all"], capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    return {json.dumps(r, sort_keys=True) for r in json.loads(out)
            if r.get("protocol") not in ("kernel", "dhcp") and r.get("table") != "local"}  # fmt: skip


def rules(ns: str) -> list:
    out = []
    for family in ("-4", "-6"):
        listed = subprocess.run(["ip", "-n", ns, family, "-j", "rule"], capture_output=True, text=True, check=True)
        out += json.loads(listed.stdout)
    return sorted(json.dumps(r, sort_keys=True) for r in out)


def test_export_then_apply_gives_the_same_routes_and_rules(cli, netns, tmp_path):
    for words in [*BUILD, DHCP]:
        ip(netns, *words.split())
    exported = cli("export", "--netns", netns)
    assert exported.exit_code == 0, exported.output
    text = exported.stdout
    assert "route default via 192.0.2.1 dev eth0 proto boot\n" in text
    assert "route 10.7.0.0/16 nexthop via 192.0.2.1 dev eth0 weight 2 nexthop via 192.0.2.2 dev eth0\n" in text
    assert "rule priority 98 iif eth0 fwmark 0x10/0xff prohibit\n" in text
    assert "10.5.0.0" not in text  # DHCP's
    assert "fe80" not in text and "ff00" not in text and "proto kernel" not in text  # the kernel's own
    assert "32766" not in text and "lookup local" not in text  # the default rules

    spec = tmp_path / "exported.ns"
    spec.write_text(text)
    fresh = netns + "-again"
    subprocess.run(["ip", "netns", "add", fresh], check=True)
    applied = cli("apply", spec, "--netns", fresh)
    assert applied.exit_code == 0, applied.output
    assert routes(fresh) == routes(netns)
    assert rules(fresh) == rules(netns)
    assert cli("export", "--netns", fresh).stdout == text
