"""tun and tap devices, made persistent so they outlive the script."""

from dataclasses import dataclass

from ..ir.model import LinkKind
from ..ir.values import Flag, Word
from .spec import KindSpec, option


@dataclass(frozen=True, slots=True, kw_only=True)
class TunTapOptions:
    user: str | None = option(Word(), create_only=True)
    group: str | None = option(Word(), create_only=True)
    multi_queue: bool | None = option(Flag("present"), kernel="multi_queue", create_only=True, default=False)
    vnet_hdr: bool | None = option(Flag("present"), kernel="vnet_hdr", create_only=True, default=False)
    pi: bool | None = option(Flag("present"), kernel="pi", create_only=True, default=False)


TAP = KindSpec(kind=LinkKind.TAP, options=TunTapOptions, help="Persistent tap device (layer 2).")
TUN = KindSpec(
    kind=LinkKind.TUN,
    options=TunTapOptions,
    link_layer_address=False,
    help="Persistent tun device (layer 3).",
)
