"""An rtnetlink attribute: its name, number and wire type, and the wire types in both directions.

A kind's module declares each setting's attribute with :class:`Attr`
(``netscript.kinds``); the reader decodes dumps with it and :mod:`.wire`
encodes requests with it, so the two directions cannot disagree about a
number or a byte order. tests/test_netlink_schema.py checks that
``decode(encode(x)) == x`` for every attribute a kind declares.
"""

from __future__ import annotations

import ipaddress
import struct
from collections.abc import Callable
from dataclasses import dataclass

from . import rtnl

_U8, _U16, _U32, _BE16, _BE32, _S32 = (struct.Struct(f) for f in ("=B", "=H", "=I", ">H", ">I", "=i"))
_TWO_U32 = struct.Struct("=II")


def _mac(value: str) -> bytes:
    return bytes(int(octet, 16) for octet in value.split(":"))


def _flag(p) -> bool:
    return bool(rtnl.u8(p)) if len(p) == 1 else bool(rtnl.u32(p))


@dataclass(frozen=True, slots=True)
class Wire:
    """How one type of value is laid out in an attribute's payload."""

    encode: Callable[..., bytes]
    decode: Callable[..., object]


WIRE: dict[str, Wire] = {
    "u8": Wire(_U8.pack, rtnl.u8),
    "u16": Wire(_U16.pack, rtnl.u16),
    "u32": Wire(_U32.pack, rtnl.u32),
    "s32": Wire(_S32.pack, rtnl.s32),
    "be16": Wire(_BE16.pack, rtnl.be16),
    "be32": Wire(_BE32.pack, lambda p: _BE32.unpack_from(p)[0]),
    "bool8": Wire(lambda v: _U8.pack(int(v)), lambda p: bool(rtnl.u8(p))),
    "bool32": Wire(lambda v: _U32.pack(int(v)), lambda p: bool(rtnl.u32(p))),
    # a u8 or a u32 that means on/off, whichever the kernel sends
    "flag": Wire(lambda v: _U8.pack(int(v)), _flag),
    "mac": Wire(_mac, rtnl.mac),
    "ip4": Wire(lambda v: ipaddress.IPv4Address(v).packed, rtnl.ip),  # struct in_addr
    "ip6": Wire(lambda v: ipaddress.IPv6Address(v).packed, rtnl.ip),  # struct in6_addr
    "string": Wire(lambda v: v.encode() + b"\0", rtnl.string),
    "bytes": Wire(bytes, bytes),
}
# Markers for wire.py: a chain of named attributes ({"attrs": [(name, value), ...]}), and
# an ifinfomsg followed by a chain (a veth's peer). Neither is decoded as one value.
NESTED = Wire(lambda v: b"", bytes)
PEER = Wire(lambda v: b"", bytes)


@dataclass(frozen=True, slots=True)
class Attr:
    """One attribute: ``name`` as if_link.h (and pyroute2) spell it, its ``number`` in its
    chain, its ``wire`` type (a key of :data:`WIRE`), and for enumerations the kernel's
    numbers for the setting's words."""

    name: str
    number: int
    wire: str | Wire  # a kind's own layout (a VLAN's flag bits) is a Wire of its own
    words: tuple[tuple[int, str], ...] = ()

    @property
    def layout(self) -> Wire:
        return WIRE[self.wire] if isinstance(self.wire, str) else self.wire

    def to_kernel(self, value):
        """The value as it goes on the wire (an enumeration's number, a flag's 0 or 1)."""
        if self.words:
            return {word: number for number, word in self.words}[value]
        if isinstance(value, bool):
            return int(value)
        return value

    def encode(self, value) -> bytes:
        return self.layout.encode(self.to_kernel(value))

    def decode(self, payload):
        raw = self.layout.decode(payload)
        if self.words:
            return dict(self.words).get(raw, str(raw))
        return raw


def enum(*words: str) -> tuple[tuple[int, str], ...]:
    """Words numbered from 0, the way most kernel enumerations are."""
    return tuple(enumerate(words))
