"""Linux bridge and its ports."""

from collections.abc import Iterator
from dataclasses import dataclass

from ..codes import diag
from ..diagnostics import Diagnostic
from ..ir.model import LinkKind
from ..ir.values import Centiseconds, Flag, Int
from ..netlink.attrs import Attr
from .spec import KindSpec, Netplan, Networkd, option

# STP timer limits from net/bridge/br_private.h (BR_MIN/MAX_*), in centiseconds.
STP_FORWARD_DELAY = Centiseconds(200, 3000)  # enforced only while STP runs
FORWARD_DELAY = Centiseconds(0, 3000)
HELLO_TIME = Centiseconds(100, 1000)
MAX_AGE = Centiseconds(600, 4000)


@dataclass(frozen=True, slots=True, kw_only=True)
class BridgeOptions:
    stp_state: bool | None = option(
        Flag("01", numeric_max=2**32 - 1), kernel="stp_state", netlink=Attr("IFLA_BR_STP_STATE", 5, "bool32"), default=False
    )
    forward_delay: int | None = option(
        FORWARD_DELAY, kernel="forward_delay", netlink=Attr("IFLA_BR_FORWARD_DELAY", 1, "u32"), default=1500
    )
    hello_time: int | None = option(HELLO_TIME, kernel="hello_time", netlink=Attr("IFLA_BR_HELLO_TIME", 2, "u32"), default=200)
    max_age: int | None = option(MAX_AGE, kernel="max_age", netlink=Attr("IFLA_BR_MAX_AGE", 3, "u32"), default=2000)
    ageing_time: int | None = option(
        Centiseconds(0, 100000000), kernel="ageing_time", netlink=Attr("IFLA_BR_AGEING_TIME", 4, "u32"), default=30000
    )
    priority: int | None = option(
        Int(0, 65535), kernel="priority", netlink=Attr("IFLA_BR_PRIORITY", 6, "u16"), default=32768
    )
    vlan_filtering: bool | None = option(
        Flag("01", numeric_max=255), kernel="vlan_filtering", netlink=Attr("IFLA_BR_VLAN_FILTERING", 7, "bool8"), default=False
    )
    mcast_snooping: bool | None = option(
        Flag("01", numeric_max=255), kernel="mcast_snooping", netlink=Attr("IFLA_BR_MCAST_SNOOPING", 23, "bool8"), default=True
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class BridgePortOptions:
    cost: int | None = option(Int(1, 65535), kernel="cost", netlink=Attr("IFLA_BRPORT_COST", 3, "u32"))
    priority: int | None = option(Int(0, 63), kernel="priority", netlink=Attr("IFLA_BRPORT_PRIORITY", 2, "u16"), default=32)
    hairpin: bool | None = option(Flag(), kernel="hairpin", netlink=Attr("IFLA_BRPORT_MODE", 4, "bool8"), default=False)
    guard: bool | None = option(Flag(), kernel="guard", netlink=Attr("IFLA_BRPORT_GUARD", 5, "bool8"), default=False)
    learning: bool | None = option(Flag(), kernel="learning", netlink=Attr("IFLA_BRPORT_LEARNING", 8, "bool8"), default=True)
    flood: bool | None = option(Flag(), kernel="flood", netlink=Attr("IFLA_BRPORT_UNICAST_FLOOD", 9, "bool8"), default=True)
    isolated: bool | None = option(Flag(), kernel="isolated", netlink=Attr("IFLA_BRPORT_ISOLATED", 33, "bool8"), default=False)


# While STP settles a topology change, a bridge reports its short ageing time
# (twice forward_delay), not the configured one: that value says nothing then.
TOPOLOGY_CHANGE = Attr("IFLA_BR_TOPOLOGY_CHANGE", 14, "u8")


def decode_netlink(data: dict, name_of) -> dict:
    if TOPOLOGY_CHANGE.number in data and TOPOLOGY_CHANGE.decode(data[TOPOLOGY_CHANGE.number]):
        return {"ageing_time": None}
    return {}


def default_mtu(options, lower, ports) -> int:
    """A bridge takes its smallest port's MTU, 1500 with none."""
    return min(ports) if ports else 1500


def check_forward_delay(link) -> Iterator[Diagnostic]:
    # The kernel holds forward_delay to 2-30 s only while STP runs; with STP
    # off, 0 is the usual choice and legal.
    opts = link.options
    if isinstance(opts, BridgeOptions) and opts.stp_state and opts.forward_delay is not None:
        problem = STP_FORWARD_DELAY.check(opts.forward_delay)
        if problem:
            yield diag("NS219", f"bridge {link.name}: forward_delay {problem} while STP is on", link.setting_span("forward_delay"))


SPEC = KindSpec(
    kind=LinkKind.BRIDGE,
    checks=(check_forward_delay,),
    netlink_attrs=(TOPOLOGY_CHANGE,),
    decode_netlink=decode_netlink,
    transient=("ageing_time",),
    default_mtu=default_mtu,
    options=BridgeOptions,
    port_options=BridgePortOptions,
    ip_type="bridge",
    slave_type="bridge_slave",
    netplan=Netplan(
        "bridges",
        keys={
            "stp_state": "stp", "forward_delay": "forward-delay", "hello_time": "hello-time", "max_age": "max-age",
            "ageing_time": "ageing-time", "priority": "priority",
        },
        parameters=True,
        port_keys={"cost": "path-cost", "priority": "port-priority"},
    ),
    networkd=Networkd(
        "bridge",
        "Bridge",
        keys={
            "stp_state": "STP", "forward_delay": "ForwardDelaySec", "hello_time": "HelloTimeSec",
            "max_age": "MaxAgeSec", "ageing_time": "AgeingTimeSec", "priority": "Priority",
            "vlan_filtering": "VLANFiltering", "mcast_snooping": "MulticastSnooping",
        },
        port_key="Bridge",
        port_section="Bridge",
        port_keys={
            "cost": "Cost", "priority": "Priority", "hairpin": "HairPin", "guard": "UseBPDU",
            "learning": "Learning", "flood": "UnicastFlood", "isolated": "Isolated",
        },
        inverted=frozenset({"guard"}),  # BPDU guard on: networkd's UseBPDU=no
    ),
    ethernet_ports=True,
    ip_other={
        "fdb_flush": 0, "group_fwd_mask": 1, "group_address": 1, "no_linklocal_learn": 1, "vlan_protocol": 1,
        "vlan_default_pvid": 1, "vlan_stats_enabled": 1, "vlan_stats_per_port": 1, "mcast_vlan_snooping": 1,
        "mcast_router": 1, "mcast_query_use_ifaddr": 1, "mcast_querier": 1, "mcast_hash_elasticity": 1,
        "mcast_hash_max": 1, "mcast_last_member_count": 1, "mcast_startup_query_count": 1,
        "mcast_last_member_interval": 1, "mcast_membership_interval": 1, "mcast_querier_interval": 1,
        "mcast_query_interval": 1, "mcast_query_response_interval": 1, "mcast_startup_query_interval": 1,
        "mcast_stats_enabled": 1, "mcast_igmp_version": 1, "mcast_mld_version": 1, "nf_call_iptables": 1,
        "nf_call_ip6tables": 1, "nf_call_arptables": 1,
    },
    port_ip_other={
        "fdb_flush": 0, "state": 1, "fastleave": 1, "root_block": 1, "proxy_arp": 1, "proxy_arp_wifi": 1,
        "mcast_router": 1, "mcast_fast_leave": 1, "mcast_flood": 1, "bcast_flood": 1, "mcast_to_unicast": 1,
        "group_fwd_mask": 1, "neigh_suppress": 1, "vlan_tunnel": 1, "locked": 1, "backup_port": 1,
        "nobackup_port": 0,
    },
    help="Linux software bridge; ports are any ethernet-like links.",
)
