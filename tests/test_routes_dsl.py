"""The DSL's route, rule, neigh and sysctl statements: `ip route add` / `ip rule add` / sysctl words, read and written back."""

from __future__ import annotations

import pytest

from netscript.backends.dsl import print_program
from netscript.frontends import dsl
from netscript.ir.routing import Nexthop, RouteType, RuleAction
from netscript.plan import plan, teardown
from netscript.validate import validate

SPEC = """\
netns r
bridge br0 {
    addr 192.0.2.10/24
    route default via 192.0.2.1 metric 100
    sysctl ipv6.accept_ra 0
    neigh 192.0.2.7 lladdr 02:00:00:00:00:07
    up
}
vrf blue netns r table 10
route 10.9.0.0/16 via 192.0.2.5 dev br0 onlink table blue src 192.0.2.10 scope global mtu 1400 proto bird netns r
route blackhole 10.66.0.0/16
route unreachable 2001:db8:dead::/48 metric 7
route 2001:db8::/32 nexthop via 2001:db8::1 dev br0 weight 2 nexthop via 2001:db8::2 dev br0
rule from 10.1.0.0/16 table 100 priority 1000
rule -6 fwmark 0x10/0xff iif br0 table 200
rule to 10.2.0.0/16 prohibit
sysctl net.ipv4.ip_forward 1 netns r
sysctl net.ipv4.conf.eth0/100.rp_filter 2
neigh 2001:db8::7 lladdr 2:0:0:0:0:A7 dev br0 nud permanent
neigh 10.9.0.7 lladdr 01:00:5e:00:00:07 dev eth1 netns r
"""


def parse(text: str):
    program, diagnostics = dsl.parse(text)
    return program, [(d.code, f"{d.span.line}:{d.span.col}", f"{d.message} {d.hint}") for d in diagnostics]


def test_every_form_reads_into_the_ir():
    program, problems = parse(SPEC)
    assert problems == []
    default, vrf_route, blackhole, unreachable, multipath = program.routes
    assert default.dst == "default" and default.family == 4 and default.metric == 100
    assert default.nexthops == (Nexthop(via="192.0.2.1", dev="br0"),), "a route in a block goes through its link"
    assert vrf_route.table == "blue" and vrf_route.netns == "r" and vrf_route.nexthops[0].onlink
    assert (vrf_route.src, vrf_route.scope, vrf_route.mtu, vrf_route.protocol) == ("192.0.2.10", 0, 1400, 12)
    assert blackhole.type is RouteType.BLACKHOLE and blackhole.nexthops == ()
    assert unreachable.family == 6 and unreachable.metric == 7
    assert [nh.weight for nh in multipath.nexthops] == [2, None]
    first, second, third = program.rules
    assert (first.src, first.table, first.priority) == ("10.1.0.0/16", 100, 1000)
    assert (second.family, second.fwmark, second.fwmask, second.iif) == (6, 0x10, 0xFF, "br0")
    assert third.action is RuleAction.PROHIBIT and third.dst == "10.2.0.0/16"
    accept_ra, forward, rp_filter = program.sysctls
    assert accept_ra.path == ("net", "ipv6", "conf", "br0", "accept_ra") and accept_ra.link == "br0"
    assert forward.netns == "r" and forward.link is None
    assert rp_filter.link == "eth0.100" and rp_filter.proc_path == "/proc/sys/net/ipv4/conf/eth0.100/rp_filter"
    in_block, ndp, in_r = program.neighbours
    assert (in_block.address, in_block.lladdr, in_block.dev, in_block.family) == ("192.0.2.7", "02:00:00:00:00:07", "br0", 4)
    assert (ndp.address, ndp.lladdr, ndp.family) == ("2001:db8::7", "02:00:00:00:00:a7", 6), "the MAC in its canonical form"
    assert (in_r.dev, in_r.netns) == ("eth1", "r")


def test_printing_reads_back_the_same_program():
    program, _ = parse(SPEC)
    text = print_program(program)
    again, problems = parse(text)
    assert problems == [] and again == program
    assert "route default via 192.0.2.1 dev br0 metric 100\n" in text
    assert "sysctl net.ipv4.conf.eth0/100.rp_filter 2\n" in text
    assert "neigh 192.0.2.7 lladdr 02:00:00:00:00:07 dev br0\n" in text
    assert "neigh 10.9.0.7 lladdr 01:00:5e:00:00:07 dev eth1 netns r\n" in text


