"""The rules a link breaks when it is made or enslaved, judged on the links there are at that moment.

The validator asks them for each link and port of a spec, in the order the
spec gives them; the document simulator (:mod:`netscript.docs.simulate`) asks
them at each command of a snippet, with the links its commands have made so
far. Either way a rule's condition, wording and severity are here once, and
:data:`netscript.codes.RULES` names each of these functions as the one that
checks its code.

A link is anything with a ``name``, a ``kind`` (a :class:`LinkKind`, or None
for a link a snippet uses without making, whose kind is unknown), a
``netns`` and a ``span``: an IR :class:`~netscript.ir.model.Link` or the
simulator's model of one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from .codes import diag
from .diagnostics import Diagnostic, Severity, Span
from .ir.model import LinkKind

# Links stacked on a parent that take its receive hook (macvlan and macvtap share one, ipvlan another).
STACKED = (LinkKind.MACVLAN, LinkKind.MACVTAP, LinkKind.IPVLAN)
# Tools whose enslaving moves a port from its old master instead of failing.
MOVING_TOOLS = frozenset({"ip", "bridge"})
# Tools that take a port down themselves before they enslave it.
DOWNING_TOOLS = frozenset({"ifenslave"})


class AnyLink(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> LinkKind | None: ...
    @property
    def netns(self) -> str | None: ...
    @property
    def span(self) -> Span | None: ...


def created_twice(link: AnyLink, first: AnyLink | None) -> Diagnostic | None:
    """NS205: ``link`` is made where ``first`` already has its name (None: no link has it)."""
    if first is None:
        return None
    where = "the default namespace" if link.netns is None else f"namespace {link.netns}"
    return diag(
        "NS205",
        f"{link.name} is created twice in {where}",
        link.span,
        hint=(f"the first is at {first.span}; " if first.span else "") + "the kernel refuses the second (File exists)",
    )


def second_master(port: str, span: Span | None, master: str, first: str | None, tool: str | None = None) -> Diagnostic | None:
    """NS206: ``port`` enslaved to ``master`` while it is a port of ``first`` (None: of none).

    ``tool`` is the command that enslaves it; None for a spec, which lists
    each port once. ``ip`` and ``bridge`` move a port from its master (a
    warning: the first enslavement is undone); other tools refuse a second
    master, and enslaving again to the same master changes nothing.
    """
    if first is None:
        return None
    if tool is None:
        if first == master:
            return diag("NS206", f"{port} is listed twice as a port of {first}", span,
                        hint=f"one `port {port} ...` item says it, with its options")
        return diag("NS206", f"{port} is a port of both {first} and {master}; a link has one master", span)
    if first == master:
        return None
    moves = tool in MOVING_TOOLS
    return diag(
        "NS206",
        f"{port} is already a port of {first}"
        + (f"; {tool} moves it to {master}" if moves else f"; {tool} refuses a second master"),
        span,
        severity=Severity.WARNING if moves else None,
        hint=f"release it first (ip link set dev {port} nomaster)",
    )


def macvlan_ipvlan_mix(link: AnyLink, parent: str, siblings: Iterable[AnyLink], span: Span | None) -> Diagnostic | None:
    """NS208: a macvlan or macvtap made on a parent that has an ipvlan, or the other way round.

    ``siblings`` are the links already stacked on ``parent``.
    """
    if link.kind not in STACKED:
        return None
    for other in siblings:
        if other.kind in STACKED and (other.kind is LinkKind.IPVLAN) != (link.kind is LinkKind.IPVLAN):
            assert link.kind is not None and other.kind is not None
            return diag(
                "NS208",
                f"{link.kind.value} {link.name} and {other.kind.value} {other.name} share parent {parent}; "
                "the kernel refuses this",
                span,
                hint="put them on different parents",
            )
    return None


def parent_is_port(link: AnyLink, parent: str, master: str | None, span: Span | None) -> Diagnostic | None:
    """NS224: a macvlan, macvtap or ipvlan made on ``parent`` while it is a port of ``master``.

    The port's master holds the parent's receive hook, which these need too.
    """
    if link.kind not in STACKED or master is None:
        return None
    assert link.kind is not None
    return diag(
        "NS224",
        f"{link.kind.value} {link.name} sits on {parent}, which is a port of {master}; the kernel refuses this",
        span,
        hint=f"put {link.name} on {master} instead",
    )


def port_up(
    port: str, span: Span | None, master_kind: LinkKind | None, tool: str, *, up_before: bool, up_with: bool
) -> Diagnostic | None:
    """NS209 and NS228: ``port`` enslaved by ``tool`` to a team or bond while it is up.

    ``up_before``: an earlier command set it up; ``up_with``: the enslaving
    command itself does. The team driver adds only ports that are down. The
    bonding driver refuses a port that is up (EPERM), but whether the kernel
    enslaves or sets up first within one ``ip link set P master B up`` has
    changed over the years, so only an earlier up is certain there; and
    ``ifenslave`` takes the port down itself.
    """
    if master_kind is LinkKind.TEAM and (up_before or up_with):
        return diag("NS209", f"{port} is up; the team driver adds only ports that are down", span,
                    hint=f"ip link set dev {port} down first")
    if master_kind is LinkKind.BOND and up_before and tool not in DOWNING_TOOLS:
        return diag("NS228", f"{port} is up; the bonding driver refuses to enslave a link that is up (EPERM)", span,
                    hint=f"ip link set dev {port} down first, and up again once it is a port")
    return None
