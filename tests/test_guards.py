"""The scripts' guards and apply's comparison judge the same attributes, kind by kind.

netscript/backends/guards.py declares, step by step, the attributes that say
a step is already done and the values the spec wants: the plain script and
--batch test them as the `ip -j` members they list, and apply
(netscript/backends/netlink/compare.py) evaluates the same expectations on the
state it read. For every kind, with every setting given, both must name the
same attributes, and every attribute the scripts cannot test (so they always
send it, or never re-create for it) is listed here with the reason.
"""

from __future__ import annotations

import dataclasses

import pytest

from netscript import kinds
from netscript.backends import guards
from netscript.backends.netlink import compare
from netscript.frontends.kernel.state import Observed
from netscript.ir.model import Address, Link, LinkKind, Port, Ref
from netscript.ir.values import (
    Centiseconds,
    Choice,
    Flag,
    Int,
    IPAddress,
    MACAddress,
    QosMap,
    WordList,
)

# (kind, attribute) the scripts have no `ip -j` member for, and why.
UNTESTABLE = {
    # teamd holds a team's settings, not the kernel: the script asks teamd for the runner only
    **{(LinkKind.TEAM, key): "teamd" for key in kinds.settings(kinds.spec(LinkKind.TEAM).options)},
}


def sample(meta):
    codec = meta.codec
    if isinstance(codec, Flag):
        return True
    if isinstance(codec, Centiseconds):
        return 250
    if isinstance(codec, Int):
        return max(codec.low, 1)
    if isinstance(codec, Choice):
        return codec.choices[-1]
    if isinstance(codec, IPAddress):
        return "2001:db8::7"
    if isinstance(codec, MACAddress):
        return "02:00:00:00:00:07"
    if isinstance(codec, QosMap):
        return ((1, 2),)
    if isinstance(codec, WordList):
        return ("a", "b")
    return "x7"


def full(cls):
    return cls(**{name: sample(meta) for name, meta in (v for v in kinds.settings(cls).values())})


def every_setting(kind: LinkKind) -> Link:
    spec = kinds.spec(kind)
    return Link(
        name="l0",
        kind=kind,
        options=full(spec.options) if spec.options else None,
        mtu=1400,
        mac="02:00:00:00:00:01",
        txqueuelen=700,
        parent=Ref(name="p0") if spec.parent else None,
    )


def blank(link: Link) -> Observed:
    """A live link of the same kind with nothing set: every setting of the spec differs."""
    return Observed(link=Link(name=link.name, kind=link.kind), index=0, info_kind=None)


def as_spec(link: Link, port_options=None) -> Observed:
    """A live link that has every setting the spec asks for (read back as netscript reads it)."""
    # index 0: a link still to be made, so a transient setting read back as absent is not passed over
    return Observed(link=link, index=0, info_kind=None, port_options=port_options)


def compared_by_apply(link: Link) -> set[str]:
    live = blank(link)
    diffs = compare.option_differences(link, live, create_only=True) + compare.option_differences(
        link, live, create_only=False
    )
    diffs += compare.common_differences(link, live) + compare.late_differences(link, live)
    out = {d.attribute for d in diffs}
    if link.parent is not None:
        out.add(kinds.spec(link.kind).parent_key)
    return out


def judged_by_scripts(link: Link) -> dict[str, object]:
    parent = (None, link.parent.name) if link.parent is not None else None
    expects = guards.created_as(link, parent, None) + guards.settings(link) + guards.late(link)
    return {e.attribute: e.members for e in expects}


CREATABLE = [k for k in kinds.KINDS if k is not LinkKind.PHYSICAL]


@pytest.mark.parametrize("kind", CREATABLE, ids=lambda k: k.value)
def test_the_scripts_test_every_attribute_apply_compares(kind):
    link = every_setting(kind)
    apply_side = compared_by_apply(link)
    script_side = judged_by_scripts(link)
    untestable = {a for (k, a) in UNTESTABLE if k is kind}
    assert apply_side - untestable == set(script_side) - untestable
    for attribute, members in script_side.items():
        if attribute not in untestable:
            assert members, f"{kind.value} {attribute}: no `ip -j` member to test"


