"""The live state of several namespaces, as IR links: what diffing and export compare.

``read(namespaces)`` dumps each namespace once (:mod:`.snapshot`) and turns
every link into an :class:`Observed`: the IR :class:`~netscript.ir.model.Link`
view (kind, every setting the kernel reports, parent, MTU, MAC, queue length,
admin state, addresses) plus what the IR keeps elsewhere (master, port
settings, a veth's far end) and what only the kernel knows (ifindex, whether
a default route leaves through it).

Links in other namespaces are named through the namespace ids the kernel
reports (``IFLA_LINK_NETNSID``): a veth's far end or a macvlan's parent left
on the host is found by reading that namespace too.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from dataclasses import dataclass, field

from ... import kinds
from ...ir.make import positional
from ...ir.model import Address, AdminState, Link, LinkKind, Ref
from ...netlink import rtnl, schema
from . import snapshot, teams
from .snapshot import LinkRecord, Snapshot

# Links the kernel makes in every namespace, which no spec creates or deletes: the loopback,
# and the fallback device of each tunnel module once it is loaded (with the default
# net.core.fb_tunnels_only_for_init_net=0): the kinds netscript models say theirs, and these
# are the modules' whose kinds it does not model. They are left out of what is read.
_UNMODELLED_MADE = frozenset({
    ("lo", None), ("gre0", "gre"), ("erspan0", "erspan"), ("sit0", "sit"), ("ip6tnl0", "ip6tnl"),
    ("ip6gre0", "ip6gre"), ("ip_vti0", "vti"), ("ip6_vti0", "vti6"),
})  # fmt: skip


def kernel_made(name: str, info_kind: str | None) -> bool:
    """Whether the kernel made this link itself (only the kinds of ``info_kind`` are asked: a
    namespace of bridges and veths does not load every kind's module)."""
    if (name, info_kind) in _UNMODELLED_MADE:
        return True
    return bool(info_kind) and name in _fallback_devices(info_kind or "")


@functools.cache
def _fallback_devices(info_kind: str) -> frozenset[str]:
    """The names of the devices the modules of ``info_kind``'s kinds make in every namespace."""
    return frozenset(spec.fallback_device for spec in schema.specs_of(info_kind) if spec.fallback_device)


@dataclass(frozen=True, slots=True)
class Observed:
    """One live link: the IR view plus what the IR keeps elsewhere."""

    link: Link  # netns, kind, options, parent, mtu, mac, txqueuelen, state, addresses
    index: int
    master: str | None = None  # in the same namespace, always
    port_options: object | None = None  # the master kind's port options, as read
    peer: Ref | None = None  # a veth's other end; netns None means the caller's namespace
    info_kind: str | None = None
    link_local: tuple[str, ...] = ()
    in_use: bool = False  # a tun/tap a process holds open (re-creating it cuts that process off)

    @property
    def name(self) -> str:
        return self.link.name

    @property
    def netns(self) -> str | None:
        return self.link.netns

    @property
    def kind(self) -> LinkKind | None:
        return self.link.kind if self.known else None

    @property
    def known(self) -> bool:
        """Whether the IR has this link's kind (a wireguard or gre link it has not)."""
        return self.info_kind is None or schema.known(self.info_kind)


@dataclass
class KernelState:
    """Every namespace read, by name (None: the one the caller runs in)."""

    namespaces: dict = field(default_factory=dict)  # netns -> {name: Observed}
    snapshots: dict = field(default_factory=dict)  # netns -> Snapshot
    _carriers: dict = field(default_factory=dict)
    routing: dict = field(default_factory=dict)  # netns -> routes.LiveRouting, read on first use (routes.of)
    neighbours: dict = field(default_factory=dict)  # netns -> its permanent entries, read on first use (routes.neighbours_of)

    def default_route_carriers(self, netns) -> set[str]:
        """Names of the links of ``netns`` a default route leaves through (read on first use)."""
        if netns not in self._carriers:
            snap = self.snapshots.get(netns)
            if snap is None:
                self._carriers[netns] = set()
            else:
                self._carriers[netns] = {name for i in snapshot.default_route_links(netns) if (name := snap.name_of(i))}
        return self._carriers[netns]

    def get(self, netns, name) -> Observed | None:
        return self.namespaces.get(netns, {}).get(name)

    def links(self, netns) -> list[Observed]:
        return list(self.namespaces.get(netns, {}).values())

    def all(self):
        for links in self.namespaces.values():
            yield from links.values()

    def ports_of(self, master: Observed) -> list[Observed]:
        return [o for o in self.namespaces.get(master.netns, {}).values() if o.master == master.name]

    def children_of(self, parent: Observed) -> list[Observed]:
        """Links stacked on ``parent`` (any namespace): the kernel deletes them with it."""
        return [
            o
            for o in self.all()
            if o.link.parent is not None and (o.link.parent.name, o.link.parent.netns) == (parent.name, parent.netns)
        ]


# -- decoding -------------------------------------------------------------


def _options(kind: LinkKind, record: LinkRecord, name_of):
    spec = kinds.spec(kind)
    if spec.options is None or kind not in schema.TABLES:
        return None
    values = schema.decode(kind, record.info_data, name_of)
    known = {f.name for f in dataclasses.fields(spec.options)}
    return spec.options(**{k: v for k, v in values.items() if k in known and v is not None})


def _port_options(master_kind: LinkKind | None, record: LinkRecord):
    if master_kind is None:
        return None
    spec = kinds.spec(master_kind)
    if spec.port_options is None or master_kind not in schema.TABLES or not record.slave_data:
        return None
    values = schema.decode_port(master_kind, record.slave_data)
    return spec.port_options(**values) if values else None


class _Reader:
    def __init__(self, addresses: bool = True) -> None:
        self.addresses = addresses
        self.state = KernelState()
        self.nsids: dict = {}  # netns -> {nsid: other netns}
        # The ports of one bridge mostly report the same settings, byte for byte: each
        # (master kind, port attributes) is decoded once per read, and the (frozen)
        # options shared, where 900 ports would decode 900 times.
        self.port_options: dict = {}

    def decoded_port_options(self, master_kind: LinkKind | None, record: LinkRecord):
        if master_kind is None or not record.slave_data:
            return None
        key = (master_kind, tuple(record.slave_data.items()))
        if key not in self.port_options:
            self.port_options[key] = _port_options(master_kind, record)
        return self.port_options[key]

    def snapshot(self, netns) -> Snapshot:
        if netns not in self.state.snapshots:
            self.state.snapshots[netns] = snapshot.read(netns, addresses=self.addresses)
        return self.state.snapshots[netns]

    def other_namespace(self, netns, nsid: int):
        """The name of the namespace that ``netns`` calls ``nsid`` (None: the caller's)."""
        if netns not in self.nsids:
            self.nsids[netns] = _nsid_map(netns)
        return self.nsids[netns].get(nsid, _UNKNOWN)

    def remote_name(self, netns, nsid, index) -> Ref | None:
        other = self.other_namespace(netns, nsid)
        if other is _UNKNOWN:
            return None
        try:
            name = self.snapshot(other).name_of(index)
        except rtnl.NamespaceMissing:
            return None
        return Ref(name=name, netns=other) if name else None

    def observe(self, netns) -> dict:
        snap = self.snapshot(netns)
        out = {}
        for record in snap.links.values():
            if kernel_made(record.name, record.info_kind):
                continue
            out[record.name] = self.observe_one(snap, record)
        return out

    def observe_one(self, snap: Snapshot, record: LinkRecord) -> Observed:
        netns = snap.netns
        read_kind = record.kind
        kind = read_kind or LinkKind.PHYSICAL
        spec = kinds.spec(kind)
        known = read_kind is not None
        parent = peer = None
        # a NIC reports itself as its own lower device; a link in another namespace may share its number
        remote = record.link_netnsid is not None and record.link_netnsid >= 0
        if record.link_index and (remote or record.link_index != record.index):
            if record.link_netnsid is not None and record.link_netnsid >= 0:
                other = self.remote_name(netns, record.link_netnsid, record.link_index)
            else:
                name = snap.name_of(record.link_index)
                other = Ref(name=name, netns=netns) if name else None
            if kind is LinkKind.VETH:
                peer = other
            elif spec.stacked:
                parent = other
        if spec.parent_attr is not None:
            lower = schema.parent_index(kind, record.info_data)
            lower_name = snap.name_of(lower) if lower else None
            parent = Ref(name=lower_name, netns=netns) if lower_name else None
        options = _options(kind, record, snap.name_of) if known else None
        if kind is LinkKind.TEAM:
            options = teams.read_options(netns, record.name)
        master = snap.by_index.get(record.master_index) if record.master_index else None
        master_kind = master.kind if master is not None else None
        port_options = self.decoded_port_options(master_kind, record)
        if master is not None and master_kind is LinkKind.TEAM:
            port_options = teams.read_port_options(netns, master.name, record.name)
        link = _link(
            record.name, kind, netns, parent, options,
            (),  # ports: the IR's are the master's list; the state keeps each port's master
            tuple(Address(cidr=c) for c in record.addresses) if record.addresses else (),
            record.mtu, record.mac, record.txqueuelen, AdminState.UP if record.up else AdminState.DOWN,
            None, None, (),  # peer (kept in Observed), span, setting_spans: not read from a file
        )  # fmt: skip
        return _observed(
            link,
            record.index,
            master.name if master is not None else None,
            port_options,
            peer,
            record.info_kind,
            tuple(record.link_local),
            spec.in_use is not None and spec.in_use(record.info_data, record.carrier),
        )


# one of each per live link: the cheaper constructors (netscript.ir.make)
_link = positional(Link)
_observed = positional(Observed)


class _Unknown:
    pass


_UNKNOWN = _Unknown()


def _nsid_map(netns) -> dict:
    """nsid -> namespace name, as seen from ``netns``, for every named namespace and ours."""
    candidates: list = [None, *rtnl.named_namespaces()]
    out: dict = {}
    with rtnl.RtnlSocket(netns) as sock:
        for name in candidates:
            if name == netns:
                continue
            try:
                fd = rtnl.open_namespace(name)
            except (rtnl.NamespaceMissing, OSError):
                continue
            try:
                reply = sock.request(rtnl.RTM_GETNSID, rtnl.nsid_request(fd))
            except rtnl.NetlinkError:
                continue
            finally:
                os.close(fd)
            if reply is None:
                continue
            found = rtnl.attributes(reply, 20, len(reply))
            if rtnl.NETNSA_NSID in found:
                nsid = rtnl.s32(found[rtnl.NETNSA_NSID])
                if nsid >= 0:
                    out.setdefault(nsid, name)
    return out


def read(namespaces, *, follow: bool = True, addresses: bool = True) -> KernelState:
    """Read every namespace in ``namespaces`` (None is the caller's own).

    ``follow``: also read the namespaces where their veths' far ends and their
    links' parents are, so those are complete links too, not just names.
    ``addresses``: read the links' addresses too (without, every link has none).
    Raises :class:`~.rtnl.NamespaceMissing` for a named namespace that does not exist.
    """
    reader = _Reader(addresses)
    queue = list(namespaces)
    while queue:
        netns = queue.pop(0)
        if netns in reader.state.namespaces:
            continue
        reader.state.namespaces[netns] = reader.observe(netns)
        if not follow:
            continue
        for o in reader.state.namespaces[netns].values():
            for ref in (o.peer, o.link.parent):
                if ref is not None and ref.netns not in reader.state.namespaces and ref.netns not in queue:
                    queue.append(ref.netns)
    return reader.state

