"""ipvlan: several links sharing the parent's MAC address."""

from dataclasses import dataclass

from ..ir.model import LinkKind
from ..ir.values import Choice
from ..netlink.attrs import Attr, enum
from .spec import KindSpec, Networkd, option, same_as_lower


@dataclass(frozen=True, slots=True, kw_only=True)
class IpvlanOptions:
    mode: str | None = option(
        Choice(("l2", "l3", "l3s")), kernel="mode", netlink=Attr("IFLA_IPVLAN_MODE", 1, "u16", enum("l2", "l3", "l3s")),
        create_only=True, default="l3",
    )
    flag: str | None = option(  # `mode l2 bridge`
        Choice(("bridge", "private", "vepa")), ip="", netlink=Attr("IFLA_IPVLAN_FLAGS", 2, "u16", enum("bridge", "private", "vepa")),
        create_only=True, default="bridge",
    )


# The kernel keeps one mode and one flag per parent, shared by all its ipvlans:
# creating an ipvlan sets them for its siblings too (validation: NS225). Its
# defaults (l3, bridge) are what `ip link add` gets when it names none.


def flag_pattern(flag: str) -> str:
    """How `ip -d -j link` shows the flag: a key of its own (`"private":true`), not a value."""
    return f'"{flag}":true'


SPEC = KindSpec(
    kind=LinkKind.IPVLAN,
    options=IpvlanOptions,
    ip_type="ipvlan",
    networkd=Networkd(
        "ipvlan", "IPVLAN", keys={"mode": "Mode", "flag": "Flags"},
        words={"mode": {"l2": "L2", "l3": "L3", "l3s": "L3S"}}, parent_key="IPVLAN",
    ),
    parent="required",
    default_mtu=same_as_lower,
    help="ipvlan on a parent link (needs the `ipvlan` module).",
)
