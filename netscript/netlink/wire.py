"""Link requests as bytes: the rtnetlink attributes netscript sends, packed with struct.

A request is described the way pyroute2 describes one: attribute names from
``if_link.h`` (``IFLA_MTU``, ``IFLA_LINKINFO``, the kinds' ``IFLA_BR_*`` rows
of :mod:`netscript.netlink.schema`...), nested chains as
``{"attrs": [(name, value), ...]}``. This module turns that description into
the bytes pyroute2's ``ifinfmsg`` would produce, without building pyroute2's
objects: some 45 per request, every one of them in a reference cycle (each
lists itself in its own chain), so a 1,900-request apply cost 0.3 s of
encoding and left ~90,000 objects for the cyclic garbage collector.
tests/test_apply_wire.py checks, request by request and attribute by
attribute, that the bytes are exactly pyroute2's.

The attributes are few and fixed: the link's own (name, MTU, MAC, queue
length, master, lower link, namespace), its kind's settings and its port
settings, each with its number and wire type from the tables, and the handful
that need a shape of their own (a bond's ARP targets, a VLAN's flags and QoS
maps, VXLAN addresses, a veth's peer).
"""

from __future__ import annotations

import ipaddress
import struct
from collections.abc import Callable

from . import schema

NLA_F_NESTED = 0x8000

_HEADER = struct.Struct("=IHHII")  # nlmsghdr: length, type, flags, sequence, port
_IFINFO = struct.Struct("=BxHiII")  # ifinfomsg: family, type, index, flags, change
_ATTR = struct.Struct("=HH")
_U8, _U16, _U32, _BE16 = (struct.Struct(f) for f in ("=B", "=H", "=I", ">H"))
_TWO_U32 = struct.Struct("=II")


def _string(value: str) -> bytes:
    return value.encode() + b"\0"


def _mac(value: str) -> bytes:
    return bytes(int(octet, 16) for octet in value.split(":"))


def _in_addr(value: str) -> bytes:
    return ipaddress.ip_address(value).packed


def _arp_targets(values) -> bytes:
    # the kernel reads one address per attribute and ignores the attributes' types;
    # pyroute2 numbers them from 1
    return b"".join(attribute(index, _in_addr(v)) for index, v in enumerate(values, 1))


def _vlan_flags(value: dict) -> bytes:
    return _TWO_U32.pack(value["flags"], value["mask"])


def _qos_mapping(value: dict) -> bytes:
    return _TWO_U32.pack(value["from"], value["to"])


# the tables' wire types (what the reader decodes), as encoders
_ENCODERS: dict[str, Callable] = {
    "u8": _U8.pack,
    "u16": _U16.pack,
    "u32": _U32.pack,
    "s32": struct.Struct("=i").pack,
    "be16": _BE16.pack,
    "bool8": lambda v: _U8.pack(int(v)),
    "bool32": lambda v: _U32.pack(int(v)),
    "mac": _mac,
}

NESTED = "nested"  # a chain of named attributes: {"attrs": [(name, value), ...]}
PEER = "peer"  # an ifinfomsg, then a chain (a veth's other end)

# name -> (number, encoder, or NESTED / PEER)
ATTRIBUTES: dict[str, tuple[int, object]] = {
    "IFLA_ADDRESS": (schema.IFLA_ADDRESS, _mac),
    "IFLA_IFNAME": (schema.IFLA_IFNAME, _string),
    "IFLA_MTU": (schema.IFLA_MTU, _U32.pack),
    "IFLA_LINK": (schema.IFLA_LINK, _U32.pack),
    "IFLA_MASTER": (schema.IFLA_MASTER, _U32.pack),
    "IFLA_TXQLEN": (schema.IFLA_TXQLEN, _U32.pack),
    "IFLA_LINKINFO": (schema.IFLA_LINKINFO, NESTED),
    "IFLA_NET_NS_FD": (28, _U32.pack),
    "IFLA_INFO_KIND": (schema.IFLA_INFO_KIND, _string),
    "IFLA_INFO_DATA": (schema.IFLA_INFO_DATA, NESTED),
    "IFLA_INFO_SLAVE_KIND": (schema.IFLA_INFO_SLAVE_KIND, _string),
    "IFLA_INFO_SLAVE_DATA": (schema.IFLA_INFO_SLAVE_DATA, NESTED),
    "VETH_INFO_PEER": (1, PEER),
    "IFLA_BOND_ARP_IP_TARGET": (schema.IFLA_BOND_ARP_IP_TARGET, _arp_targets),
    "IFLA_BOND_PRIMARY": (schema.IFLA_BOND_PRIMARY, _U32.pack),
    "IFLA_BOND_AD_ACTOR_SYSTEM": (schema.IFLA_BOND_AD_ACTOR_SYSTEM, bytes),
    "IFLA_VLAN_PROTOCOL": (schema.IFLA_VLAN_PROTOCOL, _BE16.pack),
    "IFLA_VLAN_FLAGS": (schema.IFLA_VLAN_FLAGS, _vlan_flags),
    "IFLA_VLAN_EGRESS_QOS": (schema.IFLA_VLAN_EGRESS_QOS, NESTED),
    "IFLA_VLAN_INGRESS_QOS": (schema.IFLA_VLAN_INGRESS_QOS, NESTED),
    "IFLA_VLAN_QOS_MAPPING": (schema.IFLA_VLAN_QOS_MAPPING, _qos_mapping),
    "IFLA_VXLAN_GROUP": (schema.IFLA_VXLAN_GROUP, _in_addr),
    "IFLA_VXLAN_LINK": (schema.IFLA_VXLAN_LINK, _U32.pack),
    "IFLA_VXLAN_LOCAL": (schema.IFLA_VXLAN_LOCAL, _in_addr),
    "IFLA_VXLAN_GROUP6": (schema.IFLA_VXLAN_GROUP6, _in_addr),
    "IFLA_VXLAN_LOCAL6": (schema.IFLA_VXLAN_LOCAL6, _in_addr),
}
for _table in schema.TABLES.values():
    for _row in _table.rows + _table.port_rows:
        ATTRIBUTES.setdefault(_row.nla, (_row.number, _ENCODERS[_row.wire]))


class UnknownAttribute(ValueError):
    """A request names an attribute this module cannot encode (a bug: nothing is sent)."""


def attribute(number: int, payload: bytes) -> bytes:
    length = 4 + len(payload)
    return _ATTR.pack(length, number) + payload + b"\0" * (-length & 3)


def chain(attrs) -> bytes:
    """Encode ``[(name, value), ...]``, each attribute padded to 4 bytes."""
    out = []
    for name, value in attrs:
        try:
            number, encoder = ATTRIBUTES[name]
        except KeyError:
            raise UnknownAttribute(name) from None
        if encoder is NESTED:
            out.append(attribute(number, chain(value["attrs"])))
        elif encoder is PEER:
            out.append(attribute(number, _IFINFO.pack(0, 0, 0, 0, 0) + chain(value["attrs"])))
        else:
            out.append(attribute(number, encoder(value)))
    return b"".join(out)


def link_body(ifname: str, *, flags: int = 0, change: int = 0, **attrs) -> bytes:
    """ifinfomsg and attributes of a link request on the link named ``ifname`` (index 0)."""
    return _IFINFO.pack(0, 0, 0, flags, change) + chain([("IFLA_IFNAME", ifname), *attrs.items()])


def message(msg_type: int, flags: int, sequence: int, body: bytes) -> bytes:
    return _HEADER.pack(16 + len(body), msg_type, flags, sequence, 0) + body
