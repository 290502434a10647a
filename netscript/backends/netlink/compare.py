"""Spec against live, attribute by attribute: the one comparison that planning and verifying share.

Only what the spec says is compared: a setting the spec leaves out (None)
is whatever the kernel has. Each function returns
:class:`~.steps.Difference` records naming link, attribute, wanted and actual.
"""

from __future__ import annotations

import ipaddress

from ... import kinds
from ...frontends.kernel.state import Observed
from ...ir.model import Link, LinkKind, Port
from ...ir.values import Centiseconds
from ...kinds.spec import COMMON_SETTINGS, setting_of
from ...netlink import schema
from ...plan import LATE_OPTIONS
from .steps import Difference, fields_of


def _diff(spec: Link, attribute, wanted, actual) -> Difference:
    return Difference(spec.netns, spec.name, attribute, wanted, actual)


def kind_matches(spec: Link, live: Observed) -> bool:
    """A physical link in the spec is anything that exists; otherwise the kinds must agree."""
    return spec.kind is LinkKind.PHYSICAL or (live.known and live.link.kind is spec.kind)


def _owner(field: str, value) -> str:
    """A tun/tap owner as a name, whichever way it was written."""
    import grp
    import pwd

    if isinstance(value, str) and value.isdigit():
        try:
            return (pwd.getpwuid if field == "user" else grp.getgrgid)(int(value))[0]
        except KeyError:
            return value
    return value


def _same(field: str, wanted, actual, codec=None) -> bool:
    if field in ("user", "group"):
        return _owner(field, wanted) == _owner(field, actual)
    if isinstance(codec, Centiseconds) and isinstance(actual, int):
        # the kernel keeps bridge timers in jiffies: 2.5 s can come back as 249 cs
        return abs(wanted - actual) <= 1
    return schema.same_value(field, wanted, actual)


def option_differences(spec: Link, live: Observed, *, create_only: bool) -> list[Difference]:
    """Kind settings that differ: the create-only ones, or the ones changeable in place."""
    if spec.options is None or spec.kind is LinkKind.PHYSICAL:
        return []
    live_options = live.link.options
    late = LATE_OPTIONS.get(spec.kind, ())
    out = []
    for f in fields_of(spec.options):
        wanted = getattr(spec.options, f.name)
        setting = setting_of(f)
        if wanted is None or setting is None:
            continue
        if bool(setting.create_only) != create_only or f.name in late:
            continue
        actual = getattr(live_options, f.name, None) if live_options is not None else None
        if actual is None and f.name in kinds.spec(spec.kind).transient and live.index:
            continue  # the kernel shows a passing value just now, not the configured one
        if not _same(f.name, wanted, actual, setting.codec):
            out.append(_diff(spec, setting.key or f.name, wanted, actual))
    return out


def late_differences(spec: Link, live: Observed) -> list[Difference]:
    out = []
    for name in LATE_OPTIONS.get(spec.kind, ()):
        wanted = getattr(spec.options, name, None)
        actual = getattr(live.link.options, name, None) if live.link.options is not None else None
        if wanted is not None and wanted != actual:
            out.append(_diff(spec, name, wanted, actual))
    return out


def common_differences(spec: Link, live: Observed) -> list[Difference]:
    out = []
    for key in COMMON_SETTINGS:
        wanted = getattr(spec, key)
        actual = getattr(live.link, key)
        if wanted is not None and not schema.same_value(key, wanted, actual):
            out.append(_diff(spec, key, wanted, actual))
    return out


def parent_difference(spec: Link, parent_key, live: Observed) -> Difference | None:
    """The lower device, when the spec's (resolved) parent is not the live one."""
    if parent_key is None or spec.kind is LinkKind.PHYSICAL:
        return None
    actual = live.link.parent
    actual_key = (actual.netns, actual.name) if actual is not None else None
    if actual_key != tuple(parent_key):
        wanted = f"{parent_key[1]}@{parent_key[0]}" if parent_key[0] else parent_key[1]
        shown = None if actual is None else (f"{actual.name}@{actual.netns}" if actual.netns else actual.name)
        return _diff(spec, kinds.spec(spec.kind).parent_key, wanted, shown)
    return None


def peer_difference(spec: Link, peer_name: str | None, live: Observed) -> Difference | None:
    """A veth whose other end has another name: the pair must be made again."""
    if peer_name is None:
        return None
    actual = live.peer.name if live.peer is not None else None
    return None if actual == peer_name else _diff(spec, "peer", peer_name, actual)


def master_difference(spec: Link, master: str | None, live: Observed) -> Difference | None:
    if master is not None and live.master != master:
        return _diff(spec, "master", master, live.master)
    return None


def port_differences(port: Port, port_link: Link, live: Observed) -> list[Difference]:
    if port.options is None:
        return []
    out = []
    for f in fields_of(port.options):
        wanted = getattr(port.options, f.name)
        if wanted is None:
            continue
        actual = getattr(live.port_options, f.name, None) if live.port_options is not None else None
        if not schema.same_value(f.name, wanted, actual):
            setting = setting_of(f)
            out.append(_diff(port_link, f"port {setting.key if setting is not None and setting.key else f.name}", wanted, actual))
    return out


def _interface(cidr: str):
    try:
        return ipaddress.ip_interface(cidr)
    except ValueError:
        return cidr


def address_differences(spec: Link, live: Observed, *, prune: bool) -> tuple[list[str], list[str]]:
    """(addresses to add, addresses to remove); removal only when pruning."""
    if not spec.addresses and not (prune and live.link.addresses):
        return [], []  # the common case, and parsing every link-local address costs
    have = {_interface(c): c for c in [a.cidr for a in live.link.addresses] + list(live.link_local)}
    want = [a.cidr for a in spec.addresses]
    wanted = {_interface(c) for c in want}
    missing = [c for c in want if _interface(c) not in have]
    extra = [c for i, c in have.items() if i not in wanted and c not in live.link_local] if prune else []
    return missing, extra


def state_difference(spec: Link, live: Observed) -> Difference | None:
    if spec.state is not None and spec.state is not live.link.state:
        return _diff(spec, "state", spec.state, live.link.state)
    return None
