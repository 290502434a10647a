"""teamd configuration -> bonding options, as RHEL's team-to-bond migration maps them.

    broadcast    -> broadcast
    roundrobin   -> balance-rr
    activebackup -> active-backup   hwaddr_policy -> fail_over_mac
    loadbalance  -> balance-tlb     tx_balancer basic -> tlb_dynamic_lb 1 (else 0)
    lacp         -> 802.3ad         fast_rate -> lacp_rate, sys_prio -> ad_actor_sys_prio,
                                    min_ports -> min_links, agg_select_policy -> ad_select
    random       -> refused: bonding has no random transmit policy

tx_hash becomes xmit_hash_policy (teamd's default eth,ipv4,ipv6 when the config
has none: layer2+3); link watchers become the bond's monitor
(ethtool -> miimon with updelay/downdelay, arp_ping -> arp_interval and
arp_ip_target). Whatever bonding cannot say is warned about at the line
(:class:`Mapping.lossy`) or refuses the translation (:class:`Mapping.refused`);
nothing is dropped silently.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from ... import kinds
from ...ir.model import LinkKind

RUNNER_MODES = {
    "broadcast": "broadcast",
    "roundrobin": "balance-rr",
    "activebackup": "active-backup",
    "loadbalance": "balance-tlb",
    "lacp": "802.3ad",
}
HWADDR_POLICY = {"same_all": "none", "by_active": "active", "only_active": "follow"}
AGG_SELECT = {"bandwidth": "bandwidth", "count": "count", "lacp_prio": "stable", "lacp_prio_stable": "stable"}
# What the loadbalance and lacp runners hash without a tx_hash (teamd_hash_func.c; it is in
# `teamdctl TEAM config dump actual`). Mapping only an explicit tx_hash left such a team's bond
# at the kernel's layer2, which hashes the MACs alone (found by tests/kernel/test_legacy_lab.py).
TEAMD_TX_HASH = ("eth", "ipv4", "ipv6")
MIIMON_MS = 100  # teamd's ethtool watcher reacts at once; 100 ms is the usual bonding poll


@dataclass
class Mapping:
    """Bond settings for one team: DSL keys of the bond kind, in the order ip takes them."""

    mode: str | None = None
    options: dict = field(default_factory=dict)  # bond option -> value (IR values)
    ports: dict = field(default_factory=dict)  # port -> {bond port option: value}
    port_order: list = field(default_factory=list)
    mac: str | None = None
    lossy: list[tuple[str, str]] = field(default_factory=list)  # (what is lost, the config key it is about)
    refused: str | None = None

    def lose(self, message: str, key: str) -> None:
        self.lossy.append((message, key))


def tx_hash_policy(fragments: list[str]) -> tuple[str, str | None]:
    """The xmit_hash_policy closest to a teamd tx_hash list, and what is lost (None: exact)."""
    parts = set(fragments)
    l4 = parts & {"tcp", "udp", "sctp", "l4"}
    l3 = parts & {"ipv4", "ipv6", "ip", "l3"}
    l2 = parts & {"eth"}
    if l4:
        lost = parts - {"tcp", "udp", "sctp", "l4", "ipv4", "ipv6", "ip", "l3"}
        return "layer3+4", f"{', '.join(sorted(lost))} not hashed" if lost or not l3 else None
    if l3:
        lost = parts - {"eth", "ipv4", "ipv6", "ip", "l3"}
        return "layer2+3", (f"{', '.join(sorted(lost))} not hashed" if lost else None) if l2 else "hashes the MAC addresses too"
    lost = parts - {"eth"}
    return "layer2", f"{', '.join(sorted(lost))} not hashed" if lost else None


def map_config(config: dict) -> Mapping:
    """The bond equivalent of a teamd config (already checked by teamd_config)."""
    m = Mapping()
    runner = config.get("runner") or {}
    name = runner.get("name", kinds.spec(LinkKind.TEAM).default("runner"))
    if name not in RUNNER_MODES:
        m.refused = f"runner {name} has no bonding mode (bonding cannot pick a random port)"
        return m
    m.mode = RUNNER_MODES[name]
    if "hwaddr" in config:
        m.mac = str(config["hwaddr"]).lower()
    if name == "activebackup" and "hwaddr_policy" in runner:
        m.options["fail_over_mac"] = HWADDR_POLICY[runner["hwaddr_policy"]]
    if name in ("loadbalance", "lacp"):
        tx_hash = runner.get("tx_hash", TEAMD_TX_HASH)
        policy, lost = tx_hash_policy(tx_hash)
        m.options["xmit_hash_policy"] = policy
        if lost:
            m.lose(f"tx_hash {','.join(tx_hash)} -> xmit_hash_policy {policy}: {lost}", "runner.tx_hash")
        balancer = (runner.get("tx_balancer") or {}).get("name")
        if name == "loadbalance":
            m.options["tlb_dynamic_lb"] = balancer == "basic"
        elif balancer:
            m.lose("802.3ad has no active transmit balancer; tx_balancer dropped", "runner.tx_balancer")
        if "balancing_interval" in (runner.get("tx_balancer") or {}):
            m.lose("bonding rebalances on its own schedule; balancing_interval dropped", "runner.tx_balancer.balancing_interval")
    if name == "lacp":
        _lacp(runner, m)
    _watch(config.get("link_watch"), m)
    for key, option in (("notify_peers", "num_grat_arp"), ("mcast_rejoin", "resend_igmp")):
        block = config.get(key) or {}
        if "count" in block:
            m.options[option] = block["count"]
        if "interval" in block:
            m.lose(f"{key}.interval has no bonding equivalent here; dropped", f"{key}.interval")
    for port, options in (config.get("ports") or {}).items():
        m.port_order.append(port)
        m.ports[port] = _port(port, options or {}, m)
    return m


def _lacp(runner: dict, m: Mapping):
    if "fast_rate" in runner:
        m.options["lacp_rate"] = "fast" if runner["fast_rate"] else "slow"
    if "sys_prio" in runner:
        prio = runner["sys_prio"]
        if prio < 1:
            m.lose("ad_actor_sys_prio starts at 1; sys_prio 0 became 1", "runner.sys_prio")
        m.options["ad_actor_sys_prio"] = max(1, prio)
    if "min_ports" in runner:
        m.options["min_links"] = runner["min_ports"]
    if "agg_select_policy" in runner:
        policy = runner["agg_select_policy"]
        if policy == "port_config":
            m.lose("ad_select has no per-port policy; port_config became stable", "runner.agg_select_policy")
        elif policy.startswith("lacp_prio"):
            m.lose(f"ad_select has no LACP-priority policy; {policy} became stable", "runner.agg_select_policy")
        m.options["ad_select"] = AGG_SELECT.get(policy, "stable")
    if runner.get("active") is False:
        m.lose("bonding always sends LACPDUs; active false dropped", "runner.active")


def _watch(watch, m: Mapping):
    watches = watch if isinstance(watch, list) else [watch] if watch else []
    if not watches:
        watches = [{"name": "ethtool"}]  # teamd's default watcher
    names = {w.get("name") for w in watches}
    if len(names) > 1:
        m.lose("bonding runs one monitor; only the first link watcher is kept", "link_watch")
    w = watches[0]
    kind = w.get("name")
    if kind == "ethtool":
        m.options["miimon"] = MIIMON_MS
        for key, option in (("delay_up", "updelay"), ("delay_down", "downdelay")):
            if key in w:
                delay = w[key]
                if delay % MIIMON_MS:
                    m.lose(f"{option} rounds {delay} ms down to a multiple of miimon {MIIMON_MS}", f"link_watch.{key}")
                m.options[option] = delay
    elif kind == "arp_ping":
        m.options["arp_interval"] = w.get("interval", 1000)
        targets = [t["target_host"] for t in watches if t.get("name") == "arp_ping" and "target_host" in t]
        try:
            m.options["arp_ip_target"] = tuple(str(ipaddress.IPv4Address(t)) for t in targets)
        except ValueError:
            m.refused = "arp_ip_target needs IPv4 addresses, and target_host is a host name"
            return
        if w.get("validate_active") or w.get("validate_inactive"):
            both = w.get("validate_active") and w.get("validate_inactive")
            m.options["arp_validate"] = "all" if both else "active" if w.get("validate_active") else "backup"
        for key in ("missed_max", "init_wait", "source_host", "vlanid", "send_always"):
            if key in w:
                m.lose(f"link_watch.{key} has no bonding equivalent here; dropped", f"link_watch.{key}")
    elif kind == "nsna_ping":
        m.refused = "the nsna_ping watcher (IPv6) has no bonding monitor here"


def _port(port: str, options: dict, m: Mapping) -> dict:
    out = {}
    if "queue_id" in options:
        out["queue_id"] = options["queue_id"]
    if "prio" in options:
        if options["prio"] < 0:
            m.lose(f"{port}: bond port prio starts at 0; prio {options['prio']} became 0", f"ports.{port}.prio")
        out["prio"] = max(0, options["prio"])
    for key in ("sticky", "lacp_prio", "lacp_key", "link_watch"):
        if key in options:
            m.lose(f"{port}: {key} has no bonding port equivalent; dropped", f"ports.{port}.{key}")
    return out
