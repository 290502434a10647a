"""Routes, policy rules and neighbours on the wire: ``rtmsg``, ``fib_rule_hdr`` and ``ndmsg`` requests and dump records.

One module for both directions, as :mod:`.schema` is for links: a request is
first described the way pyroute2 describes one (the header's fields, then
``[(attribute name, value), ...]`` with names from rtnetlink.h and
fib_rules.h), and that description is packed with ``struct``;
tests/test_apply_routes_wire.py packs the same description with pyroute2's
``rtmsg``, ``fibmsg`` and ``ndmsg`` and compares the bytes. A dump record is decoded
back into the IR (:mod:`netscript.ir.routing`), and ``decode(encode(x)) == x``
is tested for every field.

The IR keeps what the kernel would pick by itself as ``None`` (a route's
metric and scope, a rule's full fwmark mask), so a route read back compares
equal to the route the spec wrote; :func:`kernel_metric` and
:func:`kernel_scope` say what those are.

Routes, rules and neighbours the IR cannot hold (a route type or attribute it
does not model, an inverted rule, a ``goto``, a neighbour entry that is not
permanent or carries a flag) decode to ``None``: they are neither exported
nor pruned.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import socket
import struct
from collections.abc import Callable, Iterator
from typing import Any

from ..ir.routing import DEFAULT_PROTOCOL, MAIN_TABLE, PROTOCOLS, Neighbour, Nexthop, Route, RouteType, Rule, RuleAction
from .attrs import _ATTR, NLA_F_NESTED, attribute_list, string, u32
from .rtnl import NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE, NLM_F_REQUEST, RTM_GETROUTE, RTM_NEWROUTE

# include/uapi/linux/rtnetlink.h
RTM_DELROUTE = 25
RTM_NEWRULE, RTM_DELRULE, RTM_GETRULE = 32, 33, 34
RTA_DST, RTA_SRC, RTA_IIF, RTA_OIF, RTA_GATEWAY, RTA_PRIORITY, RTA_PREFSRC, RTA_METRICS, RTA_MULTIPATH = range(1, 10)
RTA_FLOW, RTA_TABLE, RTA_VIA, RTA_ENCAP, RTA_NH_ID = 11, 15, 18, 22, 30
RTAX_MTU = 2
RTNH_F_ONLINK = 4
RTM_F_CLONED = 0x200
RT_TABLE_UNSPEC = 0
KERNEL_PROTOCOL = PROTOCOLS["kernel"]
RT_SCOPE_UNIVERSE, RT_SCOPE_LINK, RT_SCOPE_NOWHERE = 0, 253, 255
# the metric the kernel gives a route that names none (IPv6: IP6_RT_PRIO_USER)
KERNEL_METRIC = {4: 0, 6: 1024}

# include/uapi/linux/fib_rules.h
FRA_DST, FRA_SRC, FRA_IIFNAME, FRA_GOTO, FRA_PRIORITY = 1, 2, 3, 4, 6
FRA_FWMARK, FRA_FLOW, FRA_TUN_ID, FRA_SUPPRESS_IFGROUP, FRA_SUPPRESS_PREFIXLEN = 10, 11, 12, 13, 14
FRA_TABLE, FRA_FWMASK, FRA_OIFNAME, FRA_L3MDEV, FRA_UID_RANGE = 15, 16, 17, 19, 20
FRA_IP_PROTO, FRA_SPORT_RANGE, FRA_DPORT_RANGE = 22, 23, 24
FIB_RULE_INVERT = 0x2
FULL_MASK = 0xFFFFFFFF

# include/uapi/linux/neighbour.h
RTM_NEWNEIGH, RTM_DELNEIGH, RTM_GETNEIGH = 28, 29, 30
NDA_DST, NDA_LLADDR = 1, 2
NUD_PERMANENT = 0x80  # what netscript makes, and the only state it reads back

# What a rule may carry that the IR has no word for: such a rule is left alone.
RULE_UNMODELLED = frozenset({FRA_GOTO, FRA_FLOW, FRA_TUN_ID, FRA_L3MDEV, FRA_UID_RANGE, FRA_IP_PROTO,
                             FRA_SPORT_RANGE, FRA_DPORT_RANGE})  # fmt: skip
# ... and these, which the kernel always reports, unless they say -1 (not set)
RULE_UNSET_UNLESS_ALL_ONES = (FRA_SUPPRESS_IFGROUP, FRA_SUPPRESS_PREFIXLEN)
ROUTE_UNMODELLED = frozenset({RTA_SRC, RTA_FLOW, RTA_VIA, RTA_ENCAP, RTA_NH_ID})

FAMILIES = {4: socket.AF_INET, 6: socket.AF_INET6}
VERSIONS = {socket.AF_INET: 4, socket.AF_INET6: 6}

RTMSG = struct.Struct("=BBBBBBBBI")  # family, dst_len, src_len, tos, table, protocol, scope, type, flags
_FIBHDR = struct.Struct("=BBBBBBBBI")  # family, dst_len, src_len, tos, table, res1, res2, action, flags
_NDMSG = struct.Struct("=B3xiHBB")  # family, (pad), ifindex, state, flags, type
RTNEXTHOP = struct.Struct("=HBBi")  # rtnexthop: length, flags, hops, ifindex
_U32 = struct.Struct("=I")

RTMSG_FIELDS = ("family", "dst_len", "src_len", "tos", "table", "proto", "scope", "type", "flags")
FIBHDR_FIELDS = ("family", "dst_len", "src_len", "tos", "table", "res1", "res2", "action", "flags")
NDMSG_FIELDS = ("family", "ifindex", "state", "flags", "ndm_type")

Request = tuple[int, int, bytes]  # message type, flags, body (the pipeline adds the header)
_ASKED = NLM_F_REQUEST | NLM_F_ACK
# ip route replace / del, ip rule add / del
ROUTE_REPLACE = (RTM_NEWROUTE, _ASKED | NLM_F_CREATE | NLM_F_REPLACE)
ROUTE_DELETE = (RTM_DELROUTE, _ASKED)
RULE_ADD = (RTM_NEWRULE, _ASKED | NLM_F_CREATE | NLM_F_EXCL)
RULE_DELETE = (RTM_DELRULE, _ASKED)
# ip neigh replace ... nud permanent / ip neigh del
NEIGH_REPLACE = (RTM_NEWNEIGH, _ASKED | NLM_F_CREATE | NLM_F_REPLACE)
NEIGH_DELETE = (RTM_DELNEIGH, _ASKED)


def kernel_metric(family: int) -> int:
    return KERNEL_METRIC[family]


def kernel_scope(route: Route) -> int:
    """The scope `ip route add` gives a route that names none: link for an IPv4 route with no
    gateway, universe otherwise (IPv6 routes are always universe, whatever is asked)."""
    if route.family == 4 and route.type is RouteType.UNICAST and not any(nh.via for nh in route.nexthops):
        return RT_SCOPE_LINK
    return RT_SCOPE_UNIVERSE


def _network(dst: str) -> tuple[bytes, int]:
    """(address bytes, prefix length) of a destination or selector; (b"", 0) for default/all."""
    if dst == "default":
        return b"", 0
    net = ipaddress.ip_network(dst)
    return net.network_address.packed, net.prefixlen


def _ip(text: str) -> bytes:
    return ipaddress.ip_address(text).packed


# -- describing a request -------------------------------------------------------

Description = tuple[dict[str, int], list[tuple[str, Any]]]


def describe_route(route: Route, table: int, index_of: Callable[[str], int], *, delete: bool = False) -> Description:
    """The header and attributes of ``ip route replace`` (or ``del``) for ``route`` in ``table``.

    A delete names the route by what the kernel tells routes apart by (table,
    destination, metric) and its type, nothing else, so it finds the route
    whatever its nexthops became.
    """
    address, length = _network(route.dst)
    header = dict.fromkeys(RTMSG_FIELDS, 0)
    header.update(family=FAMILIES[route.family], dst_len=length, table=table if table < 256 else RT_TABLE_UNSPEC,
                  type=route.type.number)  # fmt: skip
    attrs: list[tuple[str, Any]] = [("RTA_TABLE", table)]
    if address:
        attrs.append(("RTA_DST", address))
    if delete:
        header["scope"] = RT_SCOPE_NOWHERE  # any scope
        metric = route.metric if route.metric is not None else kernel_metric(route.family)
        if metric:
            attrs.append(("RTA_PRIORITY", metric))
        return header, attrs
    header.update(proto=route.protocol if route.protocol is not None else DEFAULT_PROTOCOL,
                  scope=route.scope if route.scope is not None else kernel_scope(route))  # fmt: skip
    if route.metric is not None:
        attrs.append(("RTA_PRIORITY", route.metric))
    if route.src is not None:
        attrs.append(("RTA_PREFSRC", _ip(route.src)))
    if len(route.nexthops) == 1:
        nh = route.nexthops[0]
        header["flags"] = RTNH_F_ONLINK if nh.onlink else 0
        if nh.via is not None:
            attrs.append(("RTA_GATEWAY", _ip(nh.via)))
        if nh.dev is not None:
            attrs.append(("RTA_OIF", index_of(nh.dev)))
    if route.mtu is not None:
        attrs.append(("RTA_METRICS", {"attrs": [("RTAX_MTU", route.mtu)]}))
    if len(route.nexthops) > 1:
        hops = []
        for nh in route.nexthops:
            hops.append({
                "flags": RTNH_F_ONLINK if nh.onlink else 0,
                "hops": (nh.weight or 1) - 1,
                "oif": index_of(nh.dev) if nh.dev is not None else 0,
                "attrs": [("RTA_GATEWAY", _ip(nh.via))] if nh.via is not None else [],
            })  # fmt: skip
        attrs.append(("RTA_MULTIPATH", hops))
    return header, attrs


def describe_rule(rule: Rule, table: int) -> Description:
    """The header and attributes of ``ip rule add`` (and ``del``, which names the same rule)."""
    src, src_len = _network(rule.src) if rule.src is not None else (b"", 0)
    dst, dst_len = _network(rule.dst) if rule.dst is not None else (b"", 0)
    lookup = rule.action is RuleAction.LOOKUP
    header = dict.fromkeys(FIBHDR_FIELDS, 0)
    header.update(family=FAMILIES[rule.family], dst_len=dst_len, src_len=src_len, action=rule.action.number,
                  table=table if lookup and table < 256 else RT_TABLE_UNSPEC)  # fmt: skip
    attrs: list[tuple[str, Any]] = []
    if lookup:
        attrs.append(("FRA_TABLE", table))
    if rule.priority is not None:
        attrs.append(("FRA_PRIORITY", rule.priority))
    if src_len or rule.src is not None:
        attrs.append(("FRA_SRC", src))
    if dst_len or rule.dst is not None:
        attrs.append(("FRA_DST", dst))
    if rule.iif is not None:
        attrs.append(("FRA_IIFNAME", rule.iif))
    if rule.oif is not None:
        attrs.append(("FRA_OIFNAME", rule.oif))
    if rule.fwmark is not None:
        attrs.append(("FRA_FWMARK", rule.fwmark))
        if rule.fwmask is not None:
            attrs.append(("FRA_FWMASK", rule.fwmask))
    return header, attrs


def describe_neighbour(neighbour: Neighbour, index: int, *, delete: bool = False) -> Description:
    """The header and attributes of ``ip neigh replace ... nud permanent`` (or ``del``) on the link ``index``."""
    header = dict.fromkeys(NDMSG_FIELDS, 0)
    header.update(family=FAMILIES[neighbour.family], ifindex=index, state=0 if delete else NUD_PERMANENT)
    attrs: list[tuple[str, Any]] = [("NDA_DST", _ip(neighbour.address))]
    if not delete:
        attrs.append(("NDA_LLADDR", neighbour.lladdr))
    return header, attrs


# -- packing ---------------------------------------------------------------------


def _attribute(number: int, payload: bytes, nested: bool = False) -> bytes:
    length = 4 + len(payload)
    return _ATTR.pack(length, number | (NLA_F_NESTED if nested else 0)) + payload + b"\0" * (-length & 3)


def _string(value: str) -> bytes:
    return value.encode() + b"\0"


def _mac(value: str) -> bytes:
    return bytes.fromhex(value.replace(":", ""))


def _multipath(hops: list[dict]) -> bytes:
    out = b""
    for hop in hops:
        chain = b"".join(_attribute(ENCODERS[n][0], ENCODERS[n][1](v)) for n, v in hop["attrs"])
        out += RTNEXTHOP.pack(8 + len(chain), hop["flags"], hop["hops"], hop["oif"]) + chain
    return out


def _metrics(value: dict) -> bytes:
    return b"".join(_attribute(_NUMBERS[n], _U32.pack(v)) for n, v in value["attrs"])


_NUMBERS = {"RTAX_MTU": RTAX_MTU}
# name -> (number, how its value becomes its payload)
ENCODERS: dict[str, tuple[int, Callable[[Any], bytes]]] = {
    "RTA_DST": (RTA_DST, bytes),
    "RTA_OIF": (RTA_OIF, _U32.pack),
    "RTA_GATEWAY": (RTA_GATEWAY, bytes),
    "RTA_PRIORITY": (RTA_PRIORITY, _U32.pack),
    "RTA_PREFSRC": (RTA_PREFSRC, bytes),
    "RTA_METRICS": (RTA_METRICS, _metrics),
    "RTA_MULTIPATH": (RTA_MULTIPATH, _multipath),
    "RTA_TABLE": (RTA_TABLE, _U32.pack),
    "FRA_DST": (FRA_DST, bytes),
    "FRA_SRC": (FRA_SRC, bytes),
    "FRA_IIFNAME": (FRA_IIFNAME, _string),
    "FRA_PRIORITY": (FRA_PRIORITY, _U32.pack),
    "FRA_FWMARK": (FRA_FWMARK, _U32.pack),
    "FRA_TABLE": (FRA_TABLE, _U32.pack),
    "FRA_FWMASK": (FRA_FWMASK, _U32.pack),
    "FRA_OIFNAME": (FRA_OIFNAME, _string),
    "NDA_DST": (NDA_DST, bytes),
    "NDA_LLADDR": (NDA_LLADDR, _mac),
}
# Nested chains go without NLA_F_NESTED, as pyroute2 sends them (the kernel takes either)
_NESTED: frozenset[str] = frozenset()


def pack(header_struct: struct.Struct, fields, description: Description) -> bytes:
    header, attrs = description
    body = header_struct.pack(*(header[f] for f in fields))
    for name, value in attrs:
        number, encode = ENCODERS[name]
        body += _attribute(number, encode(value), name in _NESTED)
    return body


def route_request(route: Route, table: int, index_of: Callable[[str], int], *, delete: bool = False) -> Request:
    """``ip route replace`` (or ``del``) of ``route`` as (type, flags, body); ``index_of`` gives a device's ifindex."""
    msg_type, flags = ROUTE_DELETE if delete else ROUTE_REPLACE
    return msg_type, flags, pack(RTMSG, RTMSG_FIELDS, describe_route(route, table, index_of, delete=delete))


