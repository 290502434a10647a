"""VXLAN tunnel endpoint."""

import ipaddress
from collections.abc import Iterator
from dataclasses import dataclass

from .. import findings
from ..diagnostics import Diagnostic
from ..ir.model import LinkKind
from ..ir.values import Flag, Int, IPAddress
from ..netlink.attrs import Attr
from .spec import KindSpec, Netplan, Networkd, option


@dataclass(frozen=True, slots=True, kw_only=True)
class VxlanOptions:
    id: int | None = option(Int(0, 16777215), kernel="id", netlink=Attr("IFLA_VXLAN_ID", 1, "u32"), create_only=True)
    remote: str | None = option(IPAddress(), kernel="remote", kernel_v6="remote6", create_only=True)
    local: str | None = option(IPAddress(), kernel="local", kernel_v6="local6", create_only=True)
    group: str | None = option(IPAddress(), kernel="group", kernel_v6="group6", create_only=True)
    dstport: int | None = option(
        Int(0, 65535), kernel="port", netlink=Attr("IFLA_VXLAN_PORT", 15, "be16"), create_only=True, default=8472
    )
    ttl: int | None = option(Int(0, 255), kernel="ttl", netlink=Attr("IFLA_VXLAN_TTL", 5, "u8"), create_only=True, default=0)
    learning: bool | None = option(
        Flag("noprefix"), kernel="learning", netlink=Attr("IFLA_VXLAN_LEARNING", 7, "bool8"), create_only=True, default=True
    )


def check_endpoints(link) -> Iterator[Diagnostic]:
    """What vxlan_config_validate() refuses in the kernel (EINVAL), said before anything is built."""
    opts = link.options
    if opts is None:
        return
    if opts.remote and opts.group:
        yield findings.out_of_range(f"vxlan {link.name}: remote and group exclude each other", link.setting_span("group"))
    if opts.group and not ipaddress.ip_address(opts.group).is_multicast:
        yield findings.bad_address(f"vxlan {link.name}: group {opts.group} is not a multicast address", link.setting_span("group"))
    elif opts.group and link.parent is None:
        yield findings.missing(f"vxlan {link.name}: a multicast group needs `dev`, the link to send it on",
                               link.setting_span("group"), hint=f"add dev LINK, e.g. `vxlan {link.name} ... group {opts.group} dev eth0`")
    far = opts.remote or opts.group
    if far and opts.local and ipaddress.ip_address(far).version != ipaddress.ip_address(opts.local).version:
        which = "remote" if opts.remote else "group"
        yield findings.bad_address(f"vxlan {link.name}: local {opts.local} and {which} {far} are of different address families",
                                   link.setting_span("local"))


# -- rtnetlink: a remote is a unicast "group"; each address has a v4 and a v6 attribute
GROUP, LINK, LOCAL, GROUP6, LOCAL6 = (
    Attr("IFLA_VXLAN_GROUP", 2, "ip4"),
    Attr("IFLA_VXLAN_LINK", 3, "u32"),
    Attr("IFLA_VXLAN_LOCAL", 4, "ip4"),
    Attr("IFLA_VXLAN_GROUP6", 16, "ip6"),
    Attr("IFLA_VXLAN_LOCAL6", 17, "ip6"),
)


def encode_netlink(values: dict, index_of) -> list:
    out = []
    for field in ("remote", "group"):
        if field in values:
            v6 = ipaddress.ip_address(values[field]).version == 6
            out.append(((GROUP6 if v6 else GROUP).name, values[field]))
    if "local" in values:
        v6 = ipaddress.ip_address(values["local"]).version == 6
        out.append(((LOCAL6 if v6 else LOCAL).name, values["local"]))
    return out


def decode_netlink(data: dict, name_of) -> dict:
    out = {}
    group = data.get(GROUP.number) or data.get(GROUP6.number)
    if group is not None:
        address = ipaddress.ip_address(GROUP.decode(group))
        if not address.is_unspecified:
            out["group" if address.is_multicast else "remote"] = str(address)
    local = data.get(LOCAL.number) or data.get(LOCAL6.number)
    if local is not None and not ipaddress.ip_address(LOCAL.decode(local)).is_unspecified:
        out["local"] = LOCAL.decode(local)
    return out


def default_mtu(options, lower, ports) -> int:
    # an IPv4 underlay: outer IP, UDP and VXLAN headers
    return lower - 50 if lower is not None else 1500


SPEC = KindSpec(
    kind=LinkKind.VXLAN,
    parent_attr=LINK,
    netlink_attrs=(GROUP, LOCAL, GROUP6, LOCAL6),
    encode_netlink=encode_netlink,
    decode_netlink=decode_netlink,
    default_mtu=default_mtu,
    probe=("type", "vxlan", "id", "1", "dstport", "4789"),
    options=VxlanOptions,
    ip_type="vxlan",
    netplan=Netplan(
        "tunnels", mode="vxlan",
        keys={"id": "id", "remote": "remote", "local": "local", "dstport": "port", "ttl": "ttl", "learning": "mac-learning"},
        parent_key="link",
    ),
    networkd=Networkd(
        "vxlan",
        "VXLAN",
        keys={
            "id": "VNI", "remote": "Remote", "local": "Local", "group": "Group", "dstport": "DestinationPort",
            "ttl": "TTL", "learning": "MacLearning",
        },
        parent_key="VXLAN",
        independent=True,
    ),
    parent="optional",
    parent_key="dev",
    required=("id",),
    checks=(check_endpoints,),
    ip_aliases={"vni": "id"},
    ip_other={
        "tos": 1, "df": 1, "flowlabel": 1, "srcport": 2, "port": 2, "hoplimit": 1, "ageing": 1,
        "maxaddress": 1, "gbp": 0, "gpe": 0,
        **{prefix + word: 0 for prefix in ("", "no") for word in (
            "proxy", "rsc", "l2miss", "l3miss", "udpcsum", "udp6zerocsumtx", "udp6zerocsumrx", "remcsumtx",
            "remcsumrx", "external", "vnifilter")},
    },
    help="VXLAN endpoint; `dev` names the underlay link.",
)
