"""netscript as a library: plan, apply and export as plain data.

    from netscript import api
    document = api.plan("host.ns", netns="lab")            # touches nothing
    document = api.apply("host.ns", text=spec_text)        # all or nothing
    facts = api.export(netns="lab")                        # the live state

The documents these functions return are the ones ``netscript plan --format
json`` and ``netscript apply --format json`` print, key for key: the CLI
builds its JSON with :func:`plan_document` and :func:`apply_document`. So a
program that calls netscript in-process (the Ansible collection under
``ansible_collections/netscript/net``) and one that runs the command read
one contract, versioned by ``FORMAT`` and described in README.md ("Many
machines: Ansible"). Keys are added, never renamed or removed, within a
format.

Nothing here raises for bad input, a missing namespace or a refusing
kernel: it all comes back as diagnostics, ``ok`` false.
"""

from __future__ import annotations

import re

from .codes import diag
from .diagnostics import Diagnostic, has_errors

# The version of the documents' shape; a key renamed or removed makes it 2.
FORMAT = 1

# What a spec given as text (not a file) is called in diagnostics.
TEXT_PATH = "<spec>"


# -- reading a spec -------------------------------------------------------


def load(path: str, *, text: str | None = None, netns: str | None = None, prefix: str = ""):
    """(placed Program or None, diagnostics, fatal): the spec read, validated and moved as --netns / --netns-prefix say.

    ``text``: the spec itself; ``path`` then only names it (its extension
    picks the frontend: ``.sh`` is a legacy script, anything else the DSL).
    ``fatal`` is true for unusable input (a syntax error, an unreadable file).
    """
    from .frontends import load as load_file
    from .frontends import load_source
    from .placement import place
    from .source import Source
    from .validate import placement_problems, validate

    loaded = load_file(path) if text is None else load_source(Source(path=path, text=text))
    problems = list(loaded.diagnostics)
    if loaded.program is None:
        return None, problems, loaded.fatal
    problems += validate(loaded.program)
    if has_errors(problems):
        return None, problems, loaded.fatal
    placed = place(loaded.program, netns=netns, prefix=prefix)
    placing = placement_problems(placed, netns=netns, prefix=prefix)
    if placing:  # --netns / --netns-prefix that ip netns add would refuse: usage
        return None, problems + placing, True
    return placed, problems, False


def kernel_errors() -> tuple[type[BaseException], ...]:
    """The exceptions that mean the live state could not be read (or locked)."""
    from .backends.netlink.kernel import KernelError
    from .backends.netlink.lock import LockError
    from .frontends.kernel import NamespaceMissing, NetlinkError

    return (LockError, NamespaceMissing, NetlinkError, KernelError, OSError)


def unreadable(error: BaseException) -> Diagnostic:
    """The diagnostic for one of :func:`kernel_errors`."""
    from .backends.netlink.lock import LockError
    from .frontends.kernel import NamespaceMissing

    if isinstance(error, LockError):
        return diag("NS513", str(error), None)
    if isinstance(error, NamespaceMissing):
        return diag("NS501", str(error), None, hint=f"create it first (ip netns add {error.name})")
    describe = getattr(error, "describe", None)
    text = describe() if describe else (getattr(error, "strerror", None) or str(error))
    return diag("NS509", f"cannot read the live state: {text}", None, hint="netscript needs root")


# -- plan -----------------------------------------------------------------


def refusals(plan, *, no_disrupt: bool = False, force: bool = False) -> list[Diagnostic]:
    """What ``apply`` with these options would refuse in ``plan`` (errors, as apply reports them)."""
    from .backends.netlink import guard

    return list(guard.refusals(plan.steps, plan.state, no_disrupt=no_disrupt, force=force))