def rule_request(rule: Rule, table: int, *, delete: bool = False) -> Request:
    msg_type, flags = RULE_DELETE if delete else RULE_ADD
    return msg_type, flags, pack(_FIBHDR, FIBHDR_FIELDS, describe_rule(rule, table))


def neighbour_request(neighbour: Neighbour, index: int, *, delete: bool = False) -> Request:
    """``ip neigh replace ADDR lladdr MAC nud permanent`` (or ``del``) on the link whose ifindex is ``index``."""
    msg_type, flags = NEIGH_DELETE if delete else NEIGH_REPLACE
    return msg_type, flags, pack(_NDMSG, NDMSG_FIELDS, describe_neighbour(neighbour, index, delete=delete))


def neighbour_dump_request() -> bytes:
    """Every neighbour entry of both families (the state is filtered here: a dump cannot ask for one)."""
    return _NDMSG.pack(0, 0, 0, 0, 0)


def route_dump_request() -> bytes:
    """Every route of every table and family (no filter: the kernel can only keep one protocol, not leave some out)."""
    return RTMSG.pack(0, 0, 0, 0, RT_TABLE_UNSPEC, 0, 0, 0, 0)


def rule_dump_request() -> bytes:
    return _FIBHDR.pack(0, 0, 0, 0, 0, 0, 0, 0, 0)


