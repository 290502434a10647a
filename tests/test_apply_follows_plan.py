"""apply evaluates the planner's operations, in their order: one planner for the script and the kernel.

Without a kernel: the live state is made up (as in test_apply_units.py).
"""

from __future__ import annotations

import dataclasses
import pathlib

import pytest

from netscript import plan as planner
from netscript.backends.netlink.diff import diff
from netscript.backends.netlink.steps import Action
from netscript.frontends.dsl import parse
from netscript.frontends.kernel.state import KernelState, Observed
from netscript.ir.model import Address, Link, LinkKind
from netscript.placement import place

GOLDEN = pathlib.Path(__file__).parent / "golden" / "cases"

# The operation each kind of live step comes from.
OPERATION_OF = {
    Action.ADD_NETNS: planner.AddNetns,
    Action.CREATE: planner.CreateLink,
    Action.MODIFY: planner.ConfigureLink,
    Action.ENSLAVE: planner.Enslave,
    Action.SET_PORT: planner.ConfigurePort,
    Action.SET_LATE: planner.ConfigureLate,
    Action.ADD_ADDRESS: planner.AddAddress,
    Action.SET_STATE: planner.SetState,
}

TWO_BONDS = """\
bond b0 mode active-backup {
    port e0 queue_id 3
    ports e1
    primary e1
}
bond b1 mode active-backup {
    port e2 queue_id 5
    ports e3
    primary e3
}
dummy e0
dummy e1
dummy e2
dummy e3
dummy lone {
    addr 10.0.0.1/24
    up
}
"""


def spec(text: str):
    program, problems = parse(text, "t.ns")
    assert problems == []
    return place(program, netns="t")


def empty() -> KernelState:
    s = KernelState()
    s.namespaces["t"] = {}
    return s


def operation_name(operation) -> str:
    if isinstance(operation, planner.Enslave | planner.ConfigurePort):
        return operation.port.name
    if isinstance(operation, planner.AddNetns | planner.RequireNetns):
        return operation.netns
    return operation.link.name


def test_each_live_step_comes_from_the_planners_operation_for_it_in_the_planners_order():
    program = spec(TWO_BONDS)
    operations = [(type(op), operation_name(op)) for op in planner.plan(program).steps]
    live = [(OPERATION_OF[s.action], s.name) for s in diff(program, empty()).steps]
    # from nothing, every operation is to do (but what a create request folds in)
    positions = [operations.index(step) for step in live]
    assert positions == sorted(positions)
    # master by master, as the script goes: b0's ports and their settings, then b1's
    assert [(op.__name__, name) for op, name in live if op in (planner.Enslave, planner.ConfigurePort)] == [
        ("Enslave", "e0"),
        ("Enslave", "e1"),
        ("ConfigurePort", "e0"),
        ("Enslave", "e2"),
        ("Enslave", "e3"),
        ("ConfigurePort", "e2"),
    ]


def test_apply_goes_in_the_order_the_planner_gives(monkeypatch):
    """The differ walks no spec of its own: given the operations in another order, it follows that one."""
    program = spec("dummy d0\ndummy d1\ndummy d2\n")
    real = planner.plan

    def reversed_plan(p, index=None):
        made = real(p, index)
        return dataclasses.replace(made, steps=tuple(reversed(made.steps)))

    assert [s.name for s in diff(program, empty()).steps] == ["d0", "d1", "d2"]
    monkeypatch.setattr(planner, "plan", reversed_plan)
    assert [s.name for s in diff(program, empty()).steps] == ["d2", "d1", "d0"]


def test_pruned_addresses_go_before_the_spec_s_own_and_a_moved_one_says_where_it_goes():
    live = empty()
    for index, (name, cidrs) in enumerate((("a0", ("10.0.0.1/24", "10.9.0.1/24")), ("b0", ())), 2):
        link = Link(name=name, kind=LinkKind.DUMMY, netns="t", addresses=tuple(Address(cidr=c) for c in cidrs))
        live.namespaces["t"][name] = Observed(link=link, index=index, info_kind="dummy")
    plan = diff(spec("dummy a0\ndummy b0 {\n    addr 10.0.0.1/24\n}\n"), live, prune=True)
    assert [(s.title, s.reason) for s in plan.steps] == [
        ("remove 10.9.0.1/24 from a0", ""),
        ("remove 10.0.0.1/24 from a0", "to move it to b0"),
        ("add 10.0.0.1/24 to b0", ""),
    ]


@pytest.mark.parametrize("case", sorted(GOLDEN.glob("*.ns")), ids=lambda p: p.stem)
def test_the_planner_never_goes_back_a_stage(case):
    """apply removes what the spec leaves out at the start of a stage: the stages must come in order."""
    program, problems = parse(case.read_text(), str(case))
    assert [d for d in problems if d.is_error] == []
    stages = [planner.stage(op) for op in planner.plan(program).steps]
    assert stages == sorted(stages)
