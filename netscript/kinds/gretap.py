"""GRE tap: ethernet over GRE (IPv4) to one remote, optionally on a given underlay link."""

import ipaddress
from dataclasses import dataclass

from ..ir.model import LinkKind
from ..ir.values import Flag, Int, IPAddress
from ..netlink.attrs import Attr
from .spec import KindSpec, Netplan, Networkd, option

GRETAP = LinkKind.define("gretap")


@dataclass(frozen=True)
class Key(Int):
    """A GRE key: a number (or a dotted quad, as iproute2 also takes), shown as a dotted quad by `ip -j`."""

    def parse(self, text: str) -> int:
        if text.count(".") == 3:
            try:
                return int(ipaddress.IPv4Address(text))
            except ValueError:
                raise ValueError(f"{text!r} is not a GRE key") from None
        return super().parse(text)

    def kernel_json(self, value: int):
        return str(ipaddress.IPv4Address(value))

    def from_kernel(self, raw) -> int:
        return self.parse(str(raw))


# The kernel resets every setting a changelink request leaves out (iproute2 reads the link
# first and sends them all): every setting is create-only, and a change re-creates the link.
@dataclass(frozen=True, slots=True, kw_only=True)
class GretapOptions:
    remote: str | None = option(
        IPAddress(4),
        kernel="remote",
        netlink=Attr("IFLA_GRE_REMOTE", 7, "ip4"),
        create_only=True,
    )
    local: str | None = option(
        IPAddress(4),
        kernel="local",
        netlink=Attr("IFLA_GRE_LOCAL", 6, "ip4"),
        create_only=True,
    )
    ttl: int | None = option(
        Int(0, 255),
        kernel="ttl",
        netlink=Attr("IFLA_GRE_TTL", 8, "u8"),
        create_only=True,
        default=0,
    )
    key: int | None = option(
        Key(0, 2**32 - 1), kernel="ikey", create_only=True
    )  # both directions
    pmtudisc: bool | None = option(
        Flag("noprefix"),
        kernel="pmtudisc",
        netlink=Attr("IFLA_GRE_PMTUDISC", 10, "bool8"),
        create_only=True,
        default=True,
    )


# -- rtnetlink: a key is a value per direction plus the KEY bit in that direction's flags
LINK = Attr("IFLA_GRE_LINK", 1, "u32")
IFLAGS, OFLAGS = Attr("IFLA_GRE_IFLAGS", 2, "be16"), Attr("IFLA_GRE_OFLAGS", 3, "be16")
IKEY, OKEY = Attr("IFLA_GRE_IKEY", 4, "be32"), Attr("IFLA_GRE_OKEY", 5, "be32")
GRE_KEY = 0x2000


def encode_netlink(values: dict, index_of) -> list:
    if "key" not in values:
        return []
    return [
        (IFLAGS.name, GRE_KEY),
        (OFLAGS.name, GRE_KEY),
        (IKEY.name, values["key"]),
        (OKEY.name, values["key"]),
    ]


def decode_netlink(data: dict, name_of) -> dict:
    if (
        IFLAGS.number in data
        and IFLAGS.decode(data[IFLAGS.number]) & GRE_KEY
        and IKEY.number in data
    ):
        return {"key": IKEY.decode(data[IKEY.number])}
    return {}


def default_mtu(options, lower, ports) -> int:
    """Outer IPv4 (20), GRE (4, and 4 more with a key) and the inner ethernet header (14)."""
    key = 4 if options is not None and options.key is not None else 0
    return (lower or 1500) - 38 - key


SPEC = KindSpec(
    kind=GRETAP,
    options=GretapOptions,
    ip_type="gretap",
    netplan=Netplan(
        "tunnels", mode="gretap", keys={"remote": "remote", "local": "local", "ttl": "ttl", "key": "keys"},
        required=("local", "remote"),  # netplan 0.106 makes GRE and IPIP tunnels independent: no `link`
    ),
    networkd=Networkd("gretap", "Tunnel", keys={"remote": "Remote", "local": "Local", "ttl": "TTL", "key": "Key", "pmtudisc": "DiscoverPathMTU"}, parent_key="Tunnel", independent=True),
    parent="optional",
    parent_key="dev",
    parent_attr=LINK,
    netlink_attrs=(IFLAGS, OFLAGS, IKEY, OKEY),
    encode_netlink=encode_netlink,
    decode_netlink=decode_netlink,
    create_with={"pmtudisc": True},  # what `ip link add` sends unless told nopmtudisc
    default_mtu=default_mtu,
    fallback_device="gretap0",
    identity=("remote", "local", "key"),
    probe=("type", "gretap", "remote", "192.0.2.1"),
    ip_aliases={"ikey": "key", "okey": "key"},
    ip_other={
        "tos": 1,
        "tclass": 1,
        "dsfield": 1,
        "iseq": 0,
        "oseq": 0,
        "seq": 0,
        "icsum": 0,
        "ocsum": 0,
        "csum": 0,
        "ignore-df": 0,
        "noignore-df": 0,
        "fwmark": 1,
        "encap": 1,
        "encap-sport": 1,
        "encap-dport": 1,
        "encap-csum": 0,
        "noencap-csum": 0,
        "encap-remcsum": 0,
        "noencap-remcsum": 0,
        "external": 0,
        "erspan_ver": 1,
    },
    help="Ethernet over GRE: `gretap NAME remote ADDRESS [local ADDRESS] [key KEY] [dev LINK]`.",
)
