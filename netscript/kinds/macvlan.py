"""macvlan and macvtap: several MAC addresses on one parent."""

from dataclasses import dataclass

from ..ir.model import LinkKind
from ..ir.values import Choice
from ..netlink.attrs import Attr
from .spec import KindSpec, Networkd, option, same_as_lower

MODES = ("private", "vepa", "bridge", "passthru", "source")
WORDS = ((1, "private"), (2, "vepa"), (4, "bridge"), (8, "passthru"), (16, "source"))  # bits
# `macaddr` takes a sub-command and addresses (mode source): a spec has no place for it
IP_OTHER = {"flag": 1, "bcqueuelen": 1, "macaddr": 1}


@dataclass(frozen=True, slots=True, kw_only=True)
class MacvlanOptions:
    mode: str | None = option(
        Choice(MODES), kernel="mode", netlink=Attr("IFLA_MACVLAN_MODE", 1, "u32", WORDS), create_only=True, default="vepa"
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class MacvtapOptions:
    # the same attribute, named IFLA_MACVTAP_MODE for macvtap (pyroute2 knows it only so)
    mode: str | None = option(
        Choice(MODES), kernel="mode", netlink=Attr("IFLA_MACVTAP_MODE", 1, "u32", WORDS), create_only=True, default="vepa"
    )


MACVLAN = KindSpec(
    kind=LinkKind.MACVLAN,
    options=MacvlanOptions,
    default_mtu=same_as_lower,
    ip_type="macvlan",
    networkd=Networkd("macvlan", "MACVLAN", keys={"mode": "Mode"}, parent_key="MACVLAN"),
    parent="required",
    ip_other=IP_OTHER,
    help="macvlan on a parent link.",
)

MACVTAP = KindSpec(
    kind=LinkKind.MACVTAP,
    options=MacvtapOptions,
    default_txqueuelen=500,
    default_mtu=same_as_lower,
    ip_type="macvtap",
    networkd=Networkd("macvtap", "MACVTAP", keys={"mode": "Mode"}, parent_key="MACVTAP"),
    parent="required",
    ip_other=IP_OTHER,
    help="macvtap: macvlan with a tap character device.",
)
