"""Run a snippet's commands on a model of the links, and report what cannot work.

Each command's effects (as the legacy parsers describe them, see
:mod:`netscript.frontends.legacy.effects`) are applied in order to a small
model: links by (namespace, name), their kind when the snippet made them,
their master, admin state, parent and whether the snippet deleted them.
Names the snippet uses without creating are assumed to exist with unknown
kind and state, so only what the snippet itself shows can be wrong:

- creating a link that the snippet already created (NS205);
- a veth whose peer has its own name (NS603);
- using, or enslaving to, a link that the snippet deleted (NS601);
- enslaving to a master that could never exist: a name the kernel refuses or
  a link of a kind that takes no ports (NS602);
- a second master: ``brctl addif``, ``ifenslave``, sysfs and ``teamdctl``
  refuse a port that has one (error); ``ip link set ... master`` moves it
  (warning, since the first enslavement is then undone) (NS206);
- macvlan or macvtap and ipvlan on one parent (NS208);
- macvlan, macvtap or ipvlan on a link the snippet made a port (NS224);
- a team port added while the snippet has it up (NS209), and a bond port
  enslaved by ``ip`` or sysfs while it is up (NS228): both drivers refuse it.

A command the model finds impossible changes nothing, as it would fail.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import kinds
from ..codes import diag
from ..diagnostics import Diagnostic, Severity
from ..frontends.legacy import effects as fx
from ..ir.model import AdminState, LinkKind
from ..validate import interface_name_problem
from .document import Document

# Tools whose enslaving moves a port from its old master instead of failing.
MOVING_TOOLS = frozenset({"ip", "bridge"})
# Tools that take a port down themselves before they enslave it.
DOWNING_TOOLS = frozenset({"ifenslave"})
_STACKED = (LinkKind.MACVLAN, LinkKind.MACVTAP, LinkKind.IPVLAN)


@dataclass
class Step:
    """One command of the snippet: the tool that ran and what it did."""

    tool: str
    effects: list


@dataclass
class _Link:
    name: str
    kind: LinkKind | None  # None: assumed to exist, kind unknown
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
        self.out.append(diag(code, message, self.doc.span(effect.start, effect.end), **kw))

    def get(self, netns, name) -> _Link:
        key = (netns, name)
        if key not in self.links:
            self.links[key] = _Link(name, None)
        return self.links[key]

    def created_at(self, netns: str | None, name: str) -> int | None:
        """Where the snippet made the link, if it did and has not deleted it since."""
        link = self.links.get((netns, name))
        return link.created_at if link and link.deleted_at is None else None

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
        ok = True
        for name, ns in ((e.name, netns), (e.peer, e.peer_netns or netns)):
            if name is None:
                continue
            first = self.created_at(ns, name)
            if first is not None:
                self.report(
                    "NS205",
                    f"{name} is created twice; it already exists from line {self.line_of(first)}",
                    e,
                    hint="the second creation fails with `File exists`",
                )
                ok = False
        if e.peer is not None and e.peer == e.name and (e.peer_netns or netns) == netns:
            self.report("NS603", f"veth {e.name} and its peer have the same name", e, hint="give the peer a name of its own")
            ok = False
        if e.parent is not None and not self.uses(e, e.parent, "stacks a link on"):
            ok = False
        if ok and e.parent is not None and e.kind in _STACKED:
            ok = self.check_parent_mix(e) and self.check_parent_free(e)
        if not ok:
            return False
        link = _Link(e.name, e.kind, created_at=e.start, parent=e.parent)
        self.links[(netns, e.name)] = link
        if e.peer is not None:
            link.peer = (e.peer_netns or netns, e.peer)
            peer = _Link(e.peer, LinkKind.VETH, created_at=e.start, peer=(netns, e.name))
            self.links[(e.peer_netns or netns, e.peer)] = peer
        return True

    def check_parent_free(self, e: fx.CreateLink) -> bool:
        """NS224, as validation has it: the port's master holds the parent's receive hook."""
        parent = self.links.get((e.netns, e.parent))
        if parent is None or parent.master is None or parent.deleted_at is not None:
            return True
        self.report(
            "NS224",
            f"{e.kind.value} {e.name} sits on {e.parent}, which is a port of {parent.master}; the kernel refuses this",
            e,
            hint=f"put {e.name} on {parent.master} instead",
        )
        return False

    def check_parent_mix(self, e: fx.CreateLink) -> bool:
        for (ns, name), other in self.links.items():
            if ns != e.netns or other.parent != e.parent or other.deleted_at is not None or other.kind not in _STACKED:
                continue
            if (other.kind is LinkKind.IPVLAN) != (e.kind is LinkKind.IPVLAN):
                self.report(
                    "NS208",
                    f"{e.kind.value} {e.name} and {other.kind.value} {name} share parent {e.parent}; the kernel refuses this",
                    e,
                    hint="put them on different parents",
                )
                return False
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
        if port.master is not None and port.master != e.master:
            moves = step.tool in MOVING_TOOLS
            self.report(
                "NS206",
                f"{e.port} is already a port of {port.master}"
                + ("; ip moves it to " + e.master if moves else f"; {step.tool} refuses a second master"),
                e,
                severity=Severity.WARNING if moves else None,
                hint=f"release it first (ip link set dev {e.port} nomaster)",
            )
            if not moves:
                return False
        # `ip link set P master B up` in one command: which the kernel does first has
        # changed over the years, so only an up from an earlier command is certain
        up_before = port.state is AdminState.UP and port.state_at != e.start
        if master.kind is LinkKind.BOND and up_before and step.tool not in DOWNING_TOOLS:
            self.report(
                "NS228",
                f"{e.port} is up; the bonding driver refuses to enslave a link that is up (EPERM)",
                e,
                hint=f"ip link set dev {e.port} down first, and up again once it is a port",
            )
            return False
        if master.kind is LinkKind.TEAM and port.state is AdminState.UP:
            self.report(
                "NS209",
                f"{e.port} is up; the team driver adds only ports that are down",
                e,
                hint=f"ip link set dev {e.port} down first",
            )
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