def plan_document(spec: str, netns: str | None, plan, diagnostics, refused=()) -> dict:
    """The document `netscript plan --format json` prints. ``plan`` None: none could be made."""
    steps = list(plan.steps) if plan is not None else []
    return {
        "format": FORMAT,
        "command": "plan",
        "spec": spec,
        "netns": netns,
        "ok": plan is not None and not has_errors(diagnostics),
        "changed": bool(steps),
        "steps": [step_data(step) for step in steps],
        "disrupting": sum(1 for s in steps if s.disrupts),
        "refusals": [d.as_dict() for d in refused],
        "diagnostics": [d.as_dict() for d in _ordered(diagnostics)],
    }


def plan(
    path: str,
    *,
    text: str | None = None,
    netns: str | None = None,
    netns_prefix: str = "",
    prune: bool = False,
    no_disrupt: bool = False,
    force: bool = False,
) -> dict:
    """What applying the spec would change, as :func:`plan_document`; nothing is touched."""
    from .backends import netlink

    program, problems, _ = load(path, text=text, netns=netns, prefix=netns_prefix)
    if program is None:
        return plan_document(path, netns, None, problems)
    try:
        made = netlink.make_plan(program, prune=prune)
    except kernel_errors() as e:
        return plan_document(path, netns, None, [*problems, unreadable(e)])
    problems += made.problems
    if has_errors(made.problems):
        return plan_document(path, netns, None, problems)
    return plan_document(path, netns, made, problems, refusals(made, no_disrupt=no_disrupt, force=force))


def step_data(step) -> dict:
    """A step as the plan lists it, and ``changes``: what it changes, attribute by attribute.

    ``differences`` are the settings a modify step sets; ``changes`` also
    says what a step that makes or takes away something whole changes
    (``exists``, ``address``, ``master``, ``namespace``), the words apply uses
    when its read-back disagrees.
    """
    from .backends.netlink.session import step_differences

    return {**step.as_dict(), "changes": [d.as_dict() for d in step_differences(step)]}


# -- apply ----------------------------------------------------------------


def apply_document(spec: str, netns: str | None, result, diagnostics) -> dict:
    """The document `netscript apply --format json` prints. ``result`` None: apply never started."""
    planned = list(result.plan.steps) if result is not None and result.plan is not None else []
    applied = list(result.done) if result is not None else []
    ok = result is not None and not has_errors(diagnostics)
    return {
        "format": FORMAT,
        "command": "apply",
        "spec": spec,
        "netns": netns,
        "ok": ok,
        # the kernel was changed and the change kept: a rolled-back apply changed nothing
        "changed": ok and bool(applied),
        "planned": [step_data(step) for step in planned],
        "applied": [step_data(step) for step in applied],
        "rolled_back": bool(result and result.rolled_back),
        "requests": result.requests if result is not None else 0,
        "interrupted": result.interrupted.name if result is not None and result.interrupted else None,
        "diagnostics": [_with_step(d, planned) for d in _ordered(diagnostics)],
    }


def apply(
    path: str,
    *,
    text: str | None = None,
    netns: str | None = None,
    netns_prefix: str = "",
    prune: bool = False,
    no_disrupt: bool = False,
    force: bool = False,
    wait: float | None = None,
    on_wait=None,
) -> dict:
    """Make the kernel match the spec, or leave it as it was, as :func:`apply_document`."""
    from .backends import netlink

    program, problems, _ = load(path, text=text, netns=netns, prefix=netns_prefix)
    if program is None:
        return apply_document(path, netns, None, problems)
    try:
        result = netlink.apply(program, prune=prune, no_disrupt=no_disrupt, force=force, on_wait=on_wait, wait=wait)
    except kernel_errors() as e:
        return apply_document(path, netns, None, [*problems, unreadable(e)])
    return apply_document(path, netns, result, problems + result.problems)


# A failed step's diagnostic (NS503, made by the netlink session) reads
# "step N of M, TITLE[ in namespace NS]: KERNEL ERROR; WHAT WAS UNDONE".
_FAILED_STEP = re.compile(r"step (\d+) of \d+, ")
_UNDONE = re.compile(r"; (?:the \d+ change\(s\) made were undone|nothing had been changed|undoing the \d+ change\(s\)).*$")


