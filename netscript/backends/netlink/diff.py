"""Live state vs spec -> the steps that make the kernel match, in an order it accepts.

The differ walks the spec in phases, like the planner (:mod:`netscript.plan`),
against a simulation of the live state (:mod:`.simulation`):

1. namespaces the spec declares and the kernel lacks are added;
2. links are deleted, recreated, moved and created (:mod:`.structure`);
3. settings, masters, port settings, addresses and admin state are set in
   place (:mod:`.settings`); a lower device's own settings right after it is
   created (or found), before the links stacked on it; links to be ``down``
   are taken down before addresses are added, links to be ``up`` brought up
   last.
"""

from __future__ import annotations

from ...frontends.kernel.state import KernelState
from ...ir.model import DEFAULT_LOOPBACK, AdminState, Program
from . import steps as st
from .liveplan import LivePlan, involved_namespaces
from .routing import RoutingPhases
from .steps import Action, Step
from .structure import StructurePhases


class _Differ(StructurePhases, RoutingPhases):
    def run(self, namespaces) -> LivePlan:
        declared = {ns.name: ns for ns in self.program.namespaces}
        for name in self.plan.missing_namespaces:
            loopback = declared[name].loopback if name in declared else DEFAULT_LOOPBACK
            commands = tuple(tuple(c) for c in st.netns_commands(name, loopback))
            self.emit(Step(action=Action.ADD_NETNS, netns=None, name=name, state=loopback, commands=commands))
        self.sysctls(per_link=False)  # a namespace's own, before its links (which may inherit them)
        if self.prune:
            self.prune_unmentioned(namespaces)
        self.recreate_differing()
        self.move_misplaced()
        self.create_missing()  # and a lower device's settings, before what is stacked on it
        for link in self.order:
            for each in st.both_ends(link):
                self.modify_in_place(each)
        self.masters()
        self.port_settings()
        self.late_settings()
        self.sysctls(per_link=True)  # once the links exist, before their addresses and state
        self.admin_states(AdminState.DOWN)  # before the addresses: the kernel drops IPv6 ones
        self.moved_addresses()
        self.addresses()
        self.admin_states(AdminState.UP)
        self.routes_and_rules(namespaces)  # once their devices are up, with their addresses
        self.neighbours(namespaces)  # once their devices are up (taking one down flushes its entries)
        return self.plan


def diff(program: Program, state: KernelState, *, prune: bool = False, missing_namespaces=()) -> LivePlan:
    """The steps that turn ``state`` into ``program`` (validated and placed)."""
    namespaces = [ns for ns in involved_namespaces(program) if ns in state.namespaces]
    return _Differ(program, state, prune, missing_namespaces).run(namespaces)
