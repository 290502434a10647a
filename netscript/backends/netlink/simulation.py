"""The differ's working state: the live state as it will be after each step planned so far.

Every step a phase emits is applied here too (a deleted bridge releases its
ports, a moved link arrives down and without addresses, a created link has
what its request set), so each later phase compares the spec with the state
the kernel will really be in at that point.
"""

from __future__ import annotations

from ...codes import diag
from ...frontends.kernel.state import KernelState, Observed
from ...ir.index import Index
from ...ir.model import Link, LinkKind, Program
from ...plan import creation_order, lower_devices
from .liveplan import LivePlan
from .steps import Step


class Simulation:
    """The spec, its index and creation order, and the simulated live state."""

    def __init__(self, program: Program, state: KernelState, prune: bool, missing_namespaces):
        self.program = program
        self.state = state
        self.prune = prune
        self.index = Index.build(program)
        self.order = creation_order(program, self.index)
        self.lower = lower_devices(program, self.index)  # keys of the links others are stacked on
        self.plan = LivePlan(program, state, missing_namespaces=list(missing_namespaces))
        self.sim: dict = {(o.netns, o.name): o for o in state.all()}
        self.created: set = set()  # keys made by this plan
        self.kept: set = set()  # keys that may not be deleted (a physical link's veth peer), reported
        self.spec_keys = {link.key for link in program.all_links()}

    def live(self, key) -> Observed | None:
        return self.sim.get(key)

    def existed(self, key) -> bool:
        return key in self.sim and key not in self.created

    def emit(self, step: Step) -> None:
        self.plan.steps.append(step)

    def problem(self, code: str, message: str, link: Link | None, hint=None) -> None:
        self.plan.problems.append(diag(code, message, link.span if link is not None else None, hint=hint))

    def children(self, parent: Observed) -> list[Observed]:
        return [
            o
            for o in self.sim.values()
            if o.link.parent is not None and (o.link.parent.netns, o.link.parent.name) == (parent.netns, parent.name)
        ]

    def ports(self, master: Observed) -> list[Observed]:
        return [o for o in self.sim.values() if o.netns == master.netns and o.master == master.name]

    def peer_name(self, link: Link) -> str | None:
        if link.kind is not LinkKind.VETH:
            return None
        if link.peer is not None:
            return link.peer.name
        declaring = self.index.peer_of.get(link.key)
        return declaring.name if declaring is not None else None
