"""The registry of link kinds: one module per kind, one line here per kind."""

from ..ir.model import LinkKind
from . import (
    bond,
    bridge,
    geneve,
    gretap,
    ipip,
    ipvlan,
    macvlan,
    simple,
    team,
    tuntap,
    veth,
    vlan,
    vrf,
    vxlan,
)
from .spec import KindSpec, settings  # noqa: F401

KINDS: dict[LinkKind, KindSpec] = {
    spec.kind: spec
    for spec in (
        simple.PHYSICAL,
        bridge.SPEC,
        bond.SPEC,
        team.SPEC,
        vlan.SPEC,
        macvlan.MACVLAN,
        macvlan.MACVTAP,
        ipvlan.SPEC,
        veth.SPEC,
        tuntap.TAP,
        tuntap.TUN,
        simple.DUMMY,
        vxlan.SPEC,
        vrf.SPEC,
        geneve.SPEC,
        gretap.SPEC,
        ipip.SPEC,
    )
}


def spec(kind: LinkKind) -> KindSpec:
    return KINDS[kind]


def by_word(word: str) -> KindSpec | None:
    """The kind a DSL statement word names (`bridge`, `bond`...)."""
    try:
        return KINDS[LinkKind(word)]
    except ValueError:
        return None