@pytest.mark.parametrize("kind", [k for k in kinds.KINDS if kinds.spec(k).is_master], ids=lambda k: k.value)
def test_the_scripts_test_every_port_setting_apply_compares(kind):
    master = every_setting(kind)
    port = Port(name="e0", options=full(kinds.spec(kind).port_options))
    live = dataclasses.replace(blank(Link(name="e0", kind=LinkKind.VETH)), master=master.name)
    apply_side = {
        d.attribute for d in compare.port_differences(port, master, Link(name="e0", kind=LinkKind.VETH), live)
    }
    script_side = {e.attribute: e.members for e in guards.port_settings(port, master)}
    assert apply_side == set(script_side)
    if kind is not LinkKind.TEAM:  # teamd takes a team port's settings with the port (staged, not tested)
        assert all(script_side.values()), script_side


@pytest.mark.parametrize(
    ("kind", "key", "value", "member"),
    [
        (LinkKind.VXLAN, "remote", "2001:db8::2", '"remote6":"2001:db8::2"'),
        (LinkKind.VXLAN, "local", "192.0.2.1", '"local":"192.0.2.1"'),
        (LinkKind.VXLAN, "group", "ff05::1", '"group6":"ff05::1"'),
        (LinkKind.VXLAN, "remote", "::ffff:192.0.2.9", '"remote6":"::ffff:192.0.2.9"'),
        (LinkKind.VXLAN, "dstport", 4789, '"port":4789'),
        (LinkKind.BRIDGE, "stp_state", True, '"stp_state":1'),
        (LinkKind.MACVLAN, "mode", "bridge", '"mode":"bridge"'),
        (LinkKind.TAP, "vnet_hdr", False, '"vnet_hdr":false'),
        (LinkKind.TAP, "user", "nobody", guards.Owner("user", "nobody")),
        (LinkKind.VLAN, "reorder_hdr", False, '!"REORDER_HDR"'),
    ],
)
def test_members_are_spelled_as_ip_prints_them(kind, key, value, member):
    cls = kinds.spec(kind).options
    _, meta = kinds.settings(cls)[key]
    assert guards.option_members(kind, key, value, meta) == (member,)


@pytest.mark.parametrize(
    ("cidr", "member"),
    [
        ("192.0.2.1/24", '"local":"192.0.2.1","prefixlen":24'),
        ("2001:DB8:0:0::1/64", '"local":"2001:db8::1","prefixlen":64'),
        ("::ffff:10.0.0.1/128", '"local":"::ffff:10.0.0.1","prefixlen":128'),
    ],
)
def test_addresses_are_spelled_as_ip_prints_them(cidr, member):
    assert guards.address(cidr).members == (member,)


def every_expect(link: Link) -> list[guards.Expect]:
    return guards.create_only(link) + guards.settings(link) + guards.late(link)


@pytest.mark.parametrize("kind", CREATABLE, ids=lambda k: k.value)
def test_apply_reads_every_attribute_where_the_expectation_says(kind):
    """Each expectation names where apply reads the live value: a link that has the spec's
    settings meets them all, and one that drifted on one attribute fails exactly that one."""
    link = every_setting(kind)
    expects = every_expect(link)
    assert expects and all(e.held is not None for e in expects)
    assert compare.differences(link, expects, as_spec(link)) == []
    for e in expects:
        if e.held is guards.Held.LINK:
            drifted = dataclasses.replace(link, **{e.field: None})
        else:
            drifted = dataclasses.replace(link, options=dataclasses.replace(link.options, **{e.field: None}))
        diffs = compare.differences(link, expects, as_spec(drifted))
        assert [(d.attribute, d.wanted, d.actual) for d in diffs] == [(e.attribute, e.wanted, None)]


