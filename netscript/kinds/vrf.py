"""VRF: a routing table as a master device."""

from dataclasses import dataclass

from ..ir.model import LinkKind
from ..ir.values import Int
from .spec import KindSpec, option


@dataclass(frozen=True, slots=True, kw_only=True)
class VrfPortOptions:
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class VrfOptions:
    table: int | None = option(Int(1, 2**32 - 1), kernel="table", create_only=True)


SPEC = KindSpec(
    kind=LinkKind.VRF,
    options=VrfOptions,
    port_options=VrfPortOptions,
    ip_type="vrf",
    required=("table",),
    help="VRF master (needs the `vrf` module); its ports are enslaved links.",
)
