"""Direct execution over netlink: plan, apply, verify, roll back.

    from netscript.backends import netlink
    plan = netlink.make_plan(program, prune=False)   # nothing touched
    result = netlink.apply(program)                   # all or nothing

The plan is the planner's operations (:mod:`netscript.plan`) evaluated
against the live state (read by :mod:`netscript.frontends.kernel`) in
:mod:`.diff`; each step
carries its equivalent ``ip`` command (:mod:`.steps`). :mod:`.guard` refuses
disruptive steps and steps that would cut the default route, :mod:`.lock`
serialises applies per namespace, :mod:`.execute` carries out the steps
through :mod:`.kernel` (link and address requests packed by
:mod:`netscript.netlink.wire` and sent by :mod:`.pipeline` on each
namespace's one rtnetlink socket; pyroute2 only for tun/tap) and journals
their undo (:mod:`.journal`); :mod:`.session` puts it together.

The names below load on first use.
"""

_EXPORTS = {
    "Result": "session",
    "apply": "session",
    "make_plan": "session",
    "verify": "session",
    "LivePlan": "liveplan",
    "Action": "steps",
    "Difference": "steps",
    "Step": "steps",
}

__all__ = ["Action", "Difference", "LivePlan", "Result", "Step", "apply", "make_plan", "verify"]


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
