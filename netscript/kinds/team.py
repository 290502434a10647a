"""Team driver, driven by the teamd daemon: settings become teamd's JSON config."""

from collections.abc import Iterator
from dataclasses import dataclass

from .. import findings
from ..diagnostics import Diagnostic
from ..ir.model import LinkKind
from ..ir.values import Choice, Flag, Int, IPAddress, Word, WordList
from .spec import KindSpec, option

RUNNERS = ("broadcast", "roundrobin", "random", "activebackup", "loadbalance", "lacp")
LINK_WATCHERS = ("ethtool", "arp_ping", "nsna_ping")
TX_HASH = ("eth", "vlan", "ipv4", "ipv6", "ip", "l3", "tcp", "udp", "sctp", "l4")


# Options that one runner or link watcher reads (teamd ignores them under the others).
LOAD_SPREADING = ("loadbalance", "lacp")
LACP = ("lacp",)
PINGING = ("arp_ping", "nsna_ping")


def _runner(*runners):
    return {"modes": runners, "selected_by": "runner"}


def _watcher(*watchers):
    return {"modes": watchers, "selected_by": "link_watch"}


@dataclass(frozen=True, slots=True, kw_only=True)
class TeamOptions:
    runner: str | None = option(Choice(RUNNERS), ip="runner.name", create_only=True, default="roundrobin")
    link_watch: str | None = option(Choice(LINK_WATCHERS), ip="link_watch.name", create_only=True, default="ethtool")
    # link_watch details (milliseconds)
    delay_up: int | None = option(Int(0, 2**31 - 1, "ms"), ip="link_watch.delay_up", create_only=True,
                                  **_watcher("ethtool"))
    delay_down: int | None = option(Int(0, 2**31 - 1, "ms"), ip="link_watch.delay_down", create_only=True,
                                    **_watcher("ethtool"))
    interval: int | None = option(Int(0, 2**31 - 1, "ms"), ip="link_watch.interval", create_only=True,
                                  **_watcher(*PINGING))
    target_host: str | None = option(IPAddress(), ip="link_watch.target_host", create_only=True, **_watcher(*PINGING))
    # runner details
    tx_hash: tuple | None = option(WordList(Choice(TX_HASH)), ip="runner.tx_hash", create_only=True,
                                   **_runner(*LOAD_SPREADING))
    tx_balancer: str | None = option(Choice(("basic",)), ip="runner.tx_balancer.name", create_only=True,
                                     **_runner(*LOAD_SPREADING))
    hwaddr_policy: str | None = option(
        Choice(("same_all", "by_active", "only_active")), ip="runner.hwaddr_policy", create_only=True,
        **_runner("activebackup"),
    )
    active: bool | None = option(Flag(), ip="runner.active", create_only=True, **_runner(*LACP))
    fast_rate: bool | None = option(Flag(), ip="runner.fast_rate", create_only=True, **_runner(*LACP))
    sys_prio: int | None = option(Int(0, 65535), ip="runner.sys_prio", create_only=True, **_runner(*LACP))
    min_ports: int | None = option(Int(1, 255), ip="runner.min_ports", create_only=True, **_runner(*LACP))
    agg_select_policy: str | None = option(
        Choice(("lacp_prio", "lacp_prio_stable", "bandwidth", "count", "port_config")),
        ip="runner.agg_select_policy",
        create_only=True,
        **_runner(*LACP),
    )
    notify_peers: int | None = option(Int(0, 255), ip="notify_peers.count", create_only=True)
    mcast_rejoin: int | None = option(Int(0, 255), ip="mcast_rejoin.count", create_only=True)
    hwaddr: str | None = option(Word(), ip="hwaddr", create_only=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class TeamPortOptions:
    prio: int | None = option(Int(0, 2**31 - 1), ip="prio")
    sticky: bool | None = option(Flag(), ip="sticky")
    queue_id: int | None = option(Int(0, 65535), ip="queue_id")
    lacp_prio: int | None = option(Int(0, 65535), ip="lacp_prio")
    lacp_key: int | None = option(Int(0, 65535), ip="lacp_key")


def check_target_host(link) -> Iterator[Diagnostic]:
    watch = SPEC.effective(link.options, "link_watch")
    if watch in PINGING and not getattr(link.options, "target_host", None):
        yield findings.missing(f"team {link.name}: link_watch {watch} needs target_host", link.setting_span("link_watch"))


SPEC = KindSpec(
    kind=LinkKind.TEAM,
    checks=(check_target_host,),
    options=TeamOptions,
    port_options=TeamPortOptions,
    ip_type=None,  # made by teamd, not `ip link add`
    info_kind="team",
    help="Team driver through teamd/teamdctl (needs the `team` module and libteam-utils).",
)
