"""A namespace's live state as a spec: the IR Program that ``netscript export`` prints.

The output is meant to be read and applied again, so it says only what
someone chose:

- settings equal to what the kernel picks by itself are left out
  (each kind's option defaults, :mod:`netscript.kinds`), and so are MAC addresses, which the kernel makes up
  for every virtual link;
- a veth pair is one statement, written where its second end was made (the
  kernel numbers the peer first), so export -> apply -> export is stable;
- links the IR cannot describe (a kind it lacks, a veth whose far end is in
  the caller's namespace) become ``physical`` references with a warning, so
  the links that use them still read back.
"""

from __future__ import annotations

import dataclasses
import ipaddress

from ... import kinds
from ...ir.model import (
    Address,
    AdminState,
    Link,
    LinkKind,
    Namespace,
    Opaque,
    Port,
    Program,
    Ref,
)
from .routes import neighbours, routes_and_rules
from .state import KernelState, Observed


def _default_mtu(o: Observed, state: KernelState) -> int | None:
    """The MTU the kernel gives a new link like ``o`` (its kind knows how)."""
    parent = o.link.parent
    lower = state.get(parent.netns, parent.name) if parent is not None else None
    spec = kinds.spec(o.link.kind)
    ports = [p.link.mtu for p in state.ports_of(o)] if spec.is_master else []
    return spec.default_mtu(o.link.options, lower.link.mtu if lower is not None else None, ports)


def _addresses(o: Observed) -> tuple[Address, ...]:
    ordered = sorted((ipaddress.ip_interface(a.cidr) for a in o.link.addresses), key=lambda i: (i.version, i))
    return tuple(Address(cidr=str(i)) for i in ordered)


class _Exporter:
    def __init__(self, state: KernelState, netns, also=(), prefix: str = ""):
        self.state = state
        self.netns = netns
        self.scope = [netns, *also]  # the namespaces whose links are written, in this order
        self.prefix = prefix  # taken off the names of the namespaces in ``also``
        self.opaque: list[Opaque] = []
        self.namespaces: list[str] = [self._declared(ns) for ns in also]

    def _declared(self, netns: str) -> str:
        return netns[len(self.prefix):] if self.prefix and netns.startswith(self.prefix) else netns

    def rename(self, netns):
        """The exported namespace is the unqualified one; others keep their names (less the prefix)."""
        if netns == self.netns:
            return None
        name = self._declared(netns) if netns in self.scope else netns
        if name not in self.namespaces:
            self.namespaces.append(name)
        return name

    def view(self, o: Observed, **extra) -> Link:
        kind = o.link.kind
        options = o.link.options
        options = kinds.spec(kind).chosen(options)
        parent = o.link.parent
        if parent is not None:
            where = self.rename(parent.netns)
            # a parent in the unqualified namespace, of a link in another: `name@.`, not a bare name
            # (which would be looked up in the link's own namespace first)
            parent = Ref(name=parent.name, netns=where, default_netns=where is None and o.netns != self.netns)
        mtu = o.link.mtu if o.link.mtu != _default_mtu(o, self.state) else None
        txq = o.link.txqueuelen if o.link.txqueuelen != kinds.spec(kind).default_txqueuelen else None
        return Link(
            name=o.name,
            kind=kind,
            netns=self.rename(o.netns),
            parent=parent,
            options=options,
            ports=self.ports(o),
            addresses=_addresses(o),
            mtu=mtu,
            txqueuelen=txq,
            state=AdminState.UP if o.link.state is AdminState.UP else None,
            **extra,
        )

    def ports(self, master: Observed) -> tuple[Port, ...]:
        from ...kinds.bridge import BridgePortOptions  # here: reading a namespace loads the kinds it meets only

        spec = kinds.spec(master.link.kind)
        if not spec.is_master:
            return ()
        out = []
        for port in self.state.ports_of(master):
            options = port.port_options
            if isinstance(options, BridgePortOptions) and options.cost == kinds.spec(port.link.kind).bridge_port_cost:
                options = dataclasses.replace(options, cost=None)  # the default that follows the port's speed
            out.append(Port(name=port.name, options=spec.chosen_port(options)))
        return tuple(out)

    def physical(self, o: Observed, why: str) -> Link:
        self.opaque.append(Opaque(text=f"{o.info_kind or 'link'} {o.name}", reason=why))
        return dataclasses.replace(self.view(o), kind=LinkKind.PHYSICAL, options=None, parent=None)

    def veth(self, o: Observed) -> Link | None:
        """The statement for a veth pair, or None when the other end declares it."""
        peer_ref = o.peer
        if peer_ref is None:
            return self.physical(o, "its peer is in a namespace that has no name")
        if peer_ref.netns == o.netns:
            peer = self.state.get(peer_ref.netns, peer_ref.name)
            if peer is not None and peer.index > o.index:
                return None  # the end made second declares the pair
        elif peer_ref.netns in self.scope:
            if self.scope.index(peer_ref.netns) < self.scope.index(o.netns):
                return None  # across namespaces, the end in the namespace written first declares it
        elif peer_ref.netns is None:
            return self.physical(o, "its peer is in the caller's namespace, which a spec cannot name")
        peer = self.state.get(peer_ref.netns, peer_ref.name)
        if peer is None:
            peer_link = Link(name=peer_ref.name, kind=LinkKind.VETH, netns=self.rename(peer_ref.netns))
        else:
            peer_link = self.view(peer)
        return self.view(o, peer=peer_link)

    def links(self) -> list[Link]:
        out = []
        for o in (o for netns in self.scope for o in self.state.links(netns)):
            if not o.known:
                out.append(self.physical(o, f"netscript has no link kind {o.info_kind!r}; exported as an existing link"))
            elif o.link.kind is LinkKind.VETH:
                link = self.veth(o)
                if link is not None:
                    out.append(link)
            elif o.link.parent is not None and o.link.parent.netns is None and None not in self.scope:
                out.append(self.physical(o, "its parent is in the caller's namespace, which a spec cannot name"))
            else:
                out.append(self.view(o))
        return out


def export(state: KernelState, netns, also=(), prefix: str = "") -> Program:
    """The namespace ``netns`` of ``state`` as a Program whose links are unqualified.

    ``also``: more namespaces to write whole, declared (``netns NAME``, less
    ``prefix``) with their links placed in them, so a topology that spans
    namespaces is one spec that `apply` builds again (with the same prefix).
    """
    exporter = _Exporter(state, netns, also, prefix)
    links = exporter.links()
    routes, rules = routes_and_rules(state, exporter.scope, exporter.rename)
    return Program(
        namespaces=tuple(Namespace(name=n) for n in exporter.namespaces if n is not None),
        links=tuple(links),
        routes=routes,
        rules=rules,
        neighbours=neighbours(state, exporter.scope, exporter.rename),
        opaque=tuple(exporter.opaque),
    )
