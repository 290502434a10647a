"""The planner's operations for routes, policy rules, sysctls and static neighbours, and where they go.

:func:`netscript.plan.plan` calls these only for a program that has any, so a
spec without them never loads this module or the routing IR. Where each goes
in the plan, and why:

- a namespace's own sysctls (``ip_forward``) right after the namespace, before
  its links, which may inherit them (``conf.default``);
- a link's own sysctls before its addresses and before it comes up
  (``accept_ra``, ``disable_ipv6``);
- neighbours once their links are up (taking a link down flushes its entries,
  permanent ones too), then routes (the kernel checks a gateway against the
  addresses of up links), then rules;
- the teardown: rules, routes and neighbours first (those on links that stay
  outlive the links), and each sysctl's old value put back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

from .tables import table_number

if TYPE_CHECKING:
    from ..ir.index import Index
    from ..ir.model import Program
    from ..ir.routing import Neighbour, Route, Rule, Sysctl
    from ..plan import Stage


@dataclass(frozen=True, slots=True, kw_only=True)
class SetSysctl:
    """Write a sysctl where it differs (a per-interface one once its link exists, before it comes up)."""

    sysctl: Sysctl


@dataclass(frozen=True, slots=True, kw_only=True)
class AddRoute:
    """Add or replace a route, once its devices are up; ``table`` is its number (a VRF's resolved)."""

    route: Route
    table: int


@dataclass(frozen=True, slots=True, kw_only=True)
class AddRule:
    rule: Rule
    table: int


@dataclass(frozen=True, slots=True, kw_only=True)
class DeleteRoute:
    route: Route
    table: int


@dataclass(frozen=True, slots=True, kw_only=True)
class DeleteRule:
    rule: Rule
    table: int


@dataclass(frozen=True, slots=True, kw_only=True)
class AddNeighbour:
    """Add or replace a permanent neighbour entry, once its link is up (taking a link down flushes them)."""

    neighbour: Neighbour


@dataclass(frozen=True, slots=True, kw_only=True)
class DeleteNeighbour:
    neighbour: Neighbour


@dataclass(frozen=True, slots=True, kw_only=True)
class RestoreSysctl:
    """Put back the value a sysctl had before the spec set it."""

    sysctl: Sysctl


RoutingOperation: TypeAlias = (
    SetSysctl | AddRoute | AddRule | DeleteRoute | DeleteRule | AddNeighbour | DeleteNeighbour | RestoreSysctl
)


def stage(operation: RoutingOperation) -> Stage:
    """Where ``operation`` goes in the plan (:func:`netscript.plan.stage`)."""
    from ..plan import Stage

    match operation:
        case SetSysctl(sysctl=sysctl):
            return Stage.NAMESPACES if sysctl.link is None else Stage.LINK_SYSCTLS
        case AddNeighbour() | AddRoute() | AddRule():
            return Stage.ROUTING
    return Stage.TEARDOWN


def namespace_steps(program: Program) -> list[RoutingOperation]:
    return [SetSysctl(sysctl=s) for s in program.sysctls if s.link is None]


def link_steps(program: Program) -> list[RoutingOperation]:
    return [SetSysctl(sysctl=s) for s in program.sysctls if s.link is not None]


def up_steps(program: Program, index: Index) -> list[RoutingOperation]:
    steps: list[RoutingOperation] = [AddNeighbour(neighbour=n) for n in program.neighbours]
    steps += [AddRoute(route=r, table=table_number(index, r.netns, r.table)) for r in program.routes]
    steps += [AddRule(rule=r, table=table_number(index, r.netns, r.table)) for r in program.rules]
    return steps


def teardown_steps(program: Program, index: Index) -> list[RoutingOperation]:
    steps: list[RoutingOperation] = [
        DeleteRule(rule=r, table=table_number(index, r.netns, r.table)) for r in reversed(program.rules)
    ]
    steps += [DeleteRoute(route=r, table=table_number(index, r.netns, r.table)) for r in reversed(program.routes)]
    steps += [DeleteNeighbour(neighbour=n) for n in reversed(program.neighbours)]
    steps += [RestoreSysctl(sysctl=s) for s in reversed(program.sysctls)]
    return steps
