"""Effects applied in order -> the Program a straight-line script leaves behind.

A script is imperative (create, set, enslave, delete); a spec declares the
end state. :class:`Builder` replays the effects of each command on drafts of
links and keeps what is left at the end. Links the script uses without
creating (a NIC it enslaves, a bridge it configures) are declared: ``physical``
for ports and parents, the implied kind for masters, each with a note.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from ... import kinds
from ...diagnostics import Severity
from ...ir.model import (
    Address,
    AdminState,
    Link,
    LinkKind,
    Namespace,
    Opaque,
    Port,
    Program,
)
from ...ir.routing import Neighbour, Route, RouteType, Rule, Sysctl
from . import effects as fx
from .model import Note


@dataclass(eq=False)  # one link while the script is replayed: the same draft, not an equal one
class _Draft:
    name: str
    kind: LinkKind
    netns: str | None
    start: int
    end: int
    options: dict = field(default_factory=dict)
    parent: str | None = None
    ports: dict = field(default_factory=dict)  # port name -> options dict, in enslaving order
    addresses: list = field(default_factory=list)
    mtu: int | None = None
    mac: str | None = None
    txqueuelen: int | None = None
    state: AdminState | None = None
    peer: _Draft | None = None
    implicit: bool = False


def _first_in(links: dict, drafts: list[_Draft]) -> _Draft:
    """The one of ``drafts`` that comes first in the script's order (rare: a name met twice)."""
    wanted = set(drafts)
    return next(d for d in links.values() if d in wanted)