# -- decoding a dump record ------------------------------------------------------


def _prefix(raw, length: int, version: int) -> str:
    padded = bytes(raw) + b"\0" * (16 if version == 6 else 4)
    address = ipaddress.ip_address(padded[: 16 if version == 6 else 4])
    return str(ipaddress.ip_network(f"{address}/{length}", strict=False))


def _address(raw) -> str:
    return str(ipaddress.ip_address(bytes(raw)))


def route_header(data, start: int) -> tuple[int, ...]:
    """The rtmsg of the message at ``start`` (family, dst_len, src_len, tos, table, protocol, scope, type, flags)."""
    return RTMSG.unpack_from(data, start + 16)


def multipath(payload: bytes | memoryview) -> Iterator[tuple[int, int, int, bytes | memoryview]]:
    """The rtnexthops of an RTA_MULTIPATH: (flags, hops, ifindex, their attributes' bytes) each."""
    offset = 0
    while offset + 8 <= len(payload):
        length, flags, hops, index = RTNEXTHOP.unpack_from(payload, offset)
        if length < 8:
            return
        yield flags, hops, index, payload[offset + 8 : offset + length]
        offset += (length + 3) & ~3


def decode_route(data, start: int, end: int, name_of: Callable[[int], str | None]) -> Route | None:
    """The route of one RTM_NEWROUTE message (``start``: its nlmsghdr), or None when the IR cannot hold it."""
    from .rtnl import attributes

    family, dst_len, src_len, tos, table, protocol, scope, rtype, flags = RTMSG.unpack_from(data, start + 16)
    version = VERSIONS.get(family)
    route_type = RouteType.of_number(rtype)
    if version is None or route_type is None or src_len or tos or flags & RTM_F_CLONED:
        return None
    a = attributes(data, start + 28, end)
    if ROUTE_UNMODELLED & a.keys():
        return None
    if RTA_TABLE in a:
        table = u32(a[RTA_TABLE])
    nexthops: list[Nexthop] = []
    if RTA_MULTIPATH in a:
        for nh_flags, hops, index, attrs in multipath(a[RTA_MULTIPATH]):
            inner = dict(attribute_list(attrs))
            dev = name_of(index) if index else None
            if index and dev is None:
                return None
            via = _address(inner[RTA_GATEWAY]) if RTA_GATEWAY in inner else None
            nexthops.append(Nexthop(via=via, dev=dev, weight=hops + 1 if hops else None, onlink=bool(nh_flags & RTNH_F_ONLINK)))
    elif RTA_GATEWAY in a or RTA_OIF in a:
        dev = name_of(u32(a[RTA_OIF])) if RTA_OIF in a else None
        if RTA_OIF in a and dev is None:
            return None
        via = _address(a[RTA_GATEWAY]) if RTA_GATEWAY in a else None
        nexthops.append(Nexthop(via=via, dev=dev, onlink=bool(flags & RTNH_F_ONLINK)))
    mtu = None
    if RTA_METRICS in a:
        mtu = next((u32(p) for n, p in attribute_list(a[RTA_METRICS]) if n == RTAX_MTU), None)
    metric = u32(a[RTA_PRIORITY]) if RTA_PRIORITY in a else None
    route = Route(
        dst=_prefix(a[RTA_DST], dst_len, version) if dst_len else "default",
        family=version,
        type=route_type,
        nexthops=tuple(nexthops),
        table=table,
        metric=None if metric in (None, kernel_metric(version)) else metric,
        src=_address(a[RTA_PREFSRC]) if RTA_PREFSRC in a else None,
        mtu=mtu,
        protocol=protocol,
    )
    # (IPv6 has no route scopes: the kernel says universe whatever it was asked)
    if version == 4 and scope != kernel_scope(route):
        route = dataclasses.replace(route, scope=scope)
    return route


