"""The netlink backend's link and address requests are byte for byte what pyroute2 would send.

netscript/netlink/wire.py packs requests itself (pyroute2's message
objects cost more than the kernel's work on them). pyroute2's ``ifinfmsg`` is
the oracle: every attribute the backend can send, alone and in the shapes the
backend builds (a veth with its peer in another namespace, a bond with its
ARP targets, a VLAN with flags and QoS maps, a port's settings), is encoded
both ways and compared. For addresses the oracle is ``IPRoute.addr()``'s own
request building, for IPv4 and IPv6 at several prefix lengths, added and deleted.
"""

from __future__ import annotations

import pytest
from pyroute2_oracle import pyroute2_address_bytes, pyroute2_bytes

from netscript.backends.netlink.kernel import _address_request
from netscript.netlink import schema, wire

RTM_NEWLINK, RTM_DELLINK = 16, 17
CREATE, SET = 0x1 | 0x4 | 0x400 | 0x200, 0x1 | 0x4


def ours(msg_type, msg_flags, sequence, ifname, **kw) -> bytes:
    return wire.message(msg_type, msg_flags, sequence, wire.link_body(ifname, **kw))


def linkinfo(kind, data=None, *, slave=False):
    attrs = [("IFLA_INFO_SLAVE_KIND" if slave else "IFLA_INFO_KIND", kind)]
    if data:
        attrs.append(("IFLA_INFO_SLAVE_DATA" if slave else "IFLA_INFO_DATA", {"attrs": data}))
    return {"attrs": attrs}


def sample(row: schema.Row, nth: int):
    """A value of the row's type, as the backend hands it over (Row.to_kernel's output)."""
    if row.attr.words:
        return row.attr.words[nth % len(row.attr.words)][0]
    return {
        "u8": 7 + nth,
        "u16": 513 + nth,
        "u32": 70000 + nth,
        "s32": -5 + nth,
        "be16": 4789 + nth,
        "be32": 7 + 65536 * nth,
        "bool8": nth % 2,
        "bool32": (nth + 1) % 2,
        "ip4": ("192.0.2.1", "198.51.100.5", "10.1.2.3")[nth],
        "ip6": ("2001:db8::1", "fe80::5", "::ffff:10.1.2.3")[nth],
    }[row.attr.wire]


ROWS = [
    pytest.param(table, row, id=f"{table.info_kind}-{row.field}{'-port' if row in table.port_rows else ''}")
    for table in schema.TABLES.values()
    for row in table.rows + table.port_rows
]


@pytest.mark.parametrize("table, row", ROWS)
def test_every_kind_and_port_setting_encodes_as_pyroute2_does(table, row):
    port = row in table.port_rows
    for nth in range(3):
        data = [(row.nla, sample(row, nth))]
        kw = {"IFLA_LINKINFO": linkinfo(table.info_kind, data, slave=port)}
        assert ours(RTM_NEWLINK, SET, 9 + nth, "x0", **kw) == pyroute2_bytes(RTM_NEWLINK, SET, 9 + nth, "x0", **kw)


