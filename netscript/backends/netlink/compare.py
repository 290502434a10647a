"""Spec against live, attribute by attribute: the one comparison that planning and verifying share.

Only what the spec says is compared: a setting the spec leaves out (None)
is whatever the kernel has. Which attributes a step compares, and the values
it wants, are the expectations of :mod:`..guards`, the ones the scripts test;
here they are evaluated on the live state. Each function returns
:class:`~.steps.Difference` records naming link, attribute, wanted and actual.
"""

from __future__ import annotations

from ... import kinds
from ...frontends.kernel.state import Observed
from ...ir.model import Link, LinkKind, Port, Program
from .. import guards
from ..guards import Expect, Held
from .steps import Difference


def _diff(spec: Link, attribute, wanted, actual) -> Difference:
    return Difference(spec.netns, spec.name, attribute, wanted, actual)


def kind_matches(spec: Link, live: Observed) -> bool:
    """A physical link in the spec is anything that exists; otherwise the kinds must agree."""
    return spec.kind is LinkKind.PHYSICAL or (live.known and live.link.kind is spec.kind)


def live_value(expect: Expect, live: Observed) -> object:
    """The value the kernel has for ``expect``'s attribute, as read back (None: it has none)."""
    match expect.held:
        case Held.LINK:
            return getattr(live.link, expect.field)
        case Held.KIND:
            return getattr(live.link.options, expect.field, None)
        case Held.PORT:
            return getattr(live.port_options, expect.field, None)
        case Held.MASTER:
            return live.master
        case Held.PARENT:
            lower = live.link.parent
            return None if lower is None else guards.link_text(lower.name, lower.netns)
        case Held.ADDRESSES:
            return held_addresses(live)
    raise ValueError(f"{expect.attribute}: the netlink backend reads it by itself")


def differences(spec: Link, expects: list[Expect], live: Observed) -> list[Difference]:
    """The expectations of ``spec`` the live link does not meet, in their order."""
    transient = kinds.spec(spec.kind).transient
    out = []
    for e in expects:
        actual = live_value(e, live)
        if actual is None and e.held is Held.KIND and e.field in transient and live.index:
            continue  # the kernel shows a passing value just now, not the configured one
        if not e.satisfied_by(actual):
            out.append(_diff(spec, e.attribute, e.wanted, actual))
    return out


def option_differences(spec: Link, live: Observed, *, create_only: bool) -> list[Difference]:
    """Kind settings that differ: the create-only ones, or the ones changeable in place."""
    if spec.kind is LinkKind.PHYSICAL:
        return []
    return differences(spec, guards.create_only(spec) if create_only else guards.mutable(spec), live)


def late_differences(spec: Link, live: Observed) -> list[Difference]:
    """Settings that name ports (a bond's primary)."""
    return differences(spec, guards.late(spec), live)


def common_differences(spec: Link, live: Observed) -> list[Difference]:
    """MTU, MAC and queue length."""
    return differences(spec, guards.common(spec), live)


def parent_difference(spec: Link, parent_key, live: Observed) -> Difference | None:
    """The lower device, when the spec's (resolved) parent is not the live one."""
    if parent_key is None or spec.kind is LinkKind.PHYSICAL:
        return None
    return next(iter(differences(spec, [guards.parent(spec, parent_key)], live)), None)


def peer_difference(spec: Link, peer_name: str | None, live: Observed) -> Difference | None:
    """A veth whose other end has another name: the pair must be made again."""
    if peer_name is None:
        return None
    actual = live.peer.name if live.peer is not None else None
    return None if actual == peer_name else _diff(spec, "peer", peer_name, actual)


def master_difference(spec: Link, master: Link, live: Observed) -> Difference | None:
    """The port's master, when it is not ``master``."""
    return next(iter(differences(spec, [guards.master(spec.name, master)], live)), None)


def port_differences(port: Port, master: Link, port_link: Link, live: Observed) -> list[Difference]:
    """A port's settings under its master that differ."""
    return differences(port_link, guards.port_settings(port, master), live)


def held_addresses(live: Observed) -> dict:
    """The live link's addresses, link-local ones included, each as :func:`..guards.interface` reads it."""
    return {guards.interface(c): c for c in [a.cidr for a in live.link.addresses] + list(live.link_local)}


def addresses_compared(program: Program, *, prune: bool) -> bool:
    """Whether any link's addresses can differ (else :func:`address_differences` finds none
    whatever the kernel holds, and a read-back need not read them)."""
    return prune or any(link.addresses for link in program.all_links())


def address_differences(spec: Link, live: Observed, *, prune: bool) -> tuple[list[str], list[str]]:
    """(addresses to add, addresses to remove); removal only when pruning."""
    if not spec.addresses and not (prune and live.link.addresses):
        return [], []  # the common case, and parsing every link-local address costs
    have = held_addresses(live)  # read once for all of the link's addresses
    expects = [guards.address(a.cidr) for a in spec.addresses]
    missing = [str(e.wanted) for e in expects if not e.satisfied_by(have)]
    if not prune:
        return missing, []
    wanted = {guards.interface(str(e.wanted)) for e in expects}
    return missing, [c for i, c in have.items() if i not in wanted and c not in live.link_local]


def state_difference(spec: Link, live: Observed) -> Difference | None:
    if spec.state is not None and spec.state is not live.link.state:
        return _diff(spec, "state", spec.state, live.link.state)
    return None
