"""Placing a spec: its unqualified links into a namespace, its declared namespaces renamed with a prefix.

Lets one spec be built in a throwaway namespace (tests, ``--netns``) or
several times side by side (``--netns-prefix``). apply and plan place every
spec they read (1,900 links for the benchmark's), so a link is copied only
when something in it moves, with the slot-setting constructor
(:func:`.ir.make.positional`), and the spec's index is built only when a
plainly written parent has to be resolved.
"""

from __future__ import annotations

import dataclasses

from .ir.index import Index
from .ir.make import positional
from .ir.model import Link, Program, Ref

_link = positional(Link)
_ref = positional(Ref)


def place(program: Program, *, netns: str | None = None, prefix: str = "") -> Program:
    """``program`` with its unqualified links in ``netns`` and its declared namespaces named ``prefix + name``."""
    if netns is None and not prefix:
        return program

    def ns(name: str | None) -> str | None:
        return netns if name is None else prefix + name

    index: Index | None = None

    def parent_in(link: Link) -> Ref | None:
        nonlocal index
        parent = link.parent
        if parent is None:
            return None
        if parent.netns is not None:
            return _ref(parent.name, ns(parent.netns), parent.default_netns, parent.span)
        if link.netns is None:
            return parent  # looked up in the link's own namespace, wherever that goes
        # Resolve now: after the move, "the default namespace" means another one.
        index = index or Index.build(program)
        key = index.parent_key(link)
        return parent if key is None else _ref(parent.name, ns(key[0]), parent.default_netns, parent.span)

    def move(link: Link) -> Link:
        where, parent = ns(link.netns), parent_in(link)
        peer = move(link.peer) if link.peer is not None else None
        if where == link.netns and parent is link.parent and peer is link.peer:
            return link  # nothing in it moves (a prefix leaves the default namespace's links alone)
        return _link(
            link.name, link.kind, where, parent, link.options, link.ports, link.addresses,
            link.mtu, link.mac, link.txqueuelen, link.state, peer, link.span, link.setting_spans,
        )  # fmt: skip

    return dataclasses.replace(
        program,
        external_netns=program.external_netns + ((netns,) if netns else ()),
        namespaces=tuple(dataclasses.replace(n, name=prefix + n.name) for n in program.namespaces),
        links=tuple(move(link) for link in program.links),
        routes=tuple(dataclasses.replace(r, netns=ns(r.netns)) for r in program.routes),
        rules=tuple(dataclasses.replace(r, netns=ns(r.netns)) for r in program.rules),
        sysctls=tuple(dataclasses.replace(s, netns=ns(s.netns)) for s in program.sysctls),
        neighbours=tuple(dataclasses.replace(n, netns=ns(n.netns)) for n in program.neighbours),
    )
