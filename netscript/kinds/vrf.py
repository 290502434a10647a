"""VRF: a routing table as a master device."""

from dataclasses import dataclass

from ..ir.model import LinkKind
from ..ir.values import Int
from ..netlink.attrs import Attr
from .spec import KindSpec, Netplan, Networkd, option


@dataclass(frozen=True, slots=True, kw_only=True)
class VrfPortOptions:
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class VrfOptions:
    table: int | None = option(Int(1, 2**32 - 1), kernel="table", netlink=Attr("IFLA_VRF_TABLE", 1, "u32"), create_only=True)


SPEC = KindSpec(
    kind=LinkKind.VRF,
    options=VrfOptions,
    port_options=VrfPortOptions,
    ip_type="vrf",
    required=("table",),
    netplan=Netplan("vrfs", keys={"table": "table"}),
    networkd=Networkd("vrf", "VRF", keys={"table": "Table"}, port_key="VRF"),
    default_mtu=lambda options, lower, ports: 65575,  # the largest IP packet plus its header
    probe=("type", "vrf", "table", "10"),
    help="VRF master (needs the `vrf` module); its ports are enslaved links.",
)
