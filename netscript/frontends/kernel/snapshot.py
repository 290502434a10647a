"""One namespace as the kernel reports it: three dumps, decoded into plain records.

A :class:`Snapshot` holds what one link dump, one address dump and one route
dump say about a namespace, with every setting decoded for the kinds netscript
knows. Names of links in *other* namespaces (a veth's far end, a macvlan's
parent left on the host) are resolved later by :mod:`.state`, which sees
every namespace read.
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass, field

from ...ir.model import LinkKind
from ...netlink import rtnl, schema
from ...netlink.schema import (
    IFLA_ADDRESS,
    IFLA_CARRIER,
    IFLA_IFNAME,
    IFLA_INFO_DATA,
    IFLA_INFO_KIND,
    IFLA_INFO_SLAVE_DATA,
    IFLA_INFO_SLAVE_KIND,
    IFLA_LINK,
    IFLA_LINK_NETNSID,
    IFLA_LINKINFO,
    IFLA_MASTER,
    IFLA_MTU,
    IFLA_TXQLEN,
)

IFA_ADDRESS, IFA_LOCAL = 1, 2
LINK_ATTRIBUTES = frozenset(
    (IFLA_ADDRESS, IFLA_IFNAME, IFLA_MTU, IFLA_LINK, IFLA_MASTER, IFLA_TXQLEN, IFLA_LINKINFO, IFLA_LINK_NETNSID,
     IFLA_CARRIER)
)
ADDRESS_ATTRIBUTES = frozenset((IFA_ADDRESS, IFA_LOCAL))
_ADDRMSG = struct.Struct("=BBBBI")


@dataclass(slots=True)
class LinkRecord:
    """One link of one namespace, as the link dump gives it."""

    index: int
    name: str
    up: bool
    mac: str | None
    mtu: int | None
    txqueuelen: int | None
    link_index: int  # IFLA_LINK: the lower device, or a veth's peer
    link_netnsid: int | None  # set when link_index lives in another namespace
    master_index: int
    info_kind: str | None
    info_data: dict = field(default_factory=dict)  # attribute number -> bytes
    slave_kind: str | None = None
    slave_data: dict = field(default_factory=dict)
    addresses: list = field(default_factory=list)  # "addr/len", kernel order
    link_local: list = field(default_factory=list)  # IPv6 fe80::/10, kept apart
    carrier: bool = False  # IFLA_CARRIER, whatever the admin state

    @property
    def kind(self) -> LinkKind | None:
        """The IR kind, PHYSICAL when the kernel names none, None when the IR has no such kind."""
        if self.info_kind is None:
            return LinkKind.PHYSICAL
        return schema.kind_of(self.info_kind, self.info_data)


@dataclass
class Snapshot:
    netns: str | None
    links: dict[str, LinkRecord]  # by name, in ifindex order
    by_index: dict[int, LinkRecord]

    def name_of(self, index: int) -> str | None:
        record = self.by_index.get(index)
        return record.name if record else None


def _copy(chain: dict) -> dict:
    return {k: bytes(v) for k, v in chain.items()}


INFO_ATTRIBUTES = frozenset((IFLA_INFO_KIND, IFLA_INFO_DATA, IFLA_INFO_SLAVE_KIND, IFLA_INFO_SLAVE_DATA))


def read_links(sock: rtnl.RtnlSocket) -> list[LinkRecord]:
    out = []
    ifinfo = rtnl.IFINFO.unpack_from
    attributes, string, u32 = rtnl.attributes, rtnl.string, rtnl.u32  # once per link of thousands
    for kind, buf, start, end in sock.dump(rtnl.RTM_GETLINK, rtnl.link_dump_request()):
        if kind != rtnl.RTM_NEWLINK:
            continue
        _, _, index, flags, _ = ifinfo(buf, start + 16)
        a = attributes(buf, start + 32, end, LINK_ATTRIBUTES)
        linkinfo = a.get(IFLA_LINKINFO)
        info = attributes(linkinfo, 0, len(linkinfo), INFO_ATTRIBUTES) if linkinfo is not None else {}
        record = LinkRecord(
            index=index,
            name=string(a[IFLA_IFNAME]),
            up=bool(flags & schema.IFF_UP),
            mac=rtnl.mac(a[IFLA_ADDRESS]) if IFLA_ADDRESS in a else None,
            mtu=u32(a[IFLA_MTU]) if IFLA_MTU in a else None,
            txqueuelen=u32(a[IFLA_TXQLEN]) if IFLA_TXQLEN in a else None,
            link_index=u32(a[IFLA_LINK]) if IFLA_LINK in a else 0,
            link_netnsid=rtnl.s32(a[IFLA_LINK_NETNSID]) if IFLA_LINK_NETNSID in a else None,
            master_index=u32(a[IFLA_MASTER]) if IFLA_MASTER in a else 0,
            info_kind=string(info[IFLA_INFO_KIND]) if IFLA_INFO_KIND in info else None,
            carrier=bool(rtnl.u8(a[IFLA_CARRIER])) if IFLA_CARRIER in a else False,
        )
        if IFLA_INFO_DATA in info:
            wanted = schema.data_attributes(record.info_kind)
            record.info_data = _copy(rtnl.nested(info[IFLA_INFO_DATA], wanted))
        if IFLA_INFO_SLAVE_KIND in info:
            record.slave_kind = rtnl.string(info[IFLA_INFO_SLAVE_KIND])
            if IFLA_INFO_SLAVE_DATA in info:
                wanted = schema.port_attributes(record.slave_kind)
                record.slave_data = _copy(rtnl.nested(info[IFLA_INFO_SLAVE_DATA], wanted))
        out.append(record)
    return out


def read_addresses(sock: rtnl.RtnlSocket, by_index: dict[int, LinkRecord]) -> None:
    for kind, buf, start, end in sock.dump(rtnl.RTM_GETADDR, rtnl.address_dump_request()):
        if kind != rtnl.RTM_NEWADDR:
            continue
        family, prefixlen, _, _, index = _ADDRMSG.unpack_from(buf, start + 16)
        record = by_index.get(index)
        if record is None:
            continue
        a = rtnl.attributes(buf, start + 24, end, ADDRESS_ATTRIBUTES)
        # IPv4: IFA_LOCAL is the address (IFA_ADDRESS is the peer on point-to-point links)
        raw = a.get(IFA_LOCAL) if family == socket.AF_INET else None
        raw = raw if raw is not None else a.get(IFA_ADDRESS)
        if raw is None:
            continue
        cidr = f"{rtnl.ip(raw)}/{prefixlen}"
        if family == socket.AF_INET6 and raw[0] == 0xFE and raw[1] & 0xC0 == 0x80:  # fe80::/10
            record.link_local.append(cidr)
        else:
            record.addresses.append(cidr)


def read_default_routes(sock: rtnl.RtnlSocket) -> set[int]:
    """Indexes of the links that carry a default route of the main table.

    A namespace with thousands of links has thousands of IPv6 link-local
    prefix routes, which no dump filter leaves out, so this is read only
    when a plan has a step that could cut the default route.
    """
    from ...netlink.routes import RTA_MULTIPATH, RTA_OIF, RTMSG, multipath  # the route codec, loaded when asked

    out: set[int] = set()
    for kind, buf, start, end in sock.dump(rtnl.RTM_GETROUTE, rtnl.default_route_dump_request()):
        if kind != rtnl.RTM_NEWROUTE:
            continue
        _, dst_len, _, _, table, _, _, rtype, _ = RTMSG.unpack_from(buf, start + 16)
        # the kernel filters on table and type when strict checking is on; older ones do not
        if dst_len or rtype != rtnl.RTN_UNICAST or table != rtnl.RT_TABLE_MAIN:
            continue
        a = rtnl.attributes(buf, start + 28, end, frozenset((RTA_OIF, RTA_MULTIPATH)))
        if RTA_OIF in a:
            out.add(rtnl.u32(a[RTA_OIF]))
        if RTA_MULTIPATH in a:
            out.update(index for _, _, index, _ in multipath(a[RTA_MULTIPATH]))
    return out


def read(netns: str | None, *, addresses: bool = True) -> Snapshot:
    """Dump one namespace: its links and (unless ``addresses`` is false) their addresses.

    Raises :class:`rtnl.NamespaceMissing` when the namespace does not exist.
    """

    def dump():
        with rtnl.RtnlSocket(netns) as sock:
            records = read_links(sock)
            by_index = {r.index: r for r in records}
            if addresses:
                read_addresses(sock, by_index)
        return records, by_index

    records, by_index = rtnl.read_again(dump)
    return Snapshot(netns=netns, links={r.name: r for r in records}, by_index=by_index)


def default_route_links(netns: str | None) -> set[int]:
    """Indexes of the links of ``netns`` that carry a default route."""

    def dump():
        with rtnl.RtnlSocket(netns) as sock:
            return read_default_routes(sock)

    return rtnl.read_again(dump)
