"""Team driver, driven by the teamd daemon: settings become teamd's JSON config."""

from dataclasses import dataclass

from ..ir.model import LinkKind
from ..ir.values import Choice, Flag, Int, IPAddress, Word, WordList
from .spec import KindSpec, option

RUNNERS = ("broadcast", "roundrobin", "random", "activebackup", "loadbalance", "lacp")
LINK_WATCHERS = ("ethtool", "arp_ping", "nsna_ping")
TX_HASH = ("eth", "vlan", "ipv4", "ipv6", "ip", "l3", "tcp", "udp", "sctp", "l4")


@dataclass(frozen=True, slots=True, kw_only=True)
class TeamOptions:
    runner: str | None = option(Choice(RUNNERS), ip="runner.name", create_only=True)
    link_watch: str | None = option(Choice(LINK_WATCHERS), ip="link_watch.name", create_only=True)
    # link_watch details (milliseconds)
    delay_up: int | None = option(Int(0, 2**31 - 1, "ms"), ip="link_watch.delay_up", create_only=True)
    delay_down: int | None = option(Int(0, 2**31 - 1, "ms"), ip="link_watch.delay_down", create_only=True)
    interval: int | None = option(Int(0, 2**31 - 1, "ms"), ip="link_watch.interval", create_only=True)
    target_host: str | None = option(IPAddress(), ip="link_watch.target_host", create_only=True)
    # runner details
    tx_hash: tuple | None = option(WordList(Choice(TX_HASH)), ip="runner.tx_hash", create_only=True)
    tx_balancer: str | None = option(Choice(("basic",)), ip="runner.tx_balancer.name", create_only=True)
    hwaddr_policy: str | None = option(
        Choice(("same_all", "by_active", "only_active")), ip="runner.hwaddr_policy", create_only=True
    )
    active: bool | None = option(Flag(), ip="runner.active", create_only=True)
    fast_rate: bool | None = option(Flag(), ip="runner.fast_rate", create_only=True)
    sys_prio: int | None = option(Int(0, 65535), ip="runner.sys_prio", create_only=True)
    min_ports: int | None = option(Int(1, 255), ip="runner.min_ports", create_only=True)
    agg_select_policy: str | None = option(
        Choice(("lacp_prio", "lacp_prio_stable", "bandwidth", "count", "port_config")),
        ip="runner.agg_select_policy",
        create_only=True,
    )
    notify_peers: int | None = option(Int(0, 255), ip="notify_peers.count", create_only=True)
    mcast_rejoin: int | None = option(Int(0, 255), ip="mcast_rejoin.count", create_only=True)
    hwaddr: str | None = option(Word(), ip="hwaddr", create_only=True)


# Which runner each runner-specific option belongs to (teamd ignores the rest).
RUNNER_OPTIONS = {
    "tx_hash": ("loadbalance", "lacp"),
    "tx_balancer": ("loadbalance", "lacp"),
    "hwaddr_policy": ("activebackup",),
    "active": ("lacp",),
    "fast_rate": ("lacp",),
    "sys_prio": ("lacp",),
    "min_ports": ("lacp",),
    "agg_select_policy": ("lacp",),
    "target_host": None,  # needs link_watch arp_ping or nsna_ping, checked separately
}


@dataclass(frozen=True, slots=True, kw_only=True)
class TeamPortOptions:
    prio: int | None = option(Int(0, 2**31 - 1), ip="prio")
    sticky: bool | None = option(Flag(), ip="sticky")
    queue_id: int | None = option(Int(0, 65535), ip="queue_id")
    lacp_prio: int | None = option(Int(0, 65535), ip="lacp_prio")
    lacp_key: int | None = option(Int(0, 65535), ip="lacp_key")


SPEC = KindSpec(
    kind=LinkKind.TEAM,
    options=TeamOptions,
    port_options=TeamPortOptions,
    ip_type=None,  # made by teamd, not `ip link add`
    help="Team driver through teamd/teamdctl (needs the `team` module and libteam-utils).",
)
