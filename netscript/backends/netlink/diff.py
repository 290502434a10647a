"""Live state vs spec -> the steps that make the kernel match, in an order it accepts.

The differ has no order of its own: it evaluates the planner's operations
(:func:`netscript.plan.plan`), in their order, against a simulation of the
live state (:mod:`.simulation`), each into zero or more live steps, the way
the bash backend renders each into a guarded block:

- :mod:`.structure` evaluates the operations that make links exist where the
  spec puts them (RequireLink, CreateLink): a link found in another namespace
  is moved, one of another kind or with other create-only settings deleted and
  made again, a missing one created;
- :mod:`.settings` those that change links in place (ConfigureLink, Enslave,
  ConfigurePort, ConfigureLate, SetState, AddAddress);
- :mod:`.routing` sysctls, neighbours, routes and rules.

What the spec leaves out has no operation; with ``--prune`` it is removed at
the start of the stage it belongs to (:func:`netscript.plan.stage`), before
that stage's first operation: unmentioned links before the links are made,
ports a master should not hold before the ports are enslaved, addresses
before the addresses are added, routes, rules and neighbours before the
spec's own are added.
"""

from __future__ import annotations

import functools

from ... import plan as planner
from ...frontends.kernel.state import KernelState
from ...ir.model import Program
from ...plan import (
    AddAddress,
    AddNetns,
    ConfigureLate,
    ConfigureLink,
    ConfigurePort,
    CreateLink,
    Enslave,
    RequireLink,
    RequireNetns,
    SetState,
    Stage,
)
from . import steps as st
from .liveplan import LivePlan, involved_namespaces
from .settings import LinkSettings
from .steps import Action, Step
from .structure import LinkStructure


class _Differ(LinkStructure, LinkSettings):
    def run(self, namespaces, operations=None) -> LivePlan:
        if operations is None:
            operations = planner.plan(self.program, self.index).steps
        self.plan.operations = operations
        reached = Stage.NAMESPACES
        for operation in operations:
            now = planner.stage(operation)
            while reached < now:  # entering a stage: what the spec leaves out of it goes first
                reached = Stage(reached + 1)
                self.prune_stage(reached, namespaces)
            self.evaluate(operation)
        while reached < Stage.ROUTING:
            reached = Stage(reached + 1)
            self.prune_stage(reached, namespaces)
        return self.plan

    def prune_stage(self, stage: Stage, namespaces) -> None:
        if not self.prune:
            return
        if stage is Stage.LINKS:
            self.prune_unmentioned(namespaces)
        elif stage is Stage.PORTS:
            self.release_unwanted()
        elif stage is Stage.ADDRESSES:
            self.prune_addresses()
        elif stage is Stage.ROUTING:
            self.prune_routing(namespaces)

    def evaluate(self, operation) -> None:
        match operation:
            case RequireNetns():
                pass  # read_state reports a missing one (NS501)
            case AddNetns(netns=name, loopback=loopback):
                if name in self.plan.missing_namespaces:
                    commands = st.netns_commands(name, loopback)
                    self.emit(Step(action=Action.ADD_NETNS, netns=None, name=name, state=loopback, commands=commands))
            case RequireLink(link=link):
                self.require(link)
            case CreateLink(link=link):
                self.ensure(link)
            case ConfigureLink(link=link):
                self.modify_in_place(link)
            case Enslave():
                self.enslave(operation)
            case ConfigurePort(port=port, master=master):
                self.configure_port(port, master)
            case ConfigureLate(link=link):
                self.late_settings(link)
            case SetState(link=link, state=state):
                self.admin_state(link, state)
            case AddAddress(link=link, address=address):
                self.add_address(link, address)
            case _:
                self.evaluate_routing(operation)

    # Routing's own (:class:`.routing.RoutingItems`, mixed in by :func:`differ_for`): a spec
    # without routes, rules, sysctls or neighbours, applied without --prune, has none of either.

    def prune_routing(self, namespaces) -> None:
        pass

    def evaluate_routing(self, operation) -> None:
        raise TypeError(f"planner bug: {operation!r} in a plan for a spec without routing")


def differ_for(program: Program, prune: bool) -> type[_Differ]:
    """The differ, evaluating routing too when there is any to evaluate: the spec has routing,
    or --prune removes what it does not state. Otherwise routing's modules are never loaded
    (~11 ms of a re-apply of 1,900 links)."""
    if not (prune or program.has_routing):
        return _Differ
    from .routing import RoutingItems

    return _with_routing(RoutingItems)


@functools.cache
def _with_routing(items: type) -> type[_Differ]:
    return type("_RoutingDiffer", (items, _Differ), {})  # routing's methods before the stubs above


def diff(program: Program, state: KernelState, *, prune: bool = False, missing_namespaces=(), operations=None) -> LivePlan:
    """The steps that turn ``state`` into ``program`` (validated and placed).

    ``operations``: the planner's for ``program``, when an earlier plan of the same
    spec has them (apply's read-back does).
    """
    namespaces = [ns for ns in involved_namespaces(program) if ns in state.namespaces]
    return differ_for(program, prune)(program, state, prune, missing_namespaces).run(namespaces, operations)
