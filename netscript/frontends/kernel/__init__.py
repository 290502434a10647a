"""The live kernel as a frontend: network namespaces -> IR.

    from netscript.frontends import kernel
    state = kernel.read(["lab"])          # one dump of links, addresses, routes per namespace
    program = kernel.export(state, "lab") # the namespace as a spec (what `netscript export` prints)

:mod:`netscript.netlink` talks netlink (no pyroute2 on the read path) and
decodes each kind's settings from the kinds' own attribute schema;
:mod:`.snapshot` reads one namespace, :mod:`.routes` its routes, rules and
neighbours, :mod:`.state` builds IR links across namespaces and
:mod:`.program` turns them into a spec.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...netlink.rtnl import NamespaceMissing, NetlinkError  # noqa: F401
from .state import KernelState, Observed, read  # noqa: F401

if TYPE_CHECKING:
    from ...ir.model import Program


def export(state: KernelState, netns, also=(), prefix: str = "") -> Program:
    """The namespace ``netns`` of ``state`` as a spec's Program (:func:`.program.export`).

    Loaded when asked: plan and apply read the state without the exporter and
    the route reader it needs.
    """
    from .program import export as program_of

    return program_of(state, netns, also, prefix)


def export_namespaces(netns: str | None, all_netns: bool, netns_prefix: str) -> list[str]:
    """The namespaces `export` writes besides ``netns``: every named one (``all_netns``), or
    those whose name starts with ``netns_prefix``."""
    from ...netlink.rtnl import named_namespaces

    if not (all_netns or netns_prefix):
        return []
    return [n for n in named_namespaces() if n != netns and (all_netns or n.startswith(netns_prefix))]
