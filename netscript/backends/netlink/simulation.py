"""The differ's working state: the live state as it will be after each step planned so far.

Every step an operation is evaluated into is applied here too (a deleted
bridge releases its ports, a moved link arrives down and without addresses, a
created link has what its request set), so each later operation compares the
spec with the state the kernel will really be in at that point.
"""

from __future__ import annotations

import functools

from ...codes import diag
from ...frontends.kernel.state import KernelState, Observed
from ...ir.index import Index
from ...ir.model import Link, LinkKind, Program
from ...plan import creation_order
from .liveplan import LivePlan
from .steps import Step


class Simulation:
    """The spec, its index and creation order, and the simulated live state."""

    def __init__(self, program: Program, state: KernelState, prune: bool, missing_namespaces):
        self.program = program
        self.state = state
        self.prune = prune
        self.index = Index.build(program)
        self.plan = LivePlan(program, state, missing_namespaces=list(missing_namespaces))
        self.sim: dict = {(o.netns, o.name): o for o in state.all()}
        self.state_keys = tuple(self.sim)
        self.created: set = set()  # keys made by this plan
        self.kept: set = set()  # keys that may not be deleted (a physical link's veth peer), reported
        self.spec_keys = {link.key for link in program.all_links()}

    @functools.cached_property
    def order(self) -> list[Link]:
        """The spec's top-level links in creation order, for pruning (which no operation names)."""
        return creation_order(self.program, self.index)

    @functools.cached_property
    def read_by_name(self) -> dict[str, list]:
        """The keys of the links read from the kernel, by name: where to look for one in another namespace."""
        out: dict[str, list] = {}
        for key in self.state_keys:
            out.setdefault(key[1], []).append(key)
        return out

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
