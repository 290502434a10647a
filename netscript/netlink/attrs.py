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

_U8, _U16, _U32, _BE16, _BE32, _S32, _U64 = (struct.Struct(f) for f in ("=B", "=H", "=I", ">H", ">I", "=i", "=Q"))
_ATTR = struct.Struct("=HH")  # nlattr: len, type
NLA_F_NESTED, NLA_F_NET_BYTEORDER = 0x8000, 0x4000
NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xFFFF


# -- one payload, as the kernel lays it out (the reader in py uses these too)

def u8(p) -> int:
    return _U8.unpack_from(p)[0]


def u16(p) -> int:
    return _U16.unpack_from(p)[0]


def u32(p) -> int:
    return _U32.unpack_from(p)[0]


def s32(p) -> int:
    return _S32.unpack_from(p)[0]


def u64(p) -> int:
    return _U64.unpack_from(p)[0]


def be16(p) -> int:
    return _BE16.unpack_from(p)[0]


def string(p) -> str:
    raw = bytes(p)
    nul = raw.find(b"\0")
    return (raw if nul < 0 else raw[:nul]).decode("utf-8", "surrogateescape")


def mac(p) -> str:
    return bytes(p).hex(":")


def ip(p) -> str:
    import socket  # inet_ntop writes addresses as `ip` does (::ffff:192.0.2.1); imported when first needed

    raw = bytes(p)
    if len(raw) == 4:
        return socket.inet_ntop(socket.AF_INET, raw)
    if len(raw) == 16:
        return socket.inet_ntop(socket.AF_INET6, raw)
    return raw.hex()


def attr(kind: int, payload: bytes) -> bytes:
    """Encode one attribute (requests here carry only a few: ext mask, nsid fd, table)."""
    length = 4 + len(payload)
    return _ATTR.pack(length, kind) + payload + b"\0" * ((4 - length % 4) % 4)


def attribute_list(payload) -> list[tuple[int, memoryview]]:
    """All attributes of a chain in order (for arrays such as bond ARP targets)."""
    out = []
    view = memoryview(payload)
    start, end = 0, len(payload)
    while start + 4 <= end:
        length, kind = _ATTR.unpack_from(payload, start)
        if length < 4:
            break
        out.append((kind & NLA_TYPE_MASK, view[start + 4 : start + length]))
        start += (length + 3) & ~3
    return out



_TWO_U32 = struct.Struct("=II")


def _mac(value: str) -> bytes:
    return bytes(int(octet, 16) for octet in value.split(":"))


def _flag(p) -> bool:
    return bool(u8(p)) if len(p) == 1 else bool(u32(p))


@dataclass(frozen=True, slots=True)
class Wire:
    """How one type of value is laid out in an attribute's payload."""

    encode: Callable[..., bytes]
    decode: Callable[..., object]


WIRE: dict[str, Wire] = {
    "u8": Wire(_U8.pack, u8),
    "u16": Wire(_U16.pack, u16),
    "u32": Wire(_U32.pack, u32),
    "s32": Wire(_S32.pack, s32),
    "be16": Wire(_BE16.pack, be16),
    "be32": Wire(_BE32.pack, lambda p: _BE32.unpack_from(p)[0]),
    "bool8": Wire(lambda v: _U8.pack(int(v)), lambda p: bool(u8(p))),
    "bool32": Wire(lambda v: _U32.pack(int(v)), lambda p: bool(u32(p))),
    # a u8 or a u32 that means on/off, whichever the kernel sends
    "flag": Wire(lambda v: _U8.pack(int(v)), _flag),
    "mac": Wire(_mac, mac),
    "ip4": Wire(lambda v: ipaddress.IPv4Address(v).packed, ip),  # struct in_addr
    "ip6": Wire(lambda v: ipaddress.IPv6Address(v).packed, ip),  # struct in6_addr
    "string": Wire(lambda v: v.encode() + b"\0", string),
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
