"""plan and apply: read under a lock, diff, refuse what must be refused, execute, verify, or undo all.

``apply`` is all or nothing: when a step fails, or when the state read back
after the last step differs from the spec, every change already made is
undone, newest first, and the result says which step failed and why, in the
kernel's own words.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ... import collector
from ...codes import diag
from ...diagnostics import Diagnostic, has_errors
from ...frontends.kernel import state as kernel_state
from ...ir.model import Program
from ...netlink.rtnl import namespace_path
from . import compare, guard, interrupt, lock
from .diff import LivePlan, diff, involved_namespaces
from .steps import Action, Difference, Step

if TYPE_CHECKING:
    from .execute import StepFailed
    from .journal import Journal


@dataclass
class Result:
    plan: LivePlan | None = None
    problems: list[Diagnostic] = field(default_factory=list)
    done: list[Step] = field(default_factory=list)  # steps made and kept
    rolled_back: bool = False
    requests: int = 0  # change requests sent (including undo)
    interrupted: interrupt.Interrupted | None = None  # the signal that stopped it

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)


def read_state(program: Program, *, addresses: bool = True):
    """(state, declared namespaces still to add, problems) for the namespaces ``program`` involves.

    ``addresses``: read the links' addresses too (see :func:`verify`).
    """
    declared = {ns.name for ns in program.namespaces}
    readable, missing, problems = [], [], []
    for ns in involved_namespaces(program):
        if ns is None or os.path.exists(namespace_path(ns)):
            readable.append(ns)
        elif ns in declared:
            missing.append(ns)
        else:
            problems.append(
                diag("NS501", f"namespace {ns} does not exist", None, hint=f"create it first (ip netns add {ns})")
            )
    state = kernel_state.read(readable, addresses=addresses)
    return state, missing, problems


def make_plan(program: Program, *, prune: bool = False, operations=None, addresses: bool = True) -> LivePlan:
    """What applying ``program`` would change (nothing is touched). Raises rtnl errors when unreadable.

    ``operations``: the planner's, from an earlier plan of ``program``;
    ``addresses``: false when no address can make a difference (see :func:`verify`).
    """
    with collector.paused():
        state, missing, problems = read_state(program, addresses=addresses)
        plan = diff(program, state, prune=prune, missing_namespaces=missing, operations=operations)
    plan.problems[:0] = problems
    return plan


def step_differences(step: Step) -> list[Difference]:
    """The attribute differences a step stands for, to name them when verification fails."""
    if step.differences:
        return list(step.differences)
    a = step.action
    if a is Action.CREATE:
        return [Difference(step.netns, step.name, "exists", "yes", "no")]
    if a is Action.DELETE:
        return [Difference(step.netns, step.name, "exists", "no", "yes")]
    if a is Action.MOVE:
        return [Difference(step.target_netns, step.name, "namespace", step.target_netns, step.netns)]
    if a is Action.ADD_ADDRESS:
        return [Difference(step.netns, step.name, "address", step.address, None)]
    if a is Action.REMOVE_ADDRESS:
        return [Difference(step.netns, step.name, "address", None, step.address)]
    if a is Action.RELEASE:
        return [Difference(step.netns, step.name, "master", None, step.master_name)]
    if a is Action.ADD_NETNS:
        return [Difference(None, step.name, "namespace", "exists", "missing")]
    return [Difference(step.netns, step.name, step.title, "done", "not done")]


def verify(program: Program, *, prune: bool = False, operations=None) -> list[Difference]:
    """Read the state back and compare it with the spec, attribute by attribute.

    The addresses are read back only when they can differ: when the spec states
    some, or --prune removes the ones it does not. Right after an apply brings
    links up, the kernel is busy with their IPv6 addresses, and a dump of 1,900
    link-local addresses then takes 20-45 ms that tell the comparison nothing.
    """
    addresses = compare.addresses_compared(program, prune=prune)
    plan = make_plan(program, prune=prune, operations=operations, addresses=addresses)
    out: list[Difference] = []
    for step in plan.steps:
        out += step_differences(step)
    return out


def apply(
    program: Program,
    *,
    prune: bool = False,
    no_disrupt: bool = False,
    force: bool = False,
    faults=None,
    lock_dir: str = lock.LOCK_DIR,
    on_wait=None,
    wait: float | None = None,
) -> Result:
    """Make the kernel match ``program`` (validated and placed), or leave it as it was.

    SIGINT, SIGTERM and SIGHUP stop it between two operations and undo
    what was made (:mod:`.interrupt`); ``Result.interrupted`` then names the signal.
    """
    result = Result()
    namespaces = involved_namespaces(program)
    with interrupt.caught() as interrupts:
        try:
            with lock.hold(namespaces, directory=lock_dir, on_wait=on_wait, wait=wait):
                plan = result.plan = make_plan(program, prune=prune)
                result.problems += plan.problems
                result.problems += guard.refusals(plan.steps, plan.state, no_disrupt=no_disrupt, force=force)
                if not result.ok or not plan.steps:
                    return result
                with interrupts.deferred(), collector.paused():
                    _change(program, plan, result, prune=prune, faults=faults, checkpoint=interrupts.check)
        except interrupt.Interrupted as stop:  # before the first change: nothing to undo
            result.interrupted = stop
            result.problems.append(diag("NS512", f"interrupted by {stop.name} before any change; nothing was changed", None))
    return result


def _change(program: Program, plan: LivePlan, result: Result, *, prune, faults, checkpoint) -> None:
    """Carry out ``plan`` and verify it, or undo every change made (a refusal, a mismatch, a signal)."""
    # loaded only now: a re-apply with nothing to do never sends a change
    from .execute import Executor, StepFailed
    from .journal import Journal
    from .kernel import Kernel

    kernel = Kernel(plan.state)
    journal = Journal()
    if plan.state.routing:  # routes were read, so the kernel may drop some that must come back
        from . import routing

        routing.journal_route_restore(journal, kernel, plan.state)  # first in, so it runs last
    existing = [ns for ns in involved_namespaces(program) if ns is not None and ns not in plan.missing_namespaces]
    try:
        try:
            Executor(kernel, plan.state, journal, faults, checkpoint).run(plan.steps)
            checkpoint()
            mismatches = verify(program, prune=prune, operations=plan.operations)
            checkpoint()  # a signal during the read-back still undoes: the user asked to stop
        except StepFailed as failure:
            made = len(journal)
            undo_problems = _roll_back(result, journal, plan.state)
            if _report_vanished(result, existing, made, undo_problems):
                return
            result.problems.append(_failure(failure, len(plan.steps), made, undo_problems))
            return
        except interrupt.Interrupted as stop:
            made = len(journal)
            undo_problems = _roll_back(result, journal, plan.state)
            result.interrupted = stop
            result.problems.append(diag("NS512", f"interrupted by {stop.name}: {_undone(made, undo_problems)}", None))
            return
        if mismatches or _vanished(existing):
            made = len(journal)
            undo_problems = _roll_back(result, journal, plan.state)
            if _report_vanished(result, existing, made, undo_problems):
                return
            for d in mismatches:
                result.problems.append(
                    diag("NS504", f"after applying, {d}; {_undone(made, undo_problems)}", _span(program, d))
                )
            return
        result.done = list(plan.steps)
        journal.keep()
    finally:
        result.requests = kernel.sent
        kernel.close()


# Undo failures named one by one; past this many, one line counts the rest.
UNDO_PROBLEMS_SHOWN = 10


def _roll_back(result: Result, journal: Journal, before) -> list[str]:
    problems = journal.roll_back()
    problems += _not_restored(before)
    result.rolled_back = True
    for problem in problems[:UNDO_PROBLEMS_SHOWN]:
        result.problems.append(diag("NS507", f"could not undo: {problem}", None))
    if len(problems) > UNDO_PROBLEMS_SHOWN:
        more = len(problems) - UNDO_PROBLEMS_SHOWN
        result.problems.append(diag("NS507", f"could not undo {more} more change(s)", None))
    return problems


def _vanished(existing) -> list[str]:
    """The namespaces that were there when the plan was made and are no longer in /run/netns.

    Our open sockets keep a deleted namespace alive, so requests into it go
    on succeeding: only its name tells that it is gone.
    """
    return [ns for ns in existing if not os.path.exists(namespace_path(ns))]


def _not_restored(before) -> list[str]:
    """What the state read back after undoing still has different from the state read before.

    A rollback report must never claim more than was restored: the kernel
    has side effects of its own (a link taken down drops its IPv6 addresses,
    a lowered MTU lowers the links stacked on it), and any the undo does not
    know about shows here, named, instead of "as they were".
    """
    gone = [ns for ns in before.namespaces if ns is not None and not os.path.exists(namespace_path(ns))]
    try:
        after = kernel_state.read([ns for ns in before.namespaces if ns not in gone], follow=False)
    except Exception as e:  # any failure: the report says so; the undo itself is done
        return [f"the state could not be read back after undoing ({e})"]
    out = []
    for ns in before.namespaces:
        if ns in gone:
            continue
        was = {o.name: _essence(o) for o in before.links(ns)}
        now = {o.name: _essence(o) for o in after.links(ns)}
        for name in sorted(was.keys() | now.keys()):
            if was.get(name) != now.get(name):
                where = f"namespace {ns}" if ns else "this namespace"
                what = "is gone" if name not in now else "is new" if name not in was else "differs from before"
                out.append(f"{name} in {where} {what} after undoing")
    return out


def _essence(o):
    """A link as configuration: what a rollback must give back (not its ifindex or link-local address)."""
    return (o.link, o.master, o.port_options, o.peer)


def _report_vanished(result: Result, existing, made: int, undo_problems) -> bool:
    """One error per namespace deleted under the apply, not one per step it failed (True: reported)."""
    gone = _vanished(existing)
    for ns in gone:
        result.problems.append(
            diag(
                "NS501",
                f"namespace {ns} was deleted while the apply ran; what it held went with it; "
                + _undone(made, undo_problems, "the other namespaces"),
                None,
            )
        )
    return bool(gone)


def _undone(made: int, undo_problems, namespaces: str = "the namespaces") -> str:
    if undo_problems:
        return f"undoing the {made} change(s) made before it failed {len(undo_problems)} time(s) (see NS507)"
    if not made:
        return f"nothing had been changed, {namespaces} are as they were"
    return f"the {made} change(s) made were undone, {namespaces} are as they were"


def _failure(failure: StepFailed, total: int, made: int, undo_problems) -> Diagnostic:
    step = failure.step
    where = f" in namespace {step.netns}" if step.netns and step.action is not Action.ADD_NETNS else ""
    command = " ; ".join(" ".join(c) for c in step.commands)
    return diag(
        "NS503",
        f"step {failure.number} of {total}, {step.title}{where}: {failure.error.describe()}; "
        + _undone(made, undo_problems),
        step.spec.span if step.spec is not None else None,
        hint=f"the equivalent command: {command}" if command else None,
    )


def _span(program: Program, d: Difference):
    for link in program.all_links():
        if (link.netns, link.name) == (d.netns, d.link):
            return link.setting_span(d.attribute) if d.attribute in dict(link.setting_spans) else link.span
    return None


__all__ = ["Result", "apply", "make_plan", "read_state", "verify"]
