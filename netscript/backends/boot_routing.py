"""Where the boot-time outputs put routes, policy rules and sysctls, for networkd and netplan alike.

networkd (and netplan, which writes networkd's files) sets a route or a
policy rule as part of one link's configuration: a section of that link's
.network, applied when networkd configures the link. Both targets place
them by one rule, :func:`route_home`:

- a route goes with its device (its first nexthop's);
- a route with a gateway and no device goes with the link whose address's
  subnet holds the gateway, the link the kernel sends it through;
- what has no device at all (a blackhole, unreachable or prohibit route, a
  policy rule) goes with the loopback: ``lo``
  is up from the start in every namespace and never goes away, and the
  kernel itself files such routes under it (``ip -6 route`` says ``dev lo``).

A sysctl is said by a key of the link's configuration where the target has
one (:class:`SysctlKey`); each target keeps its own table of them.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from ..diagnostics import Span
from ..ir.model import Link, Program
from ..ir.routing import Route, RouteType, Sysctl

LOOPBACK = "lo"


def route_home(route: Route, links: Iterable[Link]) -> str | None:
    """The link whose configuration carries ``route`` (see the module's rule), None when there is none."""
    if route.devices:
        return route.devices[0]
    if route.type is not RouteType.UNICAST:
        return LOOPBACK
    gateways = [ipaddress.ip_address(nh.via) for nh in route.nexthops if nh.via is not None]
    for link in links:
        for address in link.addresses:
            subnet = ipaddress.ip_interface(address.cidr).network
            if any(gateway in subnet for gateway in gateways):
                return link.name
    return None


def elsewhere(program: Program) -> Iterator[tuple[str, str, Span | None]]:
    """(what, its namespace, where) for each route, rule, neighbour and sysctl the spec puts in another namespace:
    networkd configures only the namespace it runs in."""
    for route in program.routes:
        if route.netns is not None:
            yield f"route {route.dst}", route.netns, route.span
    for rule in program.rules:
        if rule.netns is not None:
            yield "a rule", rule.netns, rule.span
    for sysctl in program.sysctls:
        if sysctl.netns is not None:
            yield f"sysctl {sysctl.key}", sysctl.netns, sysctl.span
    for n in program.neighbours:
        if n.netns is not None:
            yield f"neigh {n.address}", n.netns, n.span


@dataclass(frozen=True)
class SysctlKey:
    """A per-interface sysctl as a target's key: ``values`` maps the kernel's values to the target's
    (None: a number, written as it is); ``why`` says why a value outside them cannot be said."""

    key: str
    values: Mapping[str, object] | None = None
    why: str | None = None

    def value(self, sysctl: Sysctl) -> object | None:
        """The target's value for ``sysctl``, or None when it has none."""
        if self.values is None:
            return int(sysctl.value) if sysctl.value.isdigit() else None
        return self.values.get(sysctl.value)


def interface_setting(sysctl: Sysctl) -> tuple[str, str] | None:
    """(family, setting) of a net.ipvX.conf.LINK.setting sysctl: ``("ipv6", "accept_ra")``."""
    if sysctl.link is None or sysctl.path[2] != "conf":
        return None
    return (sysctl.path[1], sysctl.path[4])


# Checked with networkd 252: a .network for lo gets its routes and rules, but none of its sysctl keys.
LOOPBACK_SYSCTLS = "networkd sets no sysctl for lo, whatever its .network says"

SYSCTL_D_HINT = "a sysctl.d(5) file can set it at boot: /etc/sysctl.d/60-netscript.conf with `{key} = {value}`"
