"""Geneve tunnel endpoint (RFC 8926): ethernet over UDP to one remote, like a
point-to-point vxlan with no learning and no multicast."""

import ipaddress
from dataclasses import dataclass

from ..ir.model import LinkKind
from ..ir.values import Int, IPAddress
from ..netlink.attrs import Attr
from .spec import KindSpec, Networkd, option

GENEVE = LinkKind.define("geneve")


# The kernel refuses to change a geneve's VNI, port or address family in place, and iproute2
# wants the VNI on every `ip link set ... type geneve`: every setting is create-only.
@dataclass(frozen=True, slots=True, kw_only=True)
class GeneveOptions:
    id: int | None = option(
        Int(0, 2**24 - 1),
        kernel="id",
        netlink=Attr("IFLA_GENEVE_ID", 1, "u32"),
        create_only=True,
    )
    remote: str | None = option(
        IPAddress(), kernel="remote", kernel_v6="remote6", create_only=True
    )
    ttl: int | None = option(
        Int(0, 255),
        kernel="ttl",
        netlink=Attr("IFLA_GENEVE_TTL", 3, "u8"),
        create_only=True,
        default=0,
    )
    dstport: int | None = option(
        Int(0, 65535),
        kernel="port",
        netlink=Attr("IFLA_GENEVE_PORT", 5, "be16"),
        create_only=True,
        default=6081,
    )


# -- rtnetlink: the remote has a v4 and a v6 attribute
REMOTE, REMOTE6 = (
    Attr("IFLA_GENEVE_REMOTE", 2, "ip4"),
    Attr("IFLA_GENEVE_REMOTE6", 7, "ip6"),
)


def encode_netlink(values: dict, index_of) -> list:
    if "remote" not in values:
        return []
    v6 = ipaddress.ip_address(values["remote"]).version == 6
    return [((REMOTE6 if v6 else REMOTE).name, values["remote"])]


def decode_netlink(data: dict, name_of) -> dict:
    raw = data.get(REMOTE.number) or data.get(REMOTE6.number)
    return {"remote": REMOTE.decode(raw)} if raw is not None else {}


SPEC = KindSpec(
    kind=GENEVE,
    options=GeneveOptions,
    ip_type="geneve",
    networkd=Networkd(
        "geneve", "GENEVE", keys={"id": "Id", "remote": "Remote", "ttl": "TTL", "dstport": "DestinationPort"}
    ),
    required=("id", "remote"),
    identity=("id", "remote", "dstport"),
    netlink_attrs=(REMOTE, REMOTE6),
    encode_netlink=encode_netlink,
    decode_netlink=decode_netlink,
    probe=("type", "geneve", "id", "1", "remote", "192.0.2.1"),
    ip_aliases={"vni": "id"},
    ip_other={
        "tos": 1,
        "df": 1,
        "flowlabel": 1,
        "external": 0,
        "noexternal": 0,
        "udpcsum": 0,
        "noudpcsum": 0,
        "udp6zerocsumtx": 0,
        "noudp6zerocsumtx": 0,
        "udp6zerocsumrx": 0,
        "noudp6zerocsumrx": 0,
        "innerprotoinherit": 0,
    },
    help="Geneve endpoint: `geneve NAME id VNI remote ADDRESS`.",
)
