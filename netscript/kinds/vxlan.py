"""VXLAN tunnel endpoint."""

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


SPEC = KindSpec(
    kind=LinkKind.VXLAN,
    options=VxlanOptions,
    ip_type="vxlan",
    parent="optional",
    parent_key="dev",
    required=("id",),
    help="VXLAN endpoint; `dev` names the underlay link.",
)
