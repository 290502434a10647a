"""Link and address requests as bytes: the rtnetlink messages netscript sends, packed with struct.

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

Address requests (:func:`address_body`) are an ``ifaddrmsg`` and the
address, as pyroute2's ``IPRoute.addr()`` packs them (checked the same way).

The attributes are the link's own (name, MTU, MAC, queue length, master,
lower link, namespace, a veth's peer) and those the kinds declare
(:mod:`.schema`), each with its number and its wire type from
:mod:`.attrs`, the same ones the reader decodes with.
"""

from __future__ import annotations

import socket
import struct
from collections.abc import Callable, Iterable
from ipaddress import IPv4Address, IPv6Address
from typing import Any

from . import schema
from .attrs import NESTED, PEER, WIRE, Wire

NLA_F_NESTED = 0x8000

_HEADER = struct.Struct("=IHHII")  # nlmsghdr: length, type, flags, sequence, port
_IFINFO = struct.Struct("=BxHiII")  # ifinfomsg: family, type, index, flags, change
_IFADDR = struct.Struct("=BBBBI")  # ifaddrmsg: family, prefixlen, flags, scope, index
_ATTR = struct.Struct("=HH")
_U32 = struct.Struct("=I")


def _string(value: str) -> bytes:
    return value.encode() + b"\0"


# How one attribute's value becomes its payload: a function of the value, or the marker
# NESTED / PEER (a Wire) for a chain of attributes described as {"attrs": [...]}.
Encoder = Callable[[Any], bytes] | Wire

# name -> (number, encoder): the link's own attributes, then every kind's
ATTRIBUTES: dict[str, tuple[int, Encoder]] = {
    "IFLA_ADDRESS": (schema.IFLA_ADDRESS, WIRE["mac"].encode),
    "IFLA_IFNAME": (schema.IFLA_IFNAME, _string),
    "IFLA_MTU": (schema.IFLA_MTU, _U32.pack),
    "IFLA_LINK": (schema.IFLA_LINK, _U32.pack),
    "IFLA_MASTER": (schema.IFLA_MASTER, _U32.pack),
    "IFLA_TXQLEN": (schema.IFLA_TXQLEN, _U32.pack),
    "IFLA_LINKINFO": (schema.IFLA_LINKINFO, NESTED),
    "IFLA_NET_NS_FD": (schema.IFLA_NET_NS_FD, _U32.pack),
    "IFLA_INFO_KIND": (schema.IFLA_INFO_KIND, _string),
    "IFLA_INFO_DATA": (schema.IFLA_INFO_DATA, NESTED),
    "IFLA_INFO_SLAVE_KIND": (schema.IFLA_INFO_SLAVE_KIND, _string),
    "IFLA_INFO_SLAVE_DATA": (schema.IFLA_INFO_SLAVE_DATA, NESTED),
    "VETH_INFO_PEER": (1, PEER),
}


def _encoder(name: str) -> tuple[int, Encoder]:
    """The number and encoder of attribute ``name``: the link's own, else a kind's."""
    try:
        return ATTRIBUTES[name]
    except KeyError:
        pass
    # a kind's attribute: every kind's are learnt the first time one is needed, not at import,
    # so a request that carries none (a veth, a bridge made with no settings) loads no kind for it
    for attr in schema.all_attributes():
        layout = attr.layout
        ATTRIBUTES.setdefault(attr.name, (attr.number, layout if layout in (NESTED, PEER) else layout.encode))
    try:
        return ATTRIBUTES[name]
    except KeyError:
        raise UnknownAttribute(name) from None


class UnknownAttribute(ValueError):
    """A request names an attribute this module cannot encode (a bug: nothing is sent)."""


def attribute(number: int, payload: bytes) -> bytes:
    length = 4 + len(payload)
    return _ATTR.pack(length, number) + payload + b"\0" * (-length & 3)


def chain(attrs: Iterable[tuple[str, Any]]) -> bytes:
    """Encode ``[(name, value), ...]``, each attribute padded to 4 bytes."""
    out = []
    for name, value in attrs:
        number, encoder = _encoder(name)
        if not isinstance(encoder, Wire):
            out.append(attribute(number, encoder(value)))
        elif encoder is PEER:  # a veth's peer: an ifinfomsg of its own, then its chain
            out.append(attribute(number, _IFINFO.pack(0, 0, 0, 0, 0) + chain(value["attrs"])))
        else:  # NESTED
            out.append(attribute(number, chain(value["attrs"])))
    return b"".join(out)


def link_body(ifname: str, *, flags: int = 0, change: int = 0, **attrs: Any) -> bytes:
    """ifinfomsg and attributes of a link request on the link named ``ifname`` (index 0)."""
    return _IFINFO.pack(0, 0, 0, flags, change) + chain([("IFLA_IFNAME", ifname), *attrs.items()])


# include/uapi/linux/if_addr.h
IFA_ADDRESS, IFA_LOCAL = 1, 2


def address_body(index: int, address: IPv4Address | IPv6Address, prefixlen: int) -> bytes:
    """ifaddrmsg and attributes of an address request (add, replace or delete) on link ``index``.

    What pyroute2's ``addr()`` sends: flags and scope 0 (the kernel picks the
    scope), ``IFA_ADDRESS``, and for IPv4 ``IFA_LOCAL`` too, which is the one
    the kernel's IPv4 side requires (EINVAL without it); IPv6 takes
    ``IFA_ADDRESS`` alone. No ``IFA_BROADCAST``: neither pyroute2 nor
    ``ip address replace`` sends one unless asked, and the spec cannot ask.
    """
    family = socket.AF_INET if address.version == 4 else socket.AF_INET6
    body = _IFADDR.pack(family, prefixlen, 0, 0, index) + attribute(IFA_ADDRESS, address.packed)
    if family == socket.AF_INET:
        body += attribute(IFA_LOCAL, address.packed)
    return body


def message(msg_type: int, flags: int, sequence: int, body: bytes) -> bytes:
    return _HEADER.pack(16 + len(body), msg_type, flags, sequence, 0) + body
