"""Validation: one spec in, the exact diagnostics out (code and line), all at once."""

from __future__ import annotations

import pytest

from netscript.frontends import dsl
from netscript.validate import interface_name_problem, validate

P = "physical eth0; physical eth1; physical eth2\n"


def findings(text):
    program, read = dsl.parse(text, "t.ns")
    assert [d for d in read if d.is_error] == [], read
    return sorted((d.code, d.span.line if d.span else 0) for d in validate(program))


CASES = [
    # clean
    (P + "bridge br0 { ports eth0; up }", []),
    (P + "bond b0 mode active-backup miimon 100 { ports eth0 eth1; primary eth0 }", []),
    (P + "vlan eth0.10 link eth0 id 10", []),
    ("netns red\n" + P + "macvlan m link eth0 netns red", []),
    ("bridge br0 stp_state off forward_delay 0", []),
    # names
    ("bridge abcdefghijklmnop", [("NS201", 1)]),
    ('bridge "a/b"', [("NS201", 1)]),
    ('bridge "a:b"', [("NS201", 1)]),
    ('bridge ".."', [("NS201", 1)]),
    ('bridge "ééééééééé"', [("NS201", 1)]),  # 18 bytes
    ('netns "a/b"', [("NS211", 1)]),
    # ranges and choices
    (P + "vlan v link eth0 id 4095", [("NS202", 2)]),
    (P + "vlan v link eth0 id 4094", []),
    ("vxlan vx id 16777216", [("NS202", 1)]),
    ("bridge b mtu 67", [("NS202", 1)]),
    ("bond b mode active-standby", [("NS203", 1)]),
    ("team t runner fastest", [("NS203", 1)]),
    (P + "macvlan m link eth0 mode bridged", [("NS203", 2)]),
    ("bridge b { port x priority 64 }\ntap x", [("NS202", 1)]),
    ("bridge b mac 01:00:5e:00:00:01", [("NS214", 1)]),
    ("bridge b { addr 10.0.0.300/24 }", [("NS214", 1)]),
    ("bridge b stp_state on forward_delay 1s", [("NS219", 1)]),
    ("bridge b hello_time 11s", [("NS202", 1)]),
    # references
    ("vlan v link eth9 id 2", [("NS204", 1)]),
    ("vlan v id 2", [("NS213", 1)]),
    (P + "vlan v link eth0", [("NS213", 2)]),
    ("bridge b { ports ghost }", [("NS204", 1)]),
    ("bridge b netns nowhere", [("NS204", 1)]),
    ("veth v peer w@nowhere", [("NS204", 1)]),
    ("veth v", [("NS213", 1)]),
    ("vlan v link v id 3", [("NS217", 1)]),
    # structure
    ("bridge b\nbridge b", [("NS205", 2)]),
    ("netns red\nbridge b netns red\nbridge b", []),  # same name, other namespace
    ("veth v peer w\nbridge w", [("NS205", 2)]),
    (P + "bridge b1 { ports eth0 }\nbridge b2 { ports eth0 }", [("NS206", 3)]),
    ("bridge b1 { ports b2 }\nbridge b2 { ports b1 }", [("NS207", 1)]),
    ("bridge b1 { ports b1 }", [("NS207", 1)]),
    (P + "macvlan m link eth0\nipvlan i link eth0", [("NS208", 3)]),
    (P + "macvtap m link eth0\nipvlan i link eth0 mode l3", [("NS208", 3)]),
    (P + "bridge b { ports eth0 }\nmacvlan m link eth0", [("NS224", 3)]),
    # one ipvlan mode and flag per parent (no mode: l3; a mode without a flag: bridge)
    (P + "ipvlan a link eth0 mode l2\nipvlan b link eth0 mode l2 flag bridge", []),
    (P + "ipvlan a link eth0\nipvlan b link eth0 mode l3", []),
    (P + "ipvlan a link eth0 mode l2\nipvlan b link eth0 mode l3", [("NS225", 3)]),
    (P + "ipvlan a link eth0 mode l3 flag private\nipvlan b link eth0 mode l3", [("NS225", 3)]),
    (P + "ipvlan a link eth0 mode l2\nipvlan b link eth1 mode l3", []),
    # bond delays count miimon intervals (802.3ad and tlb/alb default to miimon 100)
    (P + "bond b miimon 100 updelay 200 downdelay 300", []),
    (P + "bond b mode 802.3ad updelay 200", []),
    (P + "bond b updelay 200", [("NS226", 2)]),
    (P + "bond b mode 802.3ad miimon 0 downdelay 200", [("NS220", 2), ("NS226", 2)]),
    (P + "bond b miimon 100 updelay 150", [("NS226", 2)]),
    # vlan priority maps: egress to a VLAN priority, ingress from one
    (P + "vlan v link eth0 id 2 egress-qos-map 9:7 ingress-qos-map 7:100", []),
    (P + "vlan v link eth0 id 2 egress-qos-map 0:8", [("NS202", 2)]),
    (P + "vlan v link eth0 id 2 ingress-qos-map 9:1", [("NS202", 2)]),
    ("netns red\n" + P + "bridge b netns red { ports eth0 }", [("NS212", 3)]),
    ("netns red\nphysical e netns red\nmacvlan m link e@red", [("NS223", 3)]),
    # bond and team options by mode/runner
    (P + "bond b mode active-backup lacp_rate fast", [("NS210", 2)]),
    (P + "bond b mode 802.3ad primary eth0 { ports eth0 }", [("NS210", 2)]),
    (P + "bond b mode active-backup { ports eth0; primary eth1 }", [("NS221", 2)]),
    (P + "bond b mode balance-xor arp_interval 100", [("NS213", 2)]),
    ("team t runner activebackup tx_hash eth", [("NS210", 1)]),
    (P + "bond b mode active-backup miimon 0", [("NS220", 2)]),
    (P + "bond b mode active-backup miimon 0 arp_interval 100 arp_ip_target 192.0.2.1", []),
    ("team t link_watch arp_ping", [("NS213", 1)]),
    # addresses on ports
    (P + "bridge b { ports eth0 }\nphysical e9 { addr 10.0.0.1/24 }\nbond c { ports e9 }", [("NS222", 3)]),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_validation_table(text, expected):
    assert findings(text) == sorted(expected)


def test_all_problems_reported_at_once():
    text = "bridge abcdefghijklmnop\nvlan v id 5000\nbond b mode nope\nbridge x { ports ghost }\n"
    codes = [c for c, _ in findings(text)]
    assert codes == ["NS201", "NS202", "NS203", "NS204", "NS213"]


@pytest.mark.parametrize(
    "name, ok",
    [("eth0", True), ("a" * 15, True), ("a" * 16, False), ("", False), (".", False), ("a b", False),
     ("a\tb", False), ("a;b", True), ("$(x)", True), ("-x", True), ("é" * 7, True), ("é" * 8, False)],
)
def test_interface_names(name, ok):
    assert (interface_name_problem(name) is None) == ok
