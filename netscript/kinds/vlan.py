"""802.1Q / 802.1ad VLAN on a parent link."""

import struct
from dataclasses import dataclass

from ..ir.model import LinkKind
from ..ir.values import Choice, Flag, Int, QosMap
from ..netlink.attrs import NESTED, Attr, Wire, attribute_list, u32
from .spec import KindSpec, Netplan, Networkd, option, same_as_lower


@dataclass(frozen=True, slots=True, kw_only=True)
class VlanOptions:
    id: int | None = option(Int(0, 4094), kernel="id", netlink=Attr("IFLA_VLAN_ID", 1, "u16"), create_only=True)
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

# -- rtnetlink: the flags share one attribute (value and mask), the protocol is big-endian,
# and each QoS map is a list of (from, to) pairs
FLAG_BITS = {"reorder_hdr": 0x1, "gvrp": 0x2, "loose_binding": 0x4, "mvrp": 0x8, "bridge_binding": 0x10}
PROTOCOLS = {0x8100: "802.1Q", 0x88A8: "802.1ad"}
_TWO_U32 = struct.Struct("=II")

FLAGS = Attr(
    "IFLA_VLAN_FLAGS", 2, Wire(lambda v: _TWO_U32.pack(v["flags"], v["mask"]), lambda p: u32(p[:4]))
)
EGRESS_QOS = Attr("IFLA_VLAN_EGRESS_QOS", 3, NESTED)
INGRESS_QOS = Attr("IFLA_VLAN_INGRESS_QOS", 4, NESTED)
PROTOCOL = Attr("IFLA_VLAN_PROTOCOL", 5, "be16")
QOS_MAPPING = Attr("IFLA_VLAN_QOS_MAPPING", 1, Wire(lambda v: _TWO_U32.pack(v["from"], v["to"]), bytes))
QOS_MAPS = (("egress_qos_map", EGRESS_QOS), ("ingress_qos_map", INGRESS_QOS))


def _qos(payload) -> tuple[tuple[int, int], ...]:
    pairs = []
    for kind, mapping in attribute_list(payload):
        if kind == QOS_MAPPING.number and len(mapping) >= 8:
            frm, to = _TWO_U32.unpack_from(mapping)
            if to:
                pairs.append((frm, to))
    return tuple(sorted(pairs))


def encode_netlink(values: dict, index_of) -> list:
    out: list = []
    if "protocol" in values:
        out.append((PROTOCOL.name, {v: k for k, v in PROTOCOLS.items()}[values["protocol"]]))
    mask = flags = 0
    for field, bit in FLAG_BITS.items():
        if field in values:
            mask |= bit
            flags |= bit if values[field] else 0
    if mask:
        out.append((FLAGS.name, {"flags": flags, "mask": mask}))
    for field, attr in QOS_MAPS:
        if field in values:
            mappings = [(QOS_MAPPING.name, {"from": a, "to": b}) for a, b in values[field]]
            out.append((attr.name, {"attrs": mappings}))
    return out


def decode_netlink(data: dict, name_of) -> dict:
    out: dict = {}
    if PROTOCOL.number in data:
        proto = PROTOCOL.decode(data[PROTOCOL.number])
        out["protocol"] = PROTOCOLS.get(proto, hex(proto))
    if FLAGS.number in data:
        flags = FLAGS.decode(data[FLAGS.number])
        for field, bit in FLAG_BITS.items():
            out[field] = bool(flags & bit)
    for field, attr in QOS_MAPS:
        if attr.number in data:
            out[field] = _qos(data[attr.number]) or None
    return out


SPEC = KindSpec(
    kind=LinkKind.VLAN,
    netlink_attrs=(FLAGS, EGRESS_QOS, INGRESS_QOS, PROTOCOL, QOS_MAPPING),
    encode_netlink=encode_netlink,
    decode_netlink=decode_netlink,
    default_mtu=same_as_lower,
    options=VlanOptions,
    ip_type="vlan",
    netplan=Netplan("vlans", keys={"id": "id"}, parent_key="link"),
    networkd=Networkd(
        "vlan",
        "VLAN",
        keys={
            "id": "Id", "protocol": "Protocol", "gvrp": "GVRP", "mvrp": "MVRP", "loose_binding": "LooseBinding",
            "reorder_hdr": "ReorderHeader", "egress_qos_map": "EgressQOSMaps", "ingress_qos_map": "IngressQOSMaps",
        },
        words={"protocol": {"802.1Q": "802.1q"}},
        parent_key="VLAN",
    ),
    probe=("type", "vlan", "id", "1"),
    parent="required",
    required=("id",),
    # iproute2 matches the QoS maps by prefix; the kernel's own docs write `egress 0:0 ...`
    ip_aliases={"egress": "egress-qos-map", "ingress": "ingress-qos-map"},
    help="VLAN sub-interface (needs the `8021q` module).",
)
