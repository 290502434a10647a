"""VXLAN tunnel endpoint."""

import ipaddress
from dataclasses import dataclass

from ..ir.model import LinkKind
from ..ir.values import Flag, Int, IPAddress
from .spec import KindSpec, option


@dataclass(frozen=True, slots=True, kw_only=True)
class VxlanOptions:
    id: int | None = option(Int(0, 16777215), kernel="id", create_only=True)
    remote: str | None = option(IPAddress(), kernel="remote", create_only=True)
    local: str | None = option(IPAddress(), kernel="local", create_only=True)
    group: str | None = option(IPAddress(), kernel="group", create_only=True)
    dstport: int | None = option(Int(0, 65535), kernel="port", create_only=True, default=8472)
    ttl: int | None = option(Int(0, 255), kernel="ttl", create_only=True, default=0)
    learning: bool | None = option(Flag("noprefix"), kernel="learning", create_only=True, default=True)


def check_endpoints(link, report) -> None:
    """What vxlan_config_validate() refuses in the kernel (EINVAL), said before anything is built."""
    opts = link.options
    if opts is None:
        return
    if opts.remote and opts.group:
        report("NS202", f"vxlan {link.name}: remote and group exclude each other", link.setting_span("group"))
    if opts.group and not ipaddress.ip_address(opts.group).is_multicast:
        report("NS214", f"vxlan {link.name}: group {opts.group} is not a multicast address", link.setting_span("group"))
    elif opts.group and link.parent is None:
        report("NS213", f"vxlan {link.name}: a multicast group needs `dev`, the link to send it on",
               link.setting_span("group"), hint=f"add dev LINK, e.g. `vxlan {link.name} ... group {opts.group} dev eth0`")
    far = opts.remote or opts.group
    if far and opts.local and ipaddress.ip_address(far).version != ipaddress.ip_address(opts.local).version:
        which = "remote" if opts.remote else "group"
        report("NS214", f"vxlan {link.name}: local {opts.local} and {which} {far} are of different address families",
               link.setting_span("local"))


SPEC = KindSpec(
    kind=LinkKind.VXLAN,
    options=VxlanOptions,
    ip_type="vxlan",
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
