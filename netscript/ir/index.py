"""Look-ups over a Program: links by (namespace, name), parents and masters.

Name resolution rules, shared by validation, planning and every backend:

- a link lives in its ``netns`` (None: the namespace the script or apply runs in);
- ports are looked up in their master's namespace (the kernel allows nothing else);
- a parent written ``name@ns`` is looked up in ``ns``; written plainly, in the
  link's own namespace first and then in the default one, since a macvlan moved
  into a container keeps its parent on the host.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Link, Program

Key = tuple[str | None, str]  # (netns or None: the default namespace, name)


@dataclass
class Index:
    program: Program
    links: dict[Key, Link] = field(default_factory=dict)
    master_of: dict[Key, Link] = field(default_factory=dict)  # port key -> its first master
    peer_of: dict[Key, Link] = field(default_factory=dict)  # veth peer key -> the link declaring it

    @classmethod
    def build(cls, program: Program) -> Index:
        idx = cls(program)
        for link in program.links:
            idx.links.setdefault(link.key, link)
            if link.peer is not None:
                idx.links.setdefault(link.peer.key, link.peer)
                idx.peer_of[link.peer.key] = link
        for link in program.links:
            for port in link.ports:
                idx.master_of.setdefault((link.netns, port.name), link)
        return idx

    def get(self, netns, name) -> Link | None:
        return self.links.get((netns, name))

    def parent_key(self, link: Link) -> Key | None:
        """Where the parent is, or None when it is nowhere in the spec."""
        ref = link.parent
        if ref is None:
            return None
        if ref.netns is not None or ref.default_netns:
            return (ref.netns, ref.name) if (ref.netns, ref.name) in self.links else None
        if (link.netns, ref.name) in self.links:
            return (link.netns, ref.name)
        if (None, ref.name) in self.links:
            return (None, ref.name)
        return None

    def parent(self, link: Link) -> Link | None:
        key = self.parent_key(link)
        return self.links.get(key) if key else None

    def master(self, link: Link) -> Link | None:
        return self.master_of.get(link.key)