@pytest.mark.parametrize("line,code,where,words", [
    ("route 10.0.0.1/8 via 192.0.2.1", "NS214", "1:7", "host bits set: the network is 10.0.0.0/8"),
    ("route 10.0.0.0/33 dev br0", "NS214", "1:7", "is not a network"),
    ("route 10.0.0.0/8 via 2001:db8::1", "NS214", "1:22", "is IPv6, the route IPv4"),
    ("route 10.0.0.0/8 vai 192.0.2.1", "NS105", "1:18", "did you mean 'via'?"),
    ("route 10.0.0.0/8", "NS107", "1:7", "where to?"),
    ("route 10.0.0.0/8 via 192.0.2.1 metric -1", "NS202", "1:39", "out of range"),
    ("route 10.0.0.0/8 via 192.0.2.1 metric x", "NS106", "1:39", "expected a number"),
    ("route 10.0.0.0/8 dev br0 initcwnd 10", "NS105", "1:26", "does not model route setting 'initcwnd'"),
    ("route blackhole 10.0.0.0/8 via 192.0.2.1", "NS103", "1:17", "has no gateway"),
    ("rule from 10.0.0.0/8 lokup 100", "NS105", "1:22", "did you mean 'lookup'?"),
    ("rule fwmark 0x1/zz table 5", "NS106", "1:13", "expected a number"),
    ("sysctl net.ipv4.ip_forward", "NS107", "1:8", "takes a key and a value"),
    ("sysctl kernel.panic 1", "NS106", "1:8", "net.*"),
    ("bridge br0 {\n    sysctl net.ipv4.conf.br0.rp_filter 1\n}", "NS106", "2:12", "ipv4.KEY or ipv6.KEY"),
    ("bridge br0 route default", "NS103", "1:12", "goes inside the block"),
    ("rout default via 192.0.2.1", "NS104", "1:1", "did you mean 'route'?"),
    ("neigh 192.0.2.300 lladdr 02:00:00:00:00:07 dev br0", "NS214", "1:7", "is not an IP address"),
    ("neigh 192.0.2.7 lladdr 02:00:00:00:07 dev br0", "NS214", "1:24", "is not a MAC address"),
    ("neigh 192.0.2.7 lladdr 02:00:00:00:00:07", "NS107", "1:7", "needs its link: dev LINK"),
    ("neigh 192.0.2.7 dev br0", "NS107", "1:7", "needs its link-layer address"),
    ("neigh 192.0.2.7 lladr 02:00:00:00:00:07 dev br0", "NS105", "1:17", "did you mean 'lladdr'?"),
    ("neigh 192.0.2.7 lladdr 02:00:00:00:00:07 dev br0 nud reachable", "NS105", "1:54", "'reachable'"),
    ("neigh 192.0.2.7 lladdr 02:00:00:00:00:07 dev br0 proxy", "NS105", "1:50", "'proxy'"),
    ("neig 192.0.2.7 lladdr 02:00:00:00:00:07 dev br0", "NS104", "1:1", "did you mean 'neigh'?"),
])
def test_bad_words_are_errors_at_the_word(line, code, where, words):
    _, problems = parse(line + "\n")
    assert any(c == code and w == where and words in m for c, w, m in problems), problems


@pytest.mark.parametrize("text,code,where,words", [
    ("bridge br0\nneigh 192.0.2.7 lladdr 02:00:00:00:00:07 dev br0\nneigh 192.0.2.7 lladdr 02:00:00:00:00:08 dev br0",
     "NS234", "3:7", "given twice"),
    ("netns r\nneigh 192.0.2.7 lladdr 02:00:00:00:00:07 dev eth9 netns r", "NS204", "2:46", "no link of namespace r"),
    ("tun t0 { up }\nneigh 192.0.2.7 lladdr 02:00:00:00:00:07 dev t0", "NS237", "2:46", "without a link-layer address"),
    ("neigh 192.0.2.7 lladdr 02:00:00:00:00:07 dev lo", "NS237", "1:46", "without a link-layer address"),
])
def test_neighbours_the_kernel_would_not_hold_as_written_are_errors(text, code, where, words):
    program, problems = parse(text + "\n")
    assert problems == []
    found = [(d.code, f"{d.span.line}:{d.span.col}", d.message) for d in validate(program)]
    assert any(c == code and w == where and words in m for c, w, m in found), found


def test_a_clean_neighbour_validates_and_is_planned_once_its_link_is_up():
    program, _ = parse("bridge br0 {\n    neigh 192.0.2.7 lladdr 01:00:5e:00:00:07\n    up\n}\n")
    assert validate(program) == [], "a multicast MAC is the kernel's to take (a multicast cluster's static entry)"
    steps = [type(s).__name__ for s in plan(program).steps]
    assert steps.index("AddNeighbour") > steps.index("SetState")
    assert type(teardown(program).steps[0]).__name__ == "DeleteNeighbour"
