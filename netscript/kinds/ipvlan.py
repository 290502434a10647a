"""ipvlan: several links sharing the parent's MAC address."""

from dataclasses import dataclass

from ..ir.model import LinkKind
from ..ir.values import Choice
from .spec import KindSpec, option


@dataclass(frozen=True, slots=True, kw_only=True)
class IpvlanOptions:
    mode: str | None = option(Choice(("l2", "l3", "l3s")), kernel="mode", create_only=True, default="l3")
    flag: str | None = option(Choice(("bridge", "private", "vepa")), ip="", create_only=True, default="bridge")  # `mode l2 bridge`


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
    parent="required",
    help="ipvlan on a parent link (needs the `ipvlan` module).",
)
