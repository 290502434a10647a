"""802.1Q / 802.1ad VLAN on a parent link."""

from dataclasses import dataclass

from ..ir.model import LinkKind
from ..ir.values import Choice, Flag, Int, QosMap
from .spec import KindSpec, option


@dataclass(frozen=True, slots=True, kw_only=True)
class VlanOptions:
    id: int | None = option(Int(0, 4094), kernel="id", create_only=True)
    protocol: str | None = option(
        Choice(("802.1Q", "802.1ad"), (("802.1q", "802.1Q"), ("802.1AD", "802.1ad"))),
        kernel="protocol",
        create_only=True,
        default="802.1Q",
    )
    reorder_hdr: bool | None = option(Flag(), default=True)
    gvrp: bool | None = option(Flag(), default=False)
    mvrp: bool | None = option(Flag(), default=False)
    loose_binding: bool | None = option(Flag(), default=False)
    bridge_binding: bool | None = option(Flag(), default=False)
    egress_qos_map: tuple | None = option(QosMap(), key="egress-qos-map")
    # ingress maps a VLAN priority (0-7) to a socket priority: the other way round
    ingress_qos_map: tuple | None = option(QosMap(from_high=7, to_high=2**32 - 1), key="ingress-qos-map")


# The vlan flags as `ip -d -j link` lists them in info_data.flags.
FLAG_NAMES = {
    "reorder_hdr": "REORDER_HDR",
    "gvrp": "GVRP",
    "loose_binding": "LOOSE_BINDING",
    "mvrp": "MVRP",
    "bridge_binding": "BRIDGE_BINDING",
}

SPEC = KindSpec(
    kind=LinkKind.VLAN,
    options=VlanOptions,
    ip_type="vlan",
    parent="required",
    required=("id",),
    # iproute2 matches the QoS maps by prefix; the kernel's own docs write `egress 0:0 ...`
    ip_aliases={"egress": "egress-qos-map", "ingress": "ingress-qos-map"},
    help="VLAN sub-interface (needs the `8021q` module).",
)
