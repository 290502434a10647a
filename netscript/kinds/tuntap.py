"""tun and tap devices, made persistent so they outlive the script."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypedDict

from ..ir.model import LinkKind
from ..ir.values import Flag, Word
from ..netlink.attrs import Attr
from .spec import KindSpec, Networkd, option


@dataclass(frozen=True, slots=True, kw_only=True)
class TunTapOptions:
    user: str | None = option(Word(), create_only=True)
    group: str | None = option(Word(), create_only=True)
    multi_queue: bool | None = option(
        Flag("present"), kernel="multi_queue", netlink=Attr("IFLA_TUN_MULTI_QUEUE", 7, "bool8"), create_only=True, default=False
    )
    vnet_hdr: bool | None = option(
        Flag("present"), kernel="vnet_hdr", netlink=Attr("IFLA_TUN_VNET_HDR", 5, "bool8"), create_only=True, default=False
    )
    pi: bool | None = option(Flag("present"), kernel="pi", netlink=Attr("IFLA_TUN_PI", 4, "bool8"), create_only=True, default=False)


# -- rtnetlink: tun/tap are made with ioctl(TUNSETIFF); these attributes are only read.
OWNER, GROUP, TYPE, NUM_QUEUES = (
    Attr("IFLA_TUN_OWNER", 1, "u32"),
    Attr("IFLA_TUN_GROUP", 2, "u32"),
    Attr("IFLA_TUN_TYPE", 3, "u8"),
    Attr("IFLA_TUN_NUM_QUEUES", 8, "u32"),
)
NOBODY = 0xFFFFFFFF  # no owner (INVALID_UID / INVALID_GID)
TUN_TYPES = {1: "tun", 2: "tap"}


def _uid_name(uid: int) -> str:
    import pwd

    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _gid_name(gid: int) -> str:
    import grp

    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def decode_netlink(data: dict, name_of) -> dict:
    out = {}
    if OWNER.number in data and OWNER.decode(data[OWNER.number]) != NOBODY:
        out["user"] = _uid_name(OWNER.decode(data[OWNER.number]))
    if GROUP.number in data and GROUP.decode(data[GROUP.number]) != NOBODY:
        out["group"] = _gid_name(GROUP.decode(data[GROUP.number]))
    return out


def _type(data: dict) -> str:
    return TUN_TYPES.get(TYPE.decode(data[TYPE.number]) if TYPE.number in data else 2, "tap")


def in_use(data: dict, carrier: bool) -> bool:
    """Whether a process holds a tun/tap open (qemu, a VPN daemon): the driver turns the
    carrier on while a queue is attached, and counts a multi-queue device's queues."""
    queues = NUM_QUEUES.decode(data[NUM_QUEUES.number]) if NUM_QUEUES.number in data else 0
    return carrier or queues > 0


class _TunDriver(TypedDict):
    """What tun and tap share: one driver, so one IFLA_INFO_KIND and one set of attributes."""

    info_kind: str
    netlink_attrs: tuple[Attr, ...]
    decode_netlink: Callable[..., dict]
    in_use: Callable[[dict, bool], bool]


_NETLINK: _TunDriver = {
    "info_kind": "tun",
    "netlink_attrs": (OWNER, GROUP, TYPE, NUM_QUEUES),
    "decode_netlink": decode_netlink,
    "in_use": in_use,
}

_NETWORKD_KEYS = {"user": "User", "group": "Group", "multi_queue": "MultiQueue", "vnet_hdr": "VNetHeader", "pi": "PacketInfo"}

TAP = KindSpec(
    kind=LinkKind.TAP,
    networkd=Networkd("tap", "Tap", keys=_NETWORKD_KEYS),
    options=TunTapOptions,
    matches=lambda data: _type(data) == "tap",
    bridge_port_cost=2,
    help="Persistent tap device (layer 2).",
    **_NETLINK,
)
TUN = KindSpec(
    kind=LinkKind.TUN,
    networkd=Networkd("tun", "Tun", keys=_NETWORKD_KEYS),
    options=TunTapOptions,
    matches=lambda data: _type(data) == "tun",
    default_txqueuelen=500,
    **_NETLINK,
    link_layer_address=False,
    help="Persistent tun device (layer 3).",
)