class Builder:
    """Replays effects; ``locate(start, end)`` turns byte spans into IR spans.

    Every look-up is by key: a script of 100,000 commands looked through all
    the links before it at each command (a peer, a port's master), which took
    minutes. The indexes below only ever name candidates; each is checked
    against ``links`` when used, so nothing has to be taken out of them.
    """

    def __init__(self, path: str, locate):
        self.path = path
        self.locate = locate
        self.links: dict[tuple, _Draft] = {}  # (netns, name) -> its draft, in the script's order
        self.namespaces: list[Namespace] = []
        self.opaque: list[Opaque] = []
        self.notes: list[Note] = []
        self.routes: list[Route] = []
        self.rules: list[Rule] = []
        self.sysctls: dict[tuple, Sysctl] = {}  # identity -> the last value written
        self.neighbours: dict[tuple, Neighbour] = {}  # identity -> the last entry made
        self._pairs: dict[tuple, list[_Draft]] = {}  # (netns, name) -> veth pairs whose peer is or was there
        self._masters: dict[str, list[_Draft]] = {}  # port name -> links that took it as a port at some time

    # -- look-ups --------------------------------------------------------

    def _current(self, draft: _Draft) -> bool:
        """Is ``draft`` one of the script's links now (not deleted, replaced, or a veth peer)?"""
        return self.links.get((draft.netns, draft.name)) is draft

    def find(self, netns, name) -> _Draft | None:
        draft = self.links.get((netns, name))
        if draft is not None:
            return draft
        pairs = self._pairs.get((netns, name))
        if not pairs:
            return None
        # a veth peer lives inside its pair's draft
        pairs[:] = dict.fromkeys(d for d in pairs if self._current(d) and d.peer is not None and (d.peer.netns, d.peer.name) == (netns, name))
        if len(pairs) <= 1:
            return pairs[0].peer if pairs else None
        return _first_in(self.links, pairs).peer  # two peers of one name: the first pair's

    def _track_peer(self, pair: _Draft) -> None:
        assert pair.peer is not None
        self._pairs.setdefault((pair.peer.netns, pair.peer.name), []).append(pair)

    def need(self, e: fx.Effect, name: str, kind: LinkKind | None = None) -> _Draft:
        """The draft of a link the script uses; declared when the script never created it."""
        draft = self.find(e.netns, name)
        if draft is None:
            kind = kind or LinkKind.PHYSICAL
            draft = _Draft(name, kind, e.netns, e.start, e.end, implicit=True)
            self.links[(e.netns, name)] = draft
            what = "an existing interface (physical)" if kind is LinkKind.PHYSICAL else f"a {kind.value}"
            self.notes.append(Note("NS410", f"{name} is used but not created by the script: declared as {what}", e.start, e.end, severity=Severity.INFO))
        elif kind is not None and draft.kind is LinkKind.PHYSICAL and draft.implicit:
            draft.kind = kind  # first seen as a port, now known to be a master
        return draft

    def _masters_now(self, port: str) -> list[_Draft]:
        """The script's links that have ``port`` among their ports now, in any namespace."""
        masters = self._masters.get(port)
        if not masters:
            return []
        masters[:] = dict.fromkeys(d for d in masters if port in d.ports and self._current(d))
        return masters

    def master_of(self, netns, port: str) -> _Draft | None:
        masters = [d for d in self._masters_now(port) if d.netns == netns]
        if len(masters) <= 1:
            return masters[0] if masters else None
        return _first_in(self.links, masters)

    # -- effects ---------------------------------------------------------

    def apply(self, e: fx.Effect, text: str) -> None:
        """Replay one effect (``text``: the command as written, for opaque nodes)."""
        method = getattr(self, "on_" + type(e).__name__, None)
        if method is not None:
            method(e, text)

    def on_CreateLink(self, e: fx.CreateLink, text):
        netns = e.into_netns if e.into_netns is not None else e.netns
        existing = self.find(netns, e.name)
        if existing is not None and not existing.implicit:
            self.notes.append(Note("NS410", f"{e.name} is created twice; the second creation fails when the script runs", e.start, e.end, severity=Severity.WARNING))
        draft = _Draft(e.name, e.kind, netns, e.start, e.end, dict(e.options), e.parent, mtu=e.mtu, mac=e.mac, txqueuelen=e.txqueuelen)
        if e.kind is LinkKind.VETH and e.peer is not None:
            draft.peer = _Draft(e.peer, LinkKind.VETH, e.peer_netns if e.peer_netns is not None else netns, e.start, e.end)
        if e.parent is not None and self.find(e.netns, e.parent) is None:
            self.need(e, e.parent)
        self.links[(netns, e.name)] = draft
        if draft.peer is not None:
            self._track_peer(draft)

    def on_DeleteLink(self, e: fx.DeleteLink, text):
        draft = self.links.pop((e.netns, e.name), None)
        if draft is None or draft.implicit:
            self.notes.append(Note("NS410", f"{e.name} existed before the script, which deletes it: a spec cannot say a link must not exist", e.start, e.end))
            return
        for d in self._masters_now(e.name):
            d.ports.pop(e.name, None)

    def on_SetOptions(self, e: fx.SetOptions, text):
        draft = self.need(e, e.name, e.kind)
        for key, value in e.options.items():
            old = draft.options.get(key)
            if isinstance(value, tuple) and key.endswith("qos-map") and old:
                merged = dict(old)
                merged.update(dict(value))
                value = tuple(sorted(merged.items()))
            draft.options[key] = value

    def on_SetLink(self, e: fx.SetLink, text):
        draft = self.need(e, e.name)
        for key in ("mtu", "mac", "txqueuelen", "state"):
            if getattr(e, key) is not None:
                setattr(draft, key, getattr(e, key))
        if e.move_to_netns is not None:
            if self.links.get((draft.netns, draft.name)) is draft:
                del self.links[(draft.netns, draft.name)]
                draft.netns = e.move_to_netns
                self.links[(draft.netns, draft.name)] = draft
            else:  # a veth peer moves inside its pair
                pairs = [d for d in self._pairs.get((draft.netns, draft.name), ()) if d.peer is draft]
                draft.netns = e.move_to_netns
                for pair in pairs:
                    self._track_peer(pair)

    def on_Enslave(self, e: fx.Enslave, text):
        master = self.need(e, e.master, e.master_kind)
        self.need(e, e.port)
        previous = self.master_of(e.netns, e.port)
        if previous is not None and previous is not master:
            previous.ports.pop(e.port)
        if e.port not in master.ports:
            master.ports[e.port] = {}
            self._masters.setdefault(e.port, []).append(master)

    def on_Release(self, e: fx.Release, text):
        master = self.master_of(e.netns, e.port)
        if master is not None:
            master.ports.pop(e.port)

    def on_SetPortOptions(self, e: fx.SetPortOptions, text):
        master = self.master_of(e.netns, e.port)
        if master is None:
            self.notes.append(Note("NS410", f"{e.port} has port settings but no master in the script; they are left out", e.start, e.end, severity=Severity.WARNING))
            return
        master.ports[e.port].update(e.options)

    def on_AddAddress(self, e: fx.AddAddress, text):
        draft = self.need(e, e.name)
        if e.cidr not in draft.addresses:
            draft.addresses.append(e.cidr)

    def on_DeleteAddress(self, e: fx.DeleteAddress, text):
        draft = self.need(e, e.name)
        if e.cidr in draft.addresses:
            draft.addresses.remove(e.cidr)

    def on_FlushAddresses(self, e: fx.FlushAddresses, text):
        draft = self.need(e, e.name)
        if draft.implicit:
            self.notes.append(Note("NS410", f"the script removes {e.name}'s addresses; a spec leaves the addresses it does not list alone", e.start, e.end))
        draft.addresses.clear()

    def on_AddNetns(self, e: fx.AddNetns, text):
        self.namespaces.append(Namespace(name=e.name, span=self.locate(e.start, e.end)))

    def on_DeleteNetns(self, e: fx.DeleteNetns, text):
        self.namespaces = [n for n in self.namespaces if n.name != e.name]
        for key in [k for k in self.links if k[0] == e.name]:
            del self.links[key]

    def on_AddRoute(self, e: fx.AddRoute, text):
        route = dataclasses.replace(e.route, netns=e.netns, span=self.locate(e.start, e.end))
        # `ip route replace` (and an `add` that would fail on an existing one) leaves one route per identity
        self.routes = [r for r in self.routes if r.identity != route.identity] + [route]

    def on_DeleteRoute(self, e: fx.DeleteRoute, text):
        gone = dataclasses.replace(e.route, netns=e.netns)
        kept = [r for r in self.routes if r.identity != gone.identity]
        if len(kept) == len(self.routes):
            self.notes.append(Note("NS410", f"the script deletes route {gone.dst}, which it did not add: a spec cannot "
                                   "say a route must not exist", e.start, e.end))
        self.routes = kept

    def on_AddRule(self, e: fx.AddRule, text):
        self.rules.append(dataclasses.replace(e.rule, netns=e.netns, span=self.locate(e.start, e.end)))

    def on_DeleteRule(self, e: fx.DeleteRule, text):
        gone = dataclasses.replace(e.rule, netns=e.netns)
        kept = [r for r in self.rules if r.identity != gone.identity]
        if len(kept) == len(self.rules):
            self.notes.append(Note("NS410", "the script deletes a rule it did not add: a spec cannot say a rule must "
                                   "not exist", e.start, e.end))
        self.rules = kept

    def on_AddNeighbour(self, e: fx.AddNeighbour, text):
        neighbour = self.placed(e.neighbour, e, text)
        if neighbour is None:
            return
        # `ip neigh replace` and `arp -s` leave one entry per address and link
        self.neighbours.pop(neighbour.identity, None)
        self.neighbours[neighbour.identity] = dataclasses.replace(neighbour, span=self.locate(e.start, e.end))

    def on_DeleteNeighbour(self, e: fx.DeleteNeighbour, text):
        gone = self.placed(e.neighbour, e, text)
        if gone is None:
            return
        if self.neighbours.pop(gone.identity, None) is None:
            self.notes.append(Note("NS410", f"the script deletes the neighbour entry for {gone.address}, which it did not "
                                   "add: a spec cannot say an entry must not exist", e.start, e.end))

    def placed(self, neighbour: Neighbour, e: fx.AddNeighbour | fx.DeleteNeighbour, text: str) -> Neighbour | None:
        """The entry in the effect's namespace, on the link the route to its address goes out of when it names none."""
        dev = neighbour.dev
        if e.routed:
            found = self.routed_device(e.netns, neighbour.address)
            if found is None:
                self.opaque.append(Opaque(text=text, span=self.locate(e.start, e.end),
                                          reason="the device is the route's to the address"))
                self.notes.append(Note("NS410", f"no link of the script has a subnet or route that holds {neighbour.address}, "
                                       "so which link arp puts the entry on is known only when it runs: not part of the "
                                       "spec", e.start, e.end, hint="give the link: arp -i LINK ..."))
                return None
            dev = found
        return dataclasses.replace(neighbour, dev=dev, netns=e.netns)

    def routed_device(self, netns: str | None, address: str) -> str | None:
        """The link the longest of the script's connected subnets and device routes holding ``address`` goes through."""
        import ipaddress

        target = ipaddress.ip_address(address)
        best: tuple[int, str] | None = None
        drafts = [d for d in self.links.values() if self._current(d)]
        for draft in drafts + [d.peer for d in drafts if d.peer is not None]:
            if draft.netns != netns:
                continue
            for cidr in draft.addresses:
                try:
                    net = ipaddress.ip_interface(cidr).network
                except ValueError:
                    continue
                if target in net and (best is None or net.prefixlen > best[0]):
                    best = (net.prefixlen, draft.name)
        for route in self.routes:
            if route.netns == netns and route.type is RouteType.UNICAST and len(route.nexthops) == 1 \
                    and route.nexthops[0].dev is not None and route.dst != "default":
                net = ipaddress.ip_network(route.dst)
                if target in net and (best is None or net.prefixlen > best[0]):
                    best = (net.prefixlen, route.nexthops[0].dev)
        return best[1] if best is not None else None

    def on_SetSysctl(self, e: fx.SetSysctl, text):
        sysctl = dataclasses.replace(e.sysctl, netns=e.netns, span=self.locate(e.start, e.end))
        self.sysctls.pop(sysctl.identity, None)
        self.sysctls[sysctl.identity] = sysctl

    def on_Unexpressible(self, e: fx.Unexpressible, text):
        self.opaque.append(Opaque(text=text, reason=e.reason, span=self.locate(e.start, e.end)))
        self.notes.append(Note("NS410", f"{e.reason}: not part of the spec", e.start, e.end))

    # -- result ----------------------------------------------------------

    def program(self) -> Program:
        """The end state: links the script only used first, then the rest in creation order."""
        drafts = sorted(self.links.values(), key=lambda d: (not d.implicit or d.kind is not LinkKind.PHYSICAL, d.start))
        return Program(
            namespaces=tuple(self.namespaces),
            links=tuple(self.freeze(d) for d in drafts),
            opaque=tuple(self.opaque),
            routes=tuple(self.routes),
            rules=tuple(self.rules),
            sysctls=tuple(self.sysctls.values()),
            neighbours=tuple(self.neighbours.values()),
            path=self.path,
            whole_namespaces=False,
        )

    def freeze(self, d: _Draft) -> Link:
        from ...ir.model import Ref

        spec = kinds.spec(d.kind)
        options = None
        if spec.options is not None and d.options:
            by_key = kinds.settings(spec.options)
            options = spec.options(**{by_key[k][0]: v for k, v in d.options.items() if k in by_key})
        ports = []
        for name, opts in d.ports.items():
            port_options = None
            if opts and spec.port_options is not None:
                by_key = kinds.settings(spec.port_options)
                port_options = spec.port_options(**{by_key[k][0]: v for k, v in opts.items() if k in by_key})
            ports.append(Port(name=name, options=port_options, span=self.locate(d.start, d.end)))
        return Link(
            name=d.name,
            kind=d.kind,
            netns=d.netns,
            parent=Ref(name=d.parent) if d.parent else None,
            options=options,
            ports=tuple(ports),
            addresses=tuple(Address(cidr=a) for a in d.addresses),
            mtu=d.mtu,
            mac=d.mac,
            txqueuelen=d.txqueuelen,
            state=d.state,
            peer=self.freeze(d.peer) if d.peer is not None else None,
            span=self.locate(d.start, d.end),
        )