def decode_rule(data, start: int, end: int) -> Rule | None:
    """The rule of one RTM_NEWRULE message, or None when the IR cannot hold it."""
    from .rtnl import attributes

    family, dst_len, src_len, tos, table, _, _, action_number, flags = _FIBHDR.unpack_from(data, start + 16)
    version = VERSIONS.get(family)
    action = RuleAction.of_number(action_number)
    if version is None or action is None or tos or flags & FIB_RULE_INVERT:
        return None
    a = attributes(data, start + 28, end)
    if RULE_UNMODELLED & a.keys() or any(u32(a[n]) != FULL_MASK for n in RULE_UNSET_UNLESS_ALL_ONES if n in a):
        return None
    if FRA_TABLE in a:
        table = u32(a[FRA_TABLE])
    mark = u32(a[FRA_FWMARK]) if FRA_FWMARK in a else 0
    mask = u32(a[FRA_FWMASK]) if FRA_FWMASK in a else FULL_MASK  # a mark alone means all of its bits
    marked = bool(mark) or mask != FULL_MASK
    return Rule(
        family=version,
        priority=u32(a[FRA_PRIORITY]) if FRA_PRIORITY in a else 0,
        src=_prefix(a.get(FRA_SRC, b""), src_len, version) if src_len else None,
        dst=_prefix(a.get(FRA_DST, b""), dst_len, version) if dst_len else None,
        iif=string(a[FRA_IIFNAME]) if FRA_IIFNAME in a else None,
        oif=string(a[FRA_OIFNAME]) if FRA_OIFNAME in a else None,
        fwmark=mark if marked else None,
        fwmask=mask if marked and mask != FULL_MASK else None,
        action=action,
        table=table if action is RuleAction.LOOKUP else MAIN_TABLE,
    )


