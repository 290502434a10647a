"""Bonding driver: several ports as one link."""

import ipaddress
from collections.abc import Iterator
from dataclasses import dataclass

from .. import findings
from ..codes import diag
from ..diagnostics import Diagnostic, Severity
from ..ir.model import LinkKind
from ..ir.values import Choice, Flag, Int, IPAddress, MACAddress, Word, WordList
from ..netlink.attrs import Attr, Wire, attr, attribute_list, enum, ip, mac
from .spec import KindSpec, Netplan, Networkd, option

MODES = ("balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad", "balance-tlb", "balance-alb")
# The kernel also takes the numbers 0-6 and a few old spellings.
MODE_ALIASES = tuple((str(i), m) for i, m in enumerate(MODES)) + (("lacp", "802.3ad"),)

LACP = ("802.3ad",)
HASHING = ("balance-xor", "802.3ad", "balance-tlb", "balance-alb")
PRIMARY_MODES = ("active-backup", "balance-tlb", "balance-alb")
ARP_MON = ("balance-rr", "active-backup", "balance-xor", "broadcast")
XMIT_HASH = ((0, "layer2"), (1, "layer3+4"), (2, "layer2+3"), (3, "encap2+3"), (4, "encap3+4"), (5, "vlan+srcmac"))


@dataclass(frozen=True)
class ArpValidate(Choice):
    """arp_validate, which `ip -d -j link` prints as JSON null when it is `none`."""

    def from_kernel(self, raw):
        return "none" if raw is None else raw