def _with_step(d: Diagnostic, planned) -> dict:
    """A diagnostic as data; a failed step's also names the step (as in the plan) and the kernel's error."""
    out = d.as_dict()
    found = _FAILED_STEP.match(d.message) if d.code == "NS503" else None
    if found is None or not 0 < int(found.group(1)) <= len(planned):
        return out
    number = int(found.group(1))
    step = planned[number - 1]
    out["step"] = {"number": number, **step_data(step)}
    reason = d.message[found.end():]
    title_end = reason.find(": ", len(step.title))
    if title_end >= 0:
        out["kernel_error"] = _UNDONE.sub("", reason[title_end + 2:])
    return out


def _ordered(diagnostics) -> list[Diagnostic]:
    from .diagnostics import sort_key

    return sorted(diagnostics, key=sort_key)


# -- export ---------------------------------------------------------------


def export(netns: str | None = None, *, netns_prefix: str = "", all_netns: bool = False) -> dict:
    """The live state: the spec text `netscript export` prints, and the same links as data.

    Links of the namespace read (``netns``, else this one) are under
    ``links``; those of the other namespaces written (``all_netns``, or
    named ``netns_prefix``*) under ``namespaces[NAME]["links"]``, NAME
    without the prefix, as the spec declares them.
    """
    from .backends.dsl import print_program
    from .frontends import kernel

    also = kernel.export_namespaces(netns, all_netns, netns_prefix)
    document: dict = {"format": FORMAT, "command": "export", "netns": netns, "ok": False, "spec": "", "links": [],
                      "namespaces": {}, "diagnostics": []}
    try:
        state = kernel.read([netns, *also])
        program = kernel.export(state, netns, also, netns_prefix)
    except kernel_errors() as e:
        document["diagnostics"] = [unreadable(e).as_dict()]
        return document
    document["ok"] = True
    document["spec"] = print_program(program)
    for link in program.links:
        entry = link_data(link)
        where = document["links"] if link.netns is None else document["namespaces"].setdefault(link.netns, {"links": []})["links"]
        where.append(entry)
    for ns in program.namespaces:
        document["namespaces"].setdefault(ns.name, {"links": []})
    document["diagnostics"] = [
        diag("NS511", f"{o.text}: {o.reason}", None).as_dict() for o in program.opaque
    ]
    return document


def link_data(link) -> dict:
    """One link as plain data: the settings a spec gives it, in the DSL's own keys."""
    from .ir.model import option_items

    out: dict = {"name": link.name, "kind": link.kind.value}
    if link.parent is not None:
        out["link"] = link.parent.name if link.parent.netns is None else f"{link.parent.name}@{link.parent.netns}"
    for key, value, _ in option_items(link.options):
        out.setdefault("options", {})[key] = _plain(value)
    for name, value in (("mtu", link.mtu), ("txqueuelen", link.txqueuelen), ("mac", link.mac)):
        if value is not None:
            out[name] = value
    if link.state is not None:
        out["state"] = link.state.value
    if link.addresses:
        out["addresses"] = [a.cidr for a in link.addresses]
    if link.ports:
        out["ports"] = [_port(p) for p in link.ports]
    if link.peer is not None:
        out["peer"] = link_data(link.peer)
        if link.peer.netns is not None:
            out["peer"]["netns"] = link.peer.netns
    return out


def _port(port) -> dict:
    from .ir.model import option_items

    out: dict = {"name": port.name}
    for key, value, _ in option_items(port.options):
        out.setdefault("options", {})[key] = _plain(value)
    return out


def _plain(value):
    """An option's value as JSON has it: enums by their word, tuples as lists."""
    import enum

    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    return str(value)


__all__ = ["FORMAT", "apply", "apply_document", "export", "load", "plan", "plan_document", "refusals"]
