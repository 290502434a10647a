"""Direct execution over netlink: plan, apply, verify, roll back.

    from netscript.backends import netlink
    plan = netlink.make_plan(program, prune=False)   # nothing touched
    result = netlink.apply(program)                   # all or nothing

The plan is a diff between the live state (read by
:mod:`netscript.frontends.kernel`) and the spec (:mod:`.diff`); each step
carries its equivalent ``ip`` command (:mod:`.steps`). :mod:`.guard` refuses
disruptive steps and steps that would cut the default route, :mod:`.lock`
serialises applies per namespace, :mod:`.execute` sends the requests with
pyroute2 (:mod:`.kernel`) and journals their undo (:mod:`.journal`).
"""

from .diff import LivePlan  # noqa: F401
from .session import Result, apply, make_plan, verify  # noqa: F401
from .steps import Action, Difference, Step  # noqa: F401