@dataclass(frozen=True, slots=True, kw_only=True)
class BondOptions:
    mode: str | None = option(Choice(MODES, MODE_ALIASES), kernel="mode", netlink=Attr("IFLA_BOND_MODE", 1, "u8", enum(*MODES)), create_only=True, default="balance-rr")
    miimon: int | None = option(Int(0, 2**31 - 1, "ms"), kernel="miimon", netlink=Attr("IFLA_BOND_MIIMON", 3, "u32"), default=0)
    updelay: int | None = option(Int(0, 2**31 - 1, "ms"), kernel="updelay", netlink=Attr("IFLA_BOND_UPDELAY", 4, "u32"), default=0)
    downdelay: int | None = option(Int(0, 2**31 - 1, "ms"), kernel="downdelay", netlink=Attr("IFLA_BOND_DOWNDELAY", 5, "u32"), default=0)
    use_carrier: bool | None = option(Flag("01"), kernel="use_carrier", netlink=Attr("IFLA_BOND_USE_CARRIER", 6, "bool8"), default=True)
    arp_interval: int | None = option(Int(0, 2**31 - 1, "ms"), kernel="arp_interval", netlink=Attr("IFLA_BOND_ARP_INTERVAL", 7, "u32"), modes=ARP_MON, default=0)
    arp_ip_target: tuple | None = option(WordList(IPAddress(4)), kernel="arp_ip_target", modes=ARP_MON)
    arp_validate: str | None = option(
        ArpValidate(("none", "active", "backup", "all", "filter", "filter_active", "filter_backup")),
        kernel="arp_validate", netlink=Attr("IFLA_BOND_ARP_VALIDATE", 9, "u32", enum("none", "active", "backup", "all", "filter", "filter_active", "filter_backup")),
        modes=ARP_MON,
        default="none",
    )
    arp_all_targets: str | None = option(Choice(("any", "all")), kernel="arp_all_targets", netlink=Attr("IFLA_BOND_ARP_ALL_TARGETS", 10, "u32", enum("any", "all")), modes=ARP_MON, default="any")
    primary: str | None = option(Word(), kernel="primary", modes=PRIMARY_MODES)  # a port name
    primary_reselect: str | None = option(
        Choice(("always", "better", "failure")), kernel="primary_reselect", netlink=Attr("IFLA_BOND_PRIMARY_RESELECT", 12, "u8", enum("always", "better", "failure")), modes=PRIMARY_MODES,
        default="always",
    )
    fail_over_mac: str | None = option(
        Choice(("none", "active", "follow")), kernel="fail_over_mac", netlink=Attr("IFLA_BOND_FAIL_OVER_MAC", 13, "u8", enum("none", "active", "follow")), create_only=True, modes=("active-backup",),
        default="none",
    )
    xmit_hash_policy: str | None = option(
        Choice(("layer2", "layer2+3", "layer3+4", "encap2+3", "encap3+4", "vlan+srcmac")),
        kernel="xmit_hash_policy", netlink=Attr("IFLA_BOND_XMIT_HASH_POLICY", 14, "u8", XMIT_HASH),
        modes=HASHING,
        default="layer2",
    )
    min_links: int | None = option(Int(0, 2**31 - 1), kernel="min_links", netlink=Attr("IFLA_BOND_MIN_LINKS", 18, "u32"), default=0)
    all_slaves_active: bool | None = option(Flag("01"), kernel="all_slaves_active", netlink=Attr("IFLA_BOND_ALL_SLAVES_ACTIVE", 17, "bool8"), default=False)
    resend_igmp: int | None = option(Int(0, 255), kernel="resend_igmp", netlink=Attr("IFLA_BOND_RESEND_IGMP", 15, "u32"), default=1)
    # iproute2 takes `num_grat_arp` (or `num_unsol_na`) but reports the kernel's name for it
    num_grat_arp: int | None = option(Int(0, 255), kernel="num_peer_notif", netlink=Attr("IFLA_BOND_NUM_PEER_NOTIF", 16, "u8"), default=1)
    packets_per_slave: int | None = option(Int(0, 65535), kernel="packets_per_slave", netlink=Attr("IFLA_BOND_PACKETS_PER_SLAVE", 20, "u32"), modes=("balance-rr",), default=1)
    lacp_rate: str | None = option(
        Choice(("slow", "fast"), (("0", "slow"), ("1", "fast"))), kernel="ad_lacp_rate", netlink=Attr("IFLA_BOND_AD_LACP_RATE", 21, "u8", enum("slow", "fast")), create_only=True, modes=LACP,
        default="slow",
    )
    ad_select: str | None = option(
        Choice(("stable", "bandwidth", "count"), (("0", "stable"), ("1", "bandwidth"), ("2", "count"))),
        kernel="ad_select", netlink=Attr("IFLA_BOND_AD_SELECT", 22, "u8", enum("stable", "bandwidth", "count")),
        create_only=True,
        modes=LACP,
        default="stable",
    )
    ad_actor_sys_prio: int | None = option(Int(1, 65535), kernel="ad_actor_sys_prio", netlink=Attr("IFLA_BOND_AD_ACTOR_SYS_PRIO", 24, "u16"), create_only=True, modes=LACP, default=65535)
    ad_user_port_key: int | None = option(Int(0, 1023), kernel="ad_user_port_key", netlink=Attr("IFLA_BOND_AD_USER_PORT_KEY", 25, "u16"), create_only=True, modes=LACP, default=0)
    ad_actor_system: str | None = option(MACAddress(), kernel="ad_actor_system", create_only=True, modes=LACP, default="00:00:00:00:00:00")
    tlb_dynamic_lb: bool | None = option(Flag("01"), kernel="tlb_dynamic_lb", netlink=Attr("IFLA_BOND_TLB_DYNAMIC_LB", 27, "bool8"), create_only=True, modes=("balance-tlb",), default=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class BondPortOptions:
    queue_id: int | None = option(Int(0, 65535), kernel="queue_id", netlink=Attr("IFLA_BOND_SLAVE_QUEUE_ID", 5, "u16"), default=0)
    prio: int | None = option(Int(0, 2**31 - 1), kernel="prio", default=0)


# The settings that are not one plain attribute: a list of addresses, a port named by
# its ifindex, a MAC pyroute2 would send as text.
PRIMARY = Attr("IFLA_BOND_PRIMARY", 11, "u32")
AD_ACTOR_SYSTEM = Attr("IFLA_BOND_AD_ACTOR_SYSTEM", 26, "bytes")
SLAVE_PRIO = Attr("IFLA_BOND_SLAVE_PRIO", 9, "s32")


def _arp_targets(values) -> bytes:
    # the kernel reads one address per attribute and ignores the attributes' types;
    # pyroute2 numbers them from 1
    return b"".join(attr(index, ipaddress.ip_address(v).packed) for index, v in enumerate(values, 1))


ARP_IP_TARGET = Attr("IFLA_BOND_ARP_IP_TARGET", 8, Wire(_arp_targets, bytes))


def encode_netlink(values: dict, index_of) -> list:
    out: list = []
    if "arp_ip_target" in values:
        out.append((ARP_IP_TARGET.name, list(values["arp_ip_target"])))
    if "primary" in values:
        out.append((PRIMARY.name, index_of(values["primary"])))
    if "ad_actor_system" in values:
        # pyroute2 declares this attribute 'hex', a raw string: handed the MAC's text it sends
        # those 17 characters, and the kernel (which wants exactly 6 bytes) refuses with ERANGE
        mac = bytes(int(octet, 16) for octet in values["ad_actor_system"].split(":"))
        out.append((AD_ACTOR_SYSTEM.name, mac))
    return out


def decode_netlink(data: dict, name_of) -> dict:
    out: dict = {}
    if ARP_IP_TARGET.number in data:
        targets = tuple(ip(p) for _, p in attribute_list(data[ARP_IP_TARGET.number]))
        if targets:
            out["arp_ip_target"] = targets
    if PRIMARY.number in data:
        out["primary"] = name_of(PRIMARY.decode(data[PRIMARY.number]))
    if AD_ACTOR_SYSTEM.number in data:
        out["ad_actor_system"] = mac(data[AD_ACTOR_SYSTEM.number])
    return out


def decode_port_netlink(data: dict) -> dict:
    return {"prio": SLAVE_PRIO.decode(data[SLAVE_PRIO.number])} if SLAVE_PRIO.number in data else {}


# -- the kernel's rules beyond each value's range


def check_bond(link) -> Iterator[Diagnostic]:
    opts = link.options
    if not isinstance(opts, BondOptions):
        return  # none given: the kernel's defaults are consistent
    mode = SPEC.effective(opts, "mode")
    if opts.primary is not None and opts.primary not in {p.name for p in link.ports}:
        yield diag("NS221", f"bond {link.name}: primary {opts.primary} is not one of its ports", link.setting_span("primary"))
    if opts.miimon and opts.arp_interval:
        yield findings.inapplicable(
            f"bond {link.name}: miimon and arp_interval exclude each other; the kernel uses only one",
            link.setting_span("arp_interval"),
            severity=Severity.WARNING,
        )
    yield from check_delays(link, opts, mode)
    if opts.miimon == 0 and not opts.arp_interval:
        # ip link add gives a bond miimon 100; writing 0 without ARP monitoring
        # leaves the bond blind to a dead port.
        yield diag(
            "NS220",
            f"bond {link.name}: miimon 0 and no arp_interval: the bond never notices a dead port",
            link.setting_span("miimon"),
            hint="keep miimon (100 is usual) or set arp_interval with arp_ip_target",
        )
    if opts.arp_interval and not opts.arp_ip_target:
        yield findings.missing(f"bond {link.name}: arp_interval needs arp_ip_target", link.setting_span("arp_interval"))


def check_delays(link, opts: BondOptions, mode: str) -> Iterator[Diagnostic]:
    # The kernel keeps updelay/downdelay as a number of miimon intervals: without MII
    # monitoring it refuses them (EPERM, so the script would stop there), and it rounds
    # other values down (150 with miimon 100 reads back as 100). Bonds in 802.3ad and
    # balance-tlb/alb get miimon 100 unless told otherwise.
    miimon = opts.miimon
    if miimon is None:
        miimon = 100 if mode in ("802.3ad", "balance-tlb", "balance-alb") else 0
    for key in ("updelay", "downdelay"):
        value = getattr(opts, key)
        if not value:
            continue
        if not miimon:
            yield diag("NS226", f"bond {link.name}: {key} needs miimon; the kernel refuses it without MII monitoring",
                       link.setting_span(key), hint="set miimon (100 is usual), or drop " + key)
        elif value % miimon:
            yield diag("NS226", f"bond {link.name}: {key} {value} is not a multiple of miimon {miimon}; "
                       f"the kernel would round it down to {value // miimon * miimon}",
                       link.setting_span(key), hint=f"write {key} {value // miimon * miimon} or {(value // miimon + 1) * miimon}")


SPEC = KindSpec(
    kind=LinkKind.BOND,
    checks=(check_bond,),
    netlink_attrs=(ARP_IP_TARGET, PRIMARY, AD_ACTOR_SYSTEM),
    encode_netlink=encode_netlink,
    decode_netlink=decode_netlink,
    port_netlink_attrs=(SLAVE_PRIO,),
    decode_port_netlink=decode_port_netlink,
    options=BondOptions,
    port_options=BondPortOptions,
    ip_type="bond",
    slave_type="bond_slave",
    netplan=Netplan(
        "bonds",
        keys={
            "mode": "mode", "miimon": "mii-monitor-interval", "updelay": "up-delay", "downdelay": "down-delay",
            "arp_interval": "arp-interval", "arp_ip_target": "arp-ip-targets", "arp_validate": "arp-validate",
            "arp_all_targets": "arp-all-targets", "primary": "primary", "primary_reselect": "primary-reselect-policy",
            "fail_over_mac": "fail-over-mac-policy", "xmit_hash_policy": "transmit-hash-policy",
            "min_links": "min-links", "all_slaves_active": "all-slaves-active", "resend_igmp": "resend-igmp",
            "num_grat_arp": "gratuitous-arp", "packets_per_slave": "packets-per-slave", "lacp_rate": "lacp-rate",
            "ad_select": "ad-select",
        },
        parameters=True,
    ),
    networkd=Networkd(
        "bond",
        "Bond",
        keys={
            "mode": "Mode", "miimon": "MIIMonitorSec", "updelay": "UpDelaySec", "downdelay": "DownDelaySec",
            "arp_interval": "ARPIntervalSec", "arp_ip_target": "ARPIPTargets", "arp_validate": "ARPValidate",
            "arp_all_targets": "ARPAllTargets", "primary_reselect": "PrimaryReselectPolicy",
            "fail_over_mac": "FailOverMACPolicy", "xmit_hash_policy": "TransmitHashPolicy", "min_links": "MinLinks",
            "all_slaves_active": "AllSlavesActive", "resend_igmp": "ResendIGMP", "num_grat_arp": "GratuitousARP",
            "packets_per_slave": "PacketsPerSlave", "lacp_rate": "LACPTransmitRate", "ad_select": "AdSelect",
            "ad_actor_sys_prio": "AdActorSystemPriority", "ad_user_port_key": "AdUserPortKey",
            "ad_actor_system": "AdActorSystem", "tlb_dynamic_lb": "DynamicTransmitLoadBalancing",
        },
        port_key="Bond",
        port_flags={"primary": "PrimarySlave"},
    ),
    help="Bonding driver (needs the `bonding` module).",
    ip_other={
        "active_slave": 1, "clear_active_slave": 0, "peer_notify_delay": 1, "ns_ip6_target": 1, "lp_interval": 1,
        "lacp_active": 1, "arp_missed_max": 1,
    },
    ip_aliases={"num_unsol_na": "num_grat_arp"},
)