@pytest.mark.parametrize(
    "kind",
    [k for k in kinds.KINDS if kinds.spec(k).is_master and kinds.settings(kinds.spec(k).port_options)],
    ids=lambda k: k.value,
)
def test_apply_reads_every_port_setting_where_the_expectation_says(kind):
    master = every_setting(kind)
    port = Port(name="e0", options=full(kinds.spec(kind).port_options))
    port_link = Link(name="e0", kind=LinkKind.VETH)
    expects = guards.port_settings(port, master)
    assert expects and all(e.held is guards.Held.PORT for e in expects)
    assert compare.differences(port_link, expects, as_spec(port_link, port.options)) == []
    for e in expects:
        drifted = dataclasses.replace(port.options, **{e.field: None})
        diffs = compare.differences(port_link, expects, as_spec(port_link, drifted))
        assert [d.attribute for d in diffs] == [e.attribute]


@pytest.mark.parametrize(
    ("kind", "key", "wanted", "actual", "met"),
    [
        (LinkKind.TAP, "user", "0", "root", True),  # an owner by id or by name
        (LinkKind.TAP, "user", "root", "nobody", False),
        (LinkKind.BRIDGE, "forward_delay", 250, 249, True),  # timers come back in jiffies
        (LinkKind.BRIDGE, "forward_delay", 250, 247, False),
        (LinkKind.BOND, "primary", "eth0", "ETH0", False),  # a port's name: case counts
        (LinkKind.MACVLAN, "mode", "bridge", "bridge", True),
        (LinkKind.VLAN, "egress-qos-map", ((1, 2), (3, 0)), ((1, 2),), True),  # to 0 is no mapping
    ],
)
def test_a_live_value_meets_an_expectation_as_the_kernel_keeps_it(kind, key, wanted, actual, met):
    cls = kinds.spec(kind).options
    name, _ = kinds.settings(cls)[key]
    link = Link(name="l0", kind=kind, options=cls(**{name: wanted}))
    (e,) = [e for e in every_expect(link) if e.attribute == key]
    assert e.satisfied_by(actual) is met


@pytest.mark.parametrize(
    ("wanted", "held", "met"),
    [
        ("2001:DB8:0::1/64", ("2001:db8::1/64",), True),  # one address, two spellings
        ("192.0.2.1/24", ("192.0.2.1/25",), False),  # another prefix is another address
        ("fe80::1/64", (), False),
    ],
)
def test_apply_finds_an_address_the_way_the_scripts_test_it(wanted, held, met):
    link = Link(name="l0", kind=LinkKind.DUMMY, addresses=(Address(cidr=wanted),))
    live = as_spec(dataclasses.replace(link, addresses=tuple(Address(cidr=c) for c in held)))
    e = guards.address(wanted)
    assert e.held is guards.Held.ADDRESSES
    assert e.satisfied_by(compare.live_value(e, live)) is met
    assert compare.address_differences(link, live, prune=False) == ([] if met else [wanted], [])


@pytest.mark.parametrize(("actual", "met"), [("br0", True), ("BR0", False), (None, False)])
def test_apply_finds_a_ports_master_the_way_the_scripts_test_it(actual, met):
    port, master = Link(name="e0", kind=LinkKind.VETH), Link(name="br0", kind=LinkKind.BRIDGE)
    e = guards.master(port.name, master)
    live = dataclasses.replace(as_spec(port), master=actual)
    assert e.held is guards.Held.MASTER and e.satisfied_by(compare.live_value(e, live)) is met
    assert (compare.master_difference(port, master, live) is None) is met


@pytest.mark.parametrize(
    ("parent_key", "live_parent", "met"),
    [
        ((None, "eth0"), Ref(name="eth0"), True),
        (("ns1", "eth0"), Ref(name="eth0", netns="ns1"), True),
        (("ns1", "eth0"), Ref(name="eth0"), False),  # same name, another namespace
        ((None, "eth0"), Ref(name="eth1"), False),
        ((None, "eth0"), None, False),
    ],
)
def test_apply_finds_a_lower_device_the_way_the_scripts_test_it(parent_key, live_parent, met):
    link = Link(name="v5", kind=LinkKind.VLAN, parent=Ref(name="eth0"))
    live = as_spec(dataclasses.replace(link, parent=live_parent))
    (e,) = [e for e in guards.created_as(link, parent_key, None) if e.held is guards.Held.PARENT]
    assert e.satisfied_by(compare.live_value(e, live)) is met
    assert (compare.parent_difference(link, parent_key, live) is None) is met
