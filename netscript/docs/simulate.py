"""Run a snippet's commands on a model of the links, and report what cannot work.

Each command's effects (as the legacy parsers describe them, see
:mod:`netscript.frontends.legacy.effects`) are applied in order to a small
model: links by (namespace, name), their kind when the snippet made them,
their master, admin state, parent and whether the snippet deleted them.
Names the snippet uses without creating are assumed to exist with unknown
kind and state, so only what the snippet itself shows can be wrong:

- using, or enslaving to, a link that the snippet deleted (NS601);
- enslaving to a master that could never exist: a name the kernel refuses or
  a link of a kind that takes no ports (NS602);
- a veth whose peer has its own name (NS603);

and, through the rules validation judges a spec by (:mod:`netscript.link_rules`),
with the links of that moment: a link created twice (NS205), a second master
(NS206), macvlan or macvtap with ipvlan on one parent (NS208), a macvlan,
macvtap or ipvlan on a port (NS224), and a team or bond port enslaved while
it is up (NS209, NS228).

A command the model finds impossible changes nothing, as it would fail.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import kinds, link_rules
from ..codes import diag
from ..diagnostics import Diagnostic, Span
from ..frontends.legacy import effects as fx
from ..ir.model import AdminState, LinkKind
from ..names import interface_name_problem
from .document import Document


@dataclass
class Step:
    """One command of the snippet: the tool that ran and what it did."""

    tool: str
    effects: list


@dataclass
class _Link:
    name: str
    kind: LinkKind | None  # None: assumed to exist, kind unknown
    netns: str | None = None
    span: Span | None = None  # the command that made it
    created_at: int | None = None  # byte offset of the command that made it
    deleted_at: int | None = None
    master: str | None = None
    state: AdminState | None = None
    state_at: int | None = None  # the command that set the state
    parent: str | None = None
    peer: tuple | None = None


@dataclass
class _Model:
    doc: Document
    links: dict = field(default_factory=dict)  # (netns, name) -> _Link
    out: list = field(default_factory=list)

    def line_of(self, offset: int) -> int:
        return self.doc.position(offset)[0]

    def report(self, code, message, effect, **kw):
        self.out.append(diag(code, message, self.span(effect), **kw))

    def span(self, effect) -> Span:
        return self.doc.span(effect.start, effect.end)

    def passes(self, finding: Diagnostic | None) -> bool:
        """Keep the finding of a rule from :mod:`netscript.link_rules`; True when there is none."""
        if finding is not None:
            self.out.append(finding)
        return finding is None

    def get(self, netns, name) -> _Link:
        key = (netns, name)
        if key not in self.links:
            self.links[key] = _Link(name, None, netns)
        return self.links[key]

    def live(self, netns: str | None, name: str) -> _Link | None:
        """The link the snippet made with that name, if it has not deleted it since."""
        link = self.links.get((netns, name))
        return link if link is not None and link.created_at is not None and link.deleted_at is None else None

    def deleted_at(self, netns: str | None, name: str) -> int | None:
        """Where the snippet deleted the link, if it did."""
        link = self.links.get((netns, name))
        return link.deleted_at if link else None

    # -- effects -----------------------------------------------------------

    def apply(self, step: Step) -> None:
        for e in step.effects:
            handler = getattr(self, "on_" + type(e).__name__, None)
            if handler is not None and handler(e, step) is False:
                return  # the command fails here: nothing after it happens

    def uses(self, e, name, what="uses") -> bool:
        gone = self.deleted_at(e.netns, name)
        if gone is not None:
            self.report(
                "NS601",
                f"{name} was deleted at line {self.line_of(gone)}; this command {what} it",
                e,
            )
            return False
        return True

    def on_CreateLink(self, e: fx.CreateLink, step: Step):
        netns = e.into_netns or e.netns
        span = self.span(e)
        ok = True
        made = [_Link(e.name, e.kind, netns, span, created_at=e.start, parent=e.parent)]
        if e.peer is not None:
            made.append(_Link(e.peer, LinkKind.VETH, e.peer_netns or netns, span, created_at=e.start, peer=(netns, e.name)))
            made[0].peer = (made[1].netns, e.peer)
        for link in made:
            ok = self.passes(link_rules.created_twice(link, self.live(link.netns, link.name))) and ok
        if e.peer is not None and e.peer == e.name and (e.peer_netns or netns) == netns:
            self.report("NS603", f"veth {e.name} and its peer have the same name", e, hint="give the peer a name of its own")
            ok = False
        if e.parent is not None and not self.uses(e, e.parent, "stacks a link on"):
            ok = False
        if ok and e.parent is not None:
            parent = self.links.get((e.netns, e.parent))
            master = parent.master if parent is not None and parent.deleted_at is None else None
            siblings = [other for (ns, _), other in self.links.items()
                        if ns == e.netns and other.parent == e.parent and other.deleted_at is None]
            ok = self.passes(link_rules.macvlan_ipvlan_mix(made[0], e.parent, siblings, span)) and self.passes(
                link_rules.parent_is_port(made[0], e.parent, master, span))
        if not ok:
            return False
        for link in made:
            self.links[(link.netns, link.name)] = link
        return True

    def on_DeleteLink(self, e: fx.DeleteLink, step: Step):
        if not self.uses(e, e.name, "deletes"):
            return False
        link = self.get(e.netns, e.name)
        link.deleted_at = e.start
        for (ns, _), other in self.links.items():
            if ns != e.netns or other.deleted_at is not None:
                continue
            if other.master == e.name:
                other.master = None  # a deleted master frees its ports
            if other.parent == e.name:
                other.deleted_at = e.start  # vlans and macvlans go with their parent
        if link.peer is not None:
            peer = self.links.get(link.peer)
            if peer is not None:
                peer.deleted_at = e.start
        return True

    def on_Enslave(self, e: fx.Enslave, step: Step):
        if not (self.uses(e, e.master, "enslaves to") and self.uses(e, e.port, "enslaves")):
            return False
        problem = interface_name_problem(e.master)
        if problem:
            self.report("NS602", f"{e.port} cannot be enslaved to {e.master}: {problem}", e)
            return False
        master = self.get(e.netns, e.master)
        # (a link has a kind only when the snippet made it, and then a line it was made at)
        if master.kind is not None and master.created_at is not None and not kinds.spec(master.kind).is_master:
            self.report(
                "NS602",
                f"{e.master} is a {master.kind.value} (line {self.line_of(master.created_at)}), which takes no ports",
                e,
            )
            return False
        port = self.get(e.netns, e.port)
        span = self.span(e)
        finding = link_rules.second_master(e.port, span, e.master, port.master, step.tool)
        self.passes(finding)
        if finding is not None and finding.is_error:
            return False  # (ip moves the port: a warning, and the command goes on)
        # `ip link set P master B up` sets P's state in the same command (before the master, as the effects go)
        up = port.state is AdminState.UP
        before, same = up and port.state_at != e.start, up and port.state_at == e.start
        if not self.passes(link_rules.port_up(e.port, span, master.kind, step.tool, up_before=before, up_with=same)):
            return False
        port.master = e.master
        return True

    def on_Release(self, e: fx.Release, step: Step):
        if not self.uses(e, e.port, "releases"):
            return False
        self.get(e.netns, e.port).master = None
        return True

    def on_SetLink(self, e: fx.SetLink, step: Step):
        if not self.uses(e, e.name, "changes"):
            return False
        link = self.get(e.netns, e.name)
        if e.state is not None:
            link.state, link.state_at = e.state, e.start
        if e.move_to_netns is not None:
            del self.links[(e.netns, e.name)]
            link.netns = e.move_to_netns
            self.links[(e.move_to_netns, e.name)] = link
        return True

    def on_SetOptions(self, e, step):
        return self.uses(e, e.name, "changes")

    def on_SetPortOptions(self, e, step):
        return self.uses(e, e.port, "changes")

    def on_AddAddress(self, e, step):
        return self.uses(e, e.name, "adds an address to")


def assumed_links(steps: list[Step]) -> tuple[set, set]:
    """Names the snippet uses without creating them: (as links, as masters), by (netns, name)."""
    created, used, masters = set(), set(), set()
    for step in steps:
        for e in step.effects:
            if isinstance(e, fx.CreateLink):
                created.add((e.into_netns or e.netns, e.name))
                if e.peer:
                    created.add((e.peer_netns or e.into_netns or e.netns, e.peer))
                if e.parent:
                    used.add((e.netns, e.parent))
            elif isinstance(e, fx.Enslave):
                used.add((e.netns, e.port))
                masters.add((e.netns, e.master))
            else:
                name = getattr(e, "name", None) or getattr(e, "port", None)
                if name:
                    used.add((e.netns, name))
    return used - created - masters, masters - created


def simulate(steps: list[Step], doc: Document) -> list[Diagnostic]:
    """Findings about the snippet as a whole, in command order."""
    model = _Model(doc)
    for step in steps:
        model.apply(step)
    return model.out
