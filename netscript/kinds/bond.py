"""Bonding driver: several ports as one link."""

from dataclasses import dataclass

from ..ir.model import LinkKind
from ..ir.values import Choice, Flag, Int, IPAddress, MACAddress, Word, WordList
from .spec import KindSpec, option

MODES = ("balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad", "balance-tlb", "balance-alb")
# The kernel also takes the numbers 0-6 and a few old spellings.
MODE_ALIASES = tuple((str(i), m) for i, m in enumerate(MODES)) + (("lacp", "802.3ad"),)

LACP = ("802.3ad",)
HASHING = ("balance-xor", "802.3ad", "balance-tlb", "balance-alb")
PRIMARY = ("active-backup", "balance-tlb", "balance-alb")
ARP_MON = ("balance-rr", "active-backup", "balance-xor", "broadcast")


@dataclass(frozen=True)
class ArpValidate(Choice):
    """arp_validate, which `ip -d -j link` prints as JSON null when it is `none`."""

    def from_kernel(self, raw):
        return "none" if raw is None else raw


@dataclass(frozen=True, slots=True, kw_only=True)
class BondOptions:
    mode: str | None = option(Choice(MODES, MODE_ALIASES), kernel="mode", create_only=True, default="balance-rr")
    miimon: int | None = option(Int(0, 2**31 - 1, "ms"), kernel="miimon", default=0)
    updelay: int | None = option(Int(0, 2**31 - 1, "ms"), kernel="updelay", default=0)
    downdelay: int | None = option(Int(0, 2**31 - 1, "ms"), kernel="downdelay", default=0)
    use_carrier: bool | None = option(Flag("01"), kernel="use_carrier", default=True)
    arp_interval: int | None = option(Int(0, 2**31 - 1, "ms"), kernel="arp_interval", modes=ARP_MON, default=0)
    arp_ip_target: tuple | None = option(WordList(IPAddress(4)), kernel="arp_ip_target", modes=ARP_MON)
    arp_validate: str | None = option(
        ArpValidate(("none", "active", "backup", "all", "filter", "filter_active", "filter_backup")),
        kernel="arp_validate",
        modes=ARP_MON,
        default="none",
    )
    arp_all_targets: str | None = option(Choice(("any", "all")), kernel="arp_all_targets", modes=ARP_MON, default="any")
    primary: str | None = option(Word(), kernel="primary", modes=PRIMARY)  # a port name
    primary_reselect: str | None = option(
        Choice(("always", "better", "failure")), kernel="primary_reselect", modes=PRIMARY,
        default="always",
    )
    fail_over_mac: str | None = option(
        Choice(("none", "active", "follow")), kernel="fail_over_mac", create_only=True, modes=("active-backup",),
        default="none",
    )
    xmit_hash_policy: str | None = option(
        Choice(("layer2", "layer2+3", "layer3+4", "encap2+3", "encap3+4", "vlan+srcmac")),
        kernel="xmit_hash_policy",
        modes=HASHING,
        default="layer2",
    )
    min_links: int | None = option(Int(0, 2**31 - 1), kernel="min_links", default=0)
    all_slaves_active: bool | None = option(Flag("01"), kernel="all_slaves_active", default=False)
    resend_igmp: int | None = option(Int(0, 255), kernel="resend_igmp", default=1)
    # iproute2 takes `num_grat_arp` (or `num_unsol_na`) but reports the kernel's name for it
    num_grat_arp: int | None = option(Int(0, 255), kernel="num_peer_notif", default=1)
    packets_per_slave: int | None = option(Int(0, 65535), kernel="packets_per_slave", modes=("balance-rr",), default=1)
    lacp_rate: str | None = option(
        Choice(("slow", "fast"), (("0", "slow"), ("1", "fast"))), kernel="ad_lacp_rate", create_only=True, modes=LACP,
        default="slow",
    )
    ad_select: str | None = option(
        Choice(("stable", "bandwidth", "count"), (("0", "stable"), ("1", "bandwidth"), ("2", "count"))),
        kernel="ad_select",
        create_only=True,
        modes=LACP,
        default="stable",
    )
    ad_actor_sys_prio: int | None = option(Int(1, 65535), kernel="ad_actor_sys_prio", create_only=True, modes=LACP, default=65535)
    ad_user_port_key: int | None = option(Int(0, 1023), kernel="ad_user_port_key", create_only=True, modes=LACP, default=0)
    ad_actor_system: str | None = option(MACAddress(), kernel="ad_actor_system", create_only=True, modes=LACP, default="00:00:00:00:00:00")
    tlb_dynamic_lb: bool | None = option(Flag("01"), kernel="tlb_dynamic_lb", create_only=True, modes=("balance-tlb",), default=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class BondPortOptions:
    queue_id: int | None = option(Int(0, 65535), kernel="queue_id", default=0)
    prio: int | None = option(Int(0, 2**31 - 1), kernel="prio", default=0)


SPEC = KindSpec(
    kind=LinkKind.BOND,
    options=BondOptions,
    port_options=BondPortOptions,
    ip_type="bond",
    slave_type="bond_slave",
    help="Bonding driver (needs the `bonding` module).",
    ip_other={
        "active_slave": 1, "clear_active_slave": 0, "peer_notify_delay": 1, "ns_ip6_target": 1, "lp_interval": 1,
        "lacp_active": 1, "arp_missed_max": 1,
    },
    ip_aliases={"num_unsol_na": "num_grat_arp"},
)
