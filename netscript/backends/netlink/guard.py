"""Refusals: steps a plan may not take without being told (--no-disrupt, the default route).

- With ``--no-disrupt``, every step marked as disrupting traffic is refused.
- Unless ``--force``, a step that deletes, moves, takes down or enslaves the
  interface that carries a default route, or a lower device it sits on, is
  refused: applying over SSH must not cut the session that runs it.
"""

from __future__ import annotations

from ...codes import diag
from ...diagnostics import Diagnostic
from ...frontends.kernel.state import KernelState
from ...ir.model import AdminState
from .steps import Action, Step

CUTTING = (Action.DELETE, Action.MOVE, Action.ENSLAVE)


def default_route_links(state: KernelState) -> dict:
    """(netns, name) of each link carrying a default route, and of the links below it -> the carrier."""
    out: dict = {}
    for o in state.all():
        if not o.carries_default_route:
            continue
        seen, current = set(), o
        while current is not None and (current.netns, current.name) not in seen:
            seen.add((current.netns, current.name))
            out.setdefault((current.netns, current.name), o.name)
            parent = current.link.parent
            current = state.get(parent.netns, parent.name) if parent is not None else None
    return out


def cuts(step: Step) -> bool:
    if step.action in CUTTING:
        return True
    return step.action is Action.SET_STATE and step.state is AdminState.DOWN


def refusals(steps, state: KernelState, *, no_disrupt: bool, force: bool) -> list[Diagnostic]:
    out = []
    guarded = {} if force else default_route_links(state)
    for number, step in enumerate(steps, 1):
        span = step.spec.span if step.spec is not None else None
        carrier = guarded.get((step.netns, step.name))
        if carrier is not None and cuts(step):
            via = "" if carrier == step.name else f" (the default route leaves through {carrier}, which sits on it)"
            out.append(
                diag(
                    "NS506",
                    f"step {number}, {step.title}: {step.name} carries the default route{via}; "
                    "this would cut the host's connectivity",
                    span,
                    hint="use --force if this is really meant",
                )
            )
        elif no_disrupt and step.disrupts:
            reason = f" ({step.reason})" if step.reason and step.reason not in step.title else ""
            out.append(diag("NS505", f"step {number}, {step.title}{reason}: disrupts traffic (--no-disrupt)", span))
    return out