SHAPES = {
    "delete": (RTM_DELLINK, SET, dict()),
    "up": (RTM_NEWLINK, SET, dict(flags=1, change=1)),
    "down": (RTM_NEWLINK, SET, dict(flags=0, change=1)),
    "common settings": (RTM_NEWLINK, SET, dict(IFLA_MTU=9000, IFLA_ADDRESS="02:AB:cd:00:00:01", IFLA_TXQLEN=5000)),
    "release": (RTM_NEWLINK, SET, dict(IFLA_MASTER=0)),
    "move": (RTM_NEWLINK, SET, dict(IFLA_NET_NS_FD=7)),
    "bridge port, up": (RTM_NEWLINK, CREATE, dict(flags=1, change=1, IFLA_MASTER=12, IFLA_LINKINFO=linkinfo("dummy"))),
    "veth with its peer elsewhere": (RTM_NEWLINK, CREATE, dict(
        flags=1, change=1, IFLA_MTU=1400, IFLA_MASTER=3,
        IFLA_LINKINFO=linkinfo("veth", [("VETH_INFO_PEER", {"attrs": [
            ("IFLA_IFNAME", "peer-with-a-long"), ("IFLA_MTU", 1400), ("IFLA_ADDRESS", "02:00:00:00:00:02"),
            ("IFLA_NET_NS_FD", 11)]})]))),
    "vlan on a parent": (RTM_NEWLINK, CREATE, dict(IFLA_LINK=4, IFLA_LINKINFO=linkinfo("vlan", [
        ("IFLA_VLAN_ID", 100), ("IFLA_VLAN_PROTOCOL", 0x88A8), ("IFLA_VLAN_FLAGS", {"flags": 0x5, "mask": 0x1D}),
        ("IFLA_VLAN_EGRESS_QOS", {"attrs": [("IFLA_VLAN_QOS_MAPPING", {"from": 1, "to": 3}),
                                            ("IFLA_VLAN_QOS_MAPPING", {"from": 2, "to": 7})]}),
        ("IFLA_VLAN_INGRESS_QOS", {"attrs": [("IFLA_VLAN_QOS_MAPPING", {"from": 4, "to": 0})]})]))),
    "bond": (RTM_NEWLINK, CREATE, dict(IFLA_LINKINFO=linkinfo("bond", [
        ("IFLA_BOND_MODE", 1), ("IFLA_BOND_MIIMON", 100), ("IFLA_BOND_PRIMARY", 5),
        ("IFLA_BOND_ARP_IP_TARGET", ["192.0.2.1", "198.51.100.254"]),
        ("IFLA_BOND_AD_ACTOR_SYSTEM", bytes.fromhex("020000000001"))]))),
    "vxlan, v4": (RTM_NEWLINK, CREATE, dict(IFLA_LINKINFO=linkinfo("vxlan", [
        ("IFLA_VXLAN_ID", 42), ("IFLA_VXLAN_GROUP", "239.1.1.1"), ("IFLA_VXLAN_LOCAL", "10.0.0.1"),
        ("IFLA_VXLAN_LINK", 2), ("IFLA_VXLAN_PORT", 4789)]))),
    "vxlan, v6": (RTM_NEWLINK, CREATE, dict(IFLA_LINKINFO=linkinfo("vxlan", [
        ("IFLA_VXLAN_ID", 42), ("IFLA_VXLAN_GROUP6", "2001:db8::1"), ("IFLA_VXLAN_LOCAL6", "fe80::1")]))),
    "bridge port settings": (RTM_NEWLINK, SET, dict(IFLA_LINKINFO=linkinfo("bridge", [
        ("IFLA_BRPORT_COST", 100), ("IFLA_BRPORT_LEARNING", 0)], slave=True))),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_each_request_shape_encodes_as_pyroute2_does(shape):
    msg_type, msg_flags, kw = SHAPES[shape]
    for name in ("e0", "a-fifteen-chars"):  # string padding: 3 and 0 bytes
        assert ours(msg_type, msg_flags, 77, name, **kw) == pyroute2_bytes(msg_type, msg_flags, 77, name, **dict(kw))


def test_an_attribute_the_module_does_not_know_is_refused_not_dropped():
    with pytest.raises(wire.UnknownAttribute, match="IFLA_NO_SUCH"):
        wire.link_body("e0", IFLA_NO_SUCH=1)


ADDRESSES = [
    "10.0.0.1/24", "192.0.2.255/32", "172.16.5.4/12", "0.0.0.0/0", "203.0.113.9/31",
    "2001:db8::1/64", "fe80::5/10", "2001:db8:0:ff::/128", "::ffff:10.1.2.3/96", "2001:db8::abcd/0",
]


@pytest.mark.parametrize("command", ["replace", "del"])
@pytest.mark.parametrize("cidr", ADDRESSES)
def test_each_address_request_encodes_as_pyroute2_addr_does(command, cidr):
    address, prefixlen = cidr.split("/")
    for index, sequence in ((3, 5), (70000, 123456)):
        msg_type, flags, body = _address_request(command, index, cidr)
        ours = wire.message(msg_type, flags, sequence, body)
        assert ours == pyroute2_address_bytes(command, sequence, index, address, int(prefixlen))
