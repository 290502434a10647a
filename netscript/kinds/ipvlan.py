"""ipvlan: several links sharing the parent's MAC address."""

from dataclasses import dataclass

from ..ir.model import LinkKind
from ..ir.values import Choice
from .spec import KindSpec, option


@dataclass(frozen=True, slots=True, kw_only=True)
class IpvlanOptions:
    mode: str | None = option(Choice(("l2", "l3", "l3s")), kernel="mode", create_only=True)
    flag: str | None = option(Choice(("bridge", "private", "vepa")), ip="", create_only=True)  # `mode l2 bridge`


SPEC = KindSpec(
    kind=LinkKind.IPVLAN,
    options=IpvlanOptions,
    ip_type="ipvlan",
    parent="required",
    help="ipvlan on a parent link (needs the `ipvlan` module).",
)
