"""IPIP: IPv4 in IPv4 (RFC 2003) to one remote, optionally on a given underlay link.
A layer-3 tunnel: no MAC address, no bridge ports."""

from dataclasses import dataclass

from ..ir.model import LinkKind
from ..ir.values import Flag, Int, IPAddress
from ..netlink.attrs import Attr
from .spec import KindSpec, Netplan, Networkd, option

IPIP = LinkKind.define("ipip")


# As for GRE, the kernel resets what a changelink request leaves out: all create-only.
@dataclass(frozen=True, slots=True, kw_only=True)
class IpipOptions:
    remote: str | None = option(
        IPAddress(4),
        kernel="remote",
        netlink=Attr("IFLA_IPIP_REMOTE", 3, "ip4"),
        create_only=True,
    )
    local: str | None = option(
        IPAddress(4),
        kernel="local",
        netlink=Attr("IFLA_IPIP_LOCAL", 2, "ip4"),
        create_only=True,
    )
    ttl: int | None = option(
        Int(0, 255),
        kernel="ttl",
        netlink=Attr("IFLA_IPIP_TTL", 4, "u8"),
        create_only=True,
        default=0,
    )
    pmtudisc: bool | None = option(
        Flag("noprefix"),
        kernel="pmtudisc",
        netlink=Attr("IFLA_IPIP_PMTUDISC", 10, "bool8"),
        create_only=True,
        default=True,
    )


SPEC = KindSpec(
    kind=IPIP,
    options=IpipOptions,
    ip_type="ipip",
    netplan=Netplan(
        "tunnels", mode="ipip", keys={"remote": "remote", "local": "local", "ttl": "ttl"},
        required=("local", "remote"),  # netplan 0.106 makes GRE and IPIP tunnels independent: no `link`
    ),
    networkd=Networkd("ipip", "Tunnel", keys={"remote": "Remote", "local": "Local", "ttl": "TTL", "pmtudisc": "DiscoverPathMTU"}, parent_key="Tunnel", independent=True),
    parent="optional",
    parent_key="dev",
    parent_attr=Attr("IFLA_IPIP_LINK", 1, "u32"),
    link_layer_address=False,
    create_with={"pmtudisc": True},  # what `ip link add` sends unless told nopmtudisc
    default_mtu=lambda options, lower, ports: (
        (lower or 1500) - 20
    ),  # the outer IPv4 header
    fallback_device="tunl0",
    identity=("remote", "local"),
    probe=("type", "ipip", "remote", "192.0.2.1"),
    ip_other={
        "tos": 1,
        "tclass": 1,
        "dsfield": 1,
        "mode": 1,
        "fwmark": 1,
        "encap": 1,
        "encap-sport": 1,
        "encap-dport": 1,
        "encap-csum": 0,
        "noencap-csum": 0,
        "encap-remcsum": 0,
        "noencap-remcsum": 0,
        "external": 0,
        "encaplimit": 1,
        "6rd-prefix": 1,
        "6rd-relay_prefix": 1,
        "6rd-reset": 0,
        "isatap": 0,
    },
    help="IPv4 in IPv4: `ipip NAME remote ADDRESS [local ADDRESS] [ttl N] [dev LINK]`.",
)