def decode_neighbour(data, start: int, end: int, name_of: Callable[[int], str | None]) -> Neighbour | None:
    """The permanent entry of one RTM_NEWNEIGH message, or None for any other (learnt, proxy, flagged)."""
    from .rtnl import attributes

    family, index, state, flags, _ = _NDMSG.unpack_from(data, start + 16)
    version = VERSIONS.get(family)
    if version is None or state != NUD_PERMANENT or flags:
        return None
    a = attributes(data, start + 16 + _NDMSG.size, end)
    dev = name_of(index)
    if NDA_DST not in a or NDA_LLADDR not in a or dev is None or len(a[NDA_LLADDR]) != 6:
        return None  # a link with no link-layer address, or one of another length than a MAC's
    return Neighbour(address=_address(a[NDA_DST]), lladdr=bytes(a[NDA_LLADDR]).hex(":"), dev=dev)


__all__ = [
    "RTM_DELNEIGH", "RTM_DELROUTE", "RTM_DELRULE", "RTM_GETNEIGH", "RTM_GETROUTE", "RTM_GETRULE", "RTM_NEWNEIGH",
    "RTM_NEWROUTE", "RTM_NEWRULE", "decode_neighbour", "decode_route", "decode_rule", "describe_neighbour",
    "describe_route", "describe_rule", "kernel_metric", "kernel_scope", "neighbour_dump_request",
    "neighbour_request", "route_dump_request", "route_request", "rule_dump_request", "rule_request",
]  # fmt: skip
