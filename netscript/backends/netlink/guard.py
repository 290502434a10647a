"""Refusals: steps a plan may not take without being told (--no-disrupt, the default route).

- With ``--no-disrupt``, every step marked as disrupting traffic is refused.
- Unless ``--force``, a step that deletes, moves, takes down or enslaves the
  interface that carries a default route, or a lower device it sits on, is
  refused: applying over SSH must not cut the session that runs it. Unless
  the plan moves the default route itself (a KVM host's uplink made a bridge
  port, the bridge given the address and the route): then the cut and the
  new route are one transaction, verified, or undone together.
"""

from __future__ import annotations

from ...codes import diag
from ...diagnostics import Diagnostic
from ...frontends.kernel.state import KernelState
from ...ir.model import AdminState
from .steps import Action, Step

CUTTING = (Action.DELETE, Action.MOVE, Action.ENSLAVE)


def default_route_links(state: KernelState, namespaces) -> dict:
    """(netns, name) of each link carrying a default route, and of the links below it -> the carrier."""
    out: dict = {}
    for netns in namespaces:
        for name in state.default_route_carriers(netns):
            out.update(_chain(state, state.get(netns, name)))
    return out


def _chain(state: KernelState, o) -> dict:
    out: dict = {}
    if o is not None:
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
    # routes are read only when some step could cut one (see snapshot.read_default_routes);
    # then in every namespace, since a link's lower device may live in another one
    if force or not any(cuts(s) for s in steps):
        guarded = {}
    else:
        from .routing import default_route_moves  # only now: a step that cuts may cut a route

        moved = default_route_moves(steps)
        guarded = {key: carrier for key, carrier in default_route_links(state, list(state.namespaces)).items()
                   if key[0] not in moved}  # fmt: skip
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
