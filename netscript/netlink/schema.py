"""Each link kind's settings as rtnetlink attributes, in both directions, from the kinds.

A kind's module (:mod:`netscript.kinds`) declares each setting's attribute on
the setting itself (``option(..., netlink=Attr(...))``) and handles the few
that are not one plain attribute with its own ``encode_netlink`` /
``decode_netlink``. This module gathers them into one table per kind, which
the reader (:mod:`netscript.frontends.kernel`) decodes dumps with and the
apply backend encodes requests with. Nothing here names a kind.

Numbers come from include/uapi/linux/if_link.h; tests check every attribute
against pyroute2's own tables (the bytes, and the names), and that decoding
what is encoded gives the value back.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from .. import kinds
from ..ir.model import LinkKind
from ..kinds.spec import KindSpec, attributes
from .attrs import Attr

# Top-level link attributes (IFLA_*).
IFLA_ADDRESS, IFLA_IFNAME, IFLA_MTU, IFLA_LINK = 1, 3, 4, 5
IFLA_MASTER, IFLA_TXQLEN, IFLA_OPERSTATE, IFLA_LINKINFO = 10, 13, 16, 18
IFLA_NET_NS_FD, IFLA_CARRIER, IFLA_LINK_NETNSID = 28, 33, 37
IFLA_INFO_KIND, IFLA_INFO_DATA, IFLA_INFO_SLAVE_KIND, IFLA_INFO_SLAVE_DATA = 1, 2, 4, 5
IFF_UP = 0x1


@dataclass(frozen=True, slots=True)
class Row:
    """One setting: options field <-> attribute."""

    field: str
    attr: Attr

    @property
    def nla(self) -> str:
        return self.attr.name

    @property
    def number(self) -> int:
        return self.attr.number

    def to_ir(self, payload):
        return self.attr.decode(payload)

    def to_kernel(self, value):
        return self.attr.to_kernel(value)


@dataclass(frozen=True, slots=True)
class KindTable:
    info_kind: str  # IFLA_INFO_KIND
    rows: tuple[Row, ...] = ()
    port_rows: tuple[Row, ...] = ()  # IFLA_INFO_SLAVE_DATA of its ports
    extra: frozenset = frozenset()  # numbers of the attributes the kind decodes itself
    port_extra: frozenset = frozenset()

    def row(self, field: str) -> Row | None:
        for r in self.rows + self.port_rows:
            if r.field == field:
                return r
        return None


def _table(spec: KindSpec, info_kind: str) -> KindTable:
    parent = (spec.parent_attr.number,) if spec.parent_attr is not None else ()
    return KindTable(
        info_kind,
        rows=tuple(Row(f, a) for f, a in attributes(spec.options).items()),
        port_rows=tuple(Row(f, a) for f, a in attributes(spec.port_options).items()),
        extra=frozenset([a.number for a in spec.netlink_attrs] + list(parent)),
        port_extra=frozenset(a.number for a in spec.port_netlink_attrs),
    )


class _Tables(Mapping[LinkKind, KindTable]):
    """Each kind the kernel makes over rtnetlink -> its table, built when first asked for, so
    reading a namespace of bridges and veths loads those two kinds' modules, not every kind's."""

    def __init__(self) -> None:
        self._built: dict[LinkKind, KindTable] = {}

    def __getitem__(self, kind: LinkKind) -> KindTable:
        if kind not in self._built:
            spec = kinds.KINDS[kind]
            if spec.netlink_kind is None:
                raise KeyError(kind)
            self._built[kind] = _table(spec, spec.netlink_kind)
        return self._built[kind]

    def __contains__(self, kind: object) -> bool:
        return isinstance(kind, LinkKind) and kind in kinds.KINDS and kinds.KINDS[kind].netlink_kind is not None

    def __iter__(self) -> Iterator[LinkKind]:
        return (kind for kind, spec in kinds.KINDS.items() if spec.netlink_kind is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)


TABLES: Mapping[LinkKind, KindTable] = _Tables()


@functools.cache
def specs_of(info_kind: str) -> tuple[KindSpec, ...]:
    """The kinds that the kernel reports as IFLA_INFO_KIND ``info_kind`` (tun and tap share "tun")."""
    if not info_kind:
        return ()
    spec = kinds.by_word(info_kind)
    if spec is not None and spec.netlink_kind == info_kind and spec.matches is None:
        return (spec,)  # the usual case: a kind of its own, under its own name (one that shares has `matches`)
    return tuple(s for s in kinds.KINDS.values() if s.netlink_kind == info_kind)


def known(info_kind: str) -> bool:
    """Whether ``info_kind`` is the IFLA_INFO_KIND of a kind netscript knows."""
    return bool(specs_of(info_kind))


def kind_of(info_kind: str, info_data: dict) -> LinkKind | None:
    """The IR kind of a link the kernel reports as ``info_kind`` (None: not one netscript knows)."""
    specs = specs_of(info_kind)
    if len(specs) == 1:
        return specs[0].kind
    return next((s.kind for s in specs if s.matches is not None and s.matches(info_data)), None)


@functools.cache
def data_attributes(info_kind: str | None) -> frozenset:
    """The IFLA_INFO_DATA attributes worth decoding for a kind (empty: none)."""
    out: set = set()
    for spec in specs_of(info_kind or ""):
        table = TABLES[spec.kind]
        out |= {r.number for r in table.rows} | table.extra
    return frozenset(out)


@functools.cache
def port_attributes(slave_kind: str | None) -> frozenset:
    out: set = set()
    for spec in specs_of(slave_kind or ""):
        table = TABLES[spec.kind]
        out |= {r.number for r in table.port_rows} | table.port_extra
    return frozenset(out)


def decode(kind: LinkKind, data: dict, name_of) -> dict:
    """Field -> value for the settings of ``kind`` in IFLA_INFO_DATA; ``name_of(ifindex)`` names a link."""
    values = {row.field: row.to_ir(data[row.number]) for row in TABLES[kind].rows if row.number in data}
    spec = kinds.spec(kind)
    if spec.decode_netlink is not None:
        values.update(spec.decode_netlink(data, name_of))
    return values


def decode_port(master_kind: LinkKind, data: dict) -> dict:
    values = {row.field: row.to_ir(data[row.number]) for row in TABLES[master_kind].port_rows if row.number in data}
    spec = kinds.spec(master_kind)
    if spec.decode_port_netlink is not None:
        values.update(spec.decode_port_netlink(data))
    return values


def encode(kind: LinkKind, values: dict, index_of) -> list:
    """(attribute name, value) pairs for ``values`` (field -> value); ``index_of(name)`` gives an ifindex."""
    out = [(row.nla, row.to_kernel(values[row.field])) for row in TABLES[kind].rows if row.field in values]
    spec = kinds.spec(kind)
    if spec.encode_netlink is not None:
        out += spec.encode_netlink(values, index_of)
    return out


def parent_index(kind: LinkKind, data: dict) -> int:
    """The lower link a kind names in IFLA_INFO_DATA (0: none, or the kind uses IFLA_LINK)."""
    attr = kinds.spec(kind).parent_attr
    return attr.decode(data[attr.number]) if attr is not None and attr.number in data else 0


def all_attributes() -> list[Attr]:
    """Every attribute a kind declares, for the encoder."""
    out = []
    for spec in kinds.KINDS.values():
        out += list(attributes(spec.options).values()) + list(attributes(spec.port_options).values())
        out += list(spec.netlink_attrs) + list(spec.port_netlink_attrs)
        if spec.parent_attr is not None:
            out.append(spec.parent_attr)
    return out


def same_value(field: str, wanted, actual) -> bool:
    """Whether a read-back value satisfies the spec's (order-free lists, case-free MACs)."""
    if field in ("egress_qos_map", "ingress_qos_map"):
        # a mapping to priority 0 is no mapping: the kernel lists only the others
        return tuple(sorted(p for p in (wanted or ()) if p[1])) == tuple(sorted(actual or ()))
    if isinstance(wanted, tuple) and isinstance(actual, tuple):
        return sorted(wanted) == sorted(actual)
    if isinstance(wanted, str) and isinstance(actual, str):
        return wanted.lower() == actual.lower()
    return wanted == actual
