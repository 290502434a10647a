"""macvlan and macvtap: several MAC addresses on one parent."""

from dataclasses import dataclass

from ..ir.model import LinkKind
from ..ir.values import Choice
from .spec import KindSpec, option

MODES = ("private", "vepa", "bridge", "passthru", "source")


@dataclass(frozen=True, slots=True, kw_only=True)
class MacvlanOptions:
    mode: str | None = option(Choice(MODES), kernel="mode", create_only=True, default="vepa")


MACVLAN = KindSpec(
    kind=LinkKind.MACVLAN,
    options=MacvlanOptions,
    ip_type="macvlan",
    parent="required",
    help="macvlan on a parent link.",
)

MACVTAP = KindSpec(
    kind=LinkKind.MACVTAP,
    options=MacvlanOptions,
    ip_type="macvtap",
    parent="required",
    help="macvtap: macvlan with a tap character device.",
)
