"""veth: a pair of links, each end possibly in another namespace.

The peer is a link of its own in the IR (``Link.peer``), so it can have its
own namespace, addresses and state.
"""

from ..ir.model import LinkKind
from .spec import KindSpec, Networkd

SPEC = KindSpec(
    kind=LinkKind.VETH,
    ip_type="veth",
    networkd=Networkd("veth"),  # the peer: [Peer] Name=
    bridge_port_cost=2,  # 10 Gb/s
    probe=("type", "veth", "peer", "name", "probe1"),
    help="Virtual ethernet pair: `veth NAME peer PEER[@NS]`.",
)
