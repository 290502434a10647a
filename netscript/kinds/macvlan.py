"""macvlan and macvtap: several MAC addresses on one parent."""

from dataclasses import dataclass

from ..ir.model import LinkKind
from ..ir.values import Choice
from .spec import KindSpec, option

MODES = ("private", "vepa", "bridge", "passthru", "source")
# `macaddr` takes a sub-command and addresses (mode source): a spec has no place for it
IP_OTHER = {"flag": 1, "bcqueuelen": 1, "macaddr": 1}


@dataclass(frozen=True, slots=True, kw_only=True)
class MacvlanOptions:
    mode: str | None = option(Choice(MODES), kernel="mode", create_only=True, default="vepa")


MACVLAN = KindSpec(
    kind=LinkKind.MACVLAN,
    options=MacvlanOptions,
    ip_type="macvlan",
    parent="required",
    ip_other=IP_OTHER,
    help="macvlan on a parent link.",
)

MACVTAP = KindSpec(
    kind=LinkKind.MACVTAP,
    options=MacvlanOptions,
    ip_type="macvtap",
    parent="required",
    ip_other=IP_OTHER,
    help="macvtap: macvlan with a tap character device.",
)
