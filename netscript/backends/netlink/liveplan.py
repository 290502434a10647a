"""A live plan: the steps, the problems that forbid applying them, the namespaces involved."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...diagnostics import Diagnostic
from ...frontends.kernel.state import KernelState
from ...ir.model import Program
from .steps import Step


@dataclass
class LivePlan:
    """The steps, plus the problems that forbid applying them."""

    program: Program
    state: KernelState
    steps: list[Step] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    missing_namespaces: list[str] = field(default_factory=list)  # declared, to be added
    operations: tuple = ()  # the planner's (netscript.plan), which depend on the spec alone

    @property
    def disrupting(self) -> list[Step]:
        return [s for s in self.steps if s.disrupts]


def involved_namespaces(program: Program) -> list:
    """Every namespace the spec puts links in or refers to, declared ones included."""
    out: list = []

    def add(ns):
        if ns not in out:
            out.append(ns)

    for name in program.external_netns:
        add(name)
    for ns in program.namespaces:
        add(ns.name)
    for link in program.all_links():
        add(link.netns)
        if link.parent is not None and link.parent.netns is not None:
            add(link.parent.netns)
    for netns in ([r.netns for r in program.routes] + [r.netns for r in program.rules] + [s.netns for s in program.sysctls]
                  + [n.netns for n in program.neighbours]):  # fmt: skip
        add(netns)
    return out
