"""Each link kind's settings as rtnetlink attributes, in both directions.

One row per setting of a kind's options dataclass (:mod:`netscript.kinds`):
the attribute's number and wire type, which the reader decodes, and its
pyroute2 name, which the netlink backend encodes. Settings that do not fit a
plain row (VLAN flags packed in one bit field, VXLAN addresses that are v4 or
v6, a bond's primary named by ifindex) have a small function each below.

Numbers come from include/uapi/linux/if_link.h; tests check every row
against pyroute2's own tables, so a row cannot name an attribute pyroute2
would silently drop.
"""

from __future__ import annotations

import functools
import ipaddress
from dataclasses import dataclass

from ..ir.model import LinkKind
from ..kinds import bond as bond_kind
from . import rtnl

# Top-level link attributes (IFLA_*).
IFLA_ADDRESS, IFLA_IFNAME, IFLA_MTU, IFLA_LINK = 1, 3, 4, 5
IFLA_MASTER, IFLA_TXQLEN, IFLA_OPERSTATE, IFLA_LINKINFO = 10, 13, 16, 18
IFLA_CARRIER, IFLA_LINK_NETNSID = 33, 37
IFLA_INFO_KIND, IFLA_INFO_DATA, IFLA_INFO_SLAVE_KIND, IFLA_INFO_SLAVE_DATA = 1, 2, 4, 5
IFF_UP = 0x1


def _flag(p) -> bool:
    return bool(rtnl.u8(p)) if len(p) == 1 else bool(rtnl.u32(p))


DECODERS = {
    "u8": rtnl.u8,
    "u16": rtnl.u16,
    "u32": rtnl.u32,
    "s32": rtnl.s32,
    "be16": rtnl.be16,
    "bool8": lambda p: bool(rtnl.u8(p)),
    "bool32": lambda p: bool(rtnl.u32(p)),
    "flag": _flag,
    "mac": rtnl.mac,
}


@dataclass(frozen=True, slots=True)
class Row:
    """One setting: options field <-> attribute."""

    field: str
    nla: str  # pyroute2's name, for encoding
    number: int
    wire: str  # a DECODERS key
    words: tuple[tuple[int, str], ...] = ()  # kernel number <-> the IR's word

    def to_ir(self, payload):
        raw = DECODERS[self.wire](payload)
        if self.words:
            return dict(self.words).get(raw, str(raw))
        return raw

    def to_kernel(self, value):
        if self.words:
            return {word: number for number, word in self.words}[value]
        if isinstance(value, bool):
            return int(value)
        return value


@dataclass(frozen=True, slots=True)
class KindTable:
    info_kind: str  # IFLA_INFO_KIND
    rows: tuple[Row, ...] = ()
    port_rows: tuple[Row, ...] = ()  # IFLA_INFO_SLAVE_DATA of its ports
    special: tuple[str, ...] = ()  # fields handled by a function below

    def row(self, field: str) -> Row | None:
        for r in self.rows + self.port_rows:
            if r.field == field:
                return r
        return None


def _enum(values) -> tuple[tuple[int, str], ...]:
    return tuple(enumerate(values))


BRIDGE = KindTable(
    "bridge",
    rows=(
        Row("forward_delay", "IFLA_BR_FORWARD_DELAY", 1, "u32"),
        Row("hello_time", "IFLA_BR_HELLO_TIME", 2, "u32"),
        Row("max_age", "IFLA_BR_MAX_AGE", 3, "u32"),
        Row("ageing_time", "IFLA_BR_AGEING_TIME", 4, "u32"),
        Row("stp_state", "IFLA_BR_STP_STATE", 5, "bool32"),
        Row("priority", "IFLA_BR_PRIORITY", 6, "u16"),
        Row("vlan_filtering", "IFLA_BR_VLAN_FILTERING", 7, "bool8"),
        Row("mcast_snooping", "IFLA_BR_MCAST_SNOOPING", 23, "bool8"),
    ),
    port_rows=(
        Row("priority", "IFLA_BRPORT_PRIORITY", 2, "u16"),
        Row("cost", "IFLA_BRPORT_COST", 3, "u32"),
        Row("hairpin", "IFLA_BRPORT_MODE", 4, "bool8"),
        Row("guard", "IFLA_BRPORT_GUARD", 5, "bool8"),
        Row("learning", "IFLA_BRPORT_LEARNING", 8, "bool8"),
        Row("flood", "IFLA_BRPORT_UNICAST_FLOOD", 9, "bool8"),
        Row("isolated", "IFLA_BRPORT_ISOLATED", 33, "bool8"),
    ),
)

XMIT_HASH = ((0, "layer2"), (1, "layer3+4"), (2, "layer2+3"), (3, "encap2+3"), (4, "encap3+4"), (5, "vlan+srcmac"))

BOND = KindTable(
    "bond",
    rows=(
        Row("mode", "IFLA_BOND_MODE", 1, "u8", _enum(bond_kind.MODES)),
        Row("miimon", "IFLA_BOND_MIIMON", 3, "u32"),
        Row("updelay", "IFLA_BOND_UPDELAY", 4, "u32"),
        Row("downdelay", "IFLA_BOND_DOWNDELAY", 5, "u32"),
        Row("use_carrier", "IFLA_BOND_USE_CARRIER", 6, "bool8"),
        Row("arp_interval", "IFLA_BOND_ARP_INTERVAL", 7, "u32"),
        Row(
            "arp_validate",
            "IFLA_BOND_ARP_VALIDATE",
            9,
            "u32",
            _enum(("none", "active", "backup", "all", "filter", "filter_active", "filter_backup")),
        ),
        Row("arp_all_targets", "IFLA_BOND_ARP_ALL_TARGETS", 10, "u32", _enum(("any", "all"))),
        Row("primary_reselect", "IFLA_BOND_PRIMARY_RESELECT", 12, "u8", _enum(("always", "better", "failure"))),
        Row("fail_over_mac", "IFLA_BOND_FAIL_OVER_MAC", 13, "u8", _enum(("none", "active", "follow"))),
        Row("xmit_hash_policy", "IFLA_BOND_XMIT_HASH_POLICY", 14, "u8", XMIT_HASH),
        Row("resend_igmp", "IFLA_BOND_RESEND_IGMP", 15, "u32"),
        Row("num_grat_arp", "IFLA_BOND_NUM_PEER_NOTIF", 16, "u8"),
        Row("all_slaves_active", "IFLA_BOND_ALL_SLAVES_ACTIVE", 17, "bool8"),
        Row("min_links", "IFLA_BOND_MIN_LINKS", 18, "u32"),
        Row("packets_per_slave", "IFLA_BOND_PACKETS_PER_SLAVE", 20, "u32"),
        Row("lacp_rate", "IFLA_BOND_AD_LACP_RATE", 21, "u8", _enum(("slow", "fast"))),
        Row("ad_select", "IFLA_BOND_AD_SELECT", 22, "u8", _enum(("stable", "bandwidth", "count"))),
        Row("ad_actor_sys_prio", "IFLA_BOND_AD_ACTOR_SYS_PRIO", 24, "u16"),
        Row("ad_user_port_key", "IFLA_BOND_AD_USER_PORT_KEY", 25, "u16"),
        Row("tlb_dynamic_lb", "IFLA_BOND_TLB_DYNAMIC_LB", 27, "bool8"),
    ),
    port_rows=(Row("queue_id", "IFLA_BOND_SLAVE_QUEUE_ID", 5, "u16"),),
    special=("arp_ip_target", "primary", "ad_actor_system", "prio"),
)

VLAN = KindTable(
    "vlan",
    rows=(Row("id", "IFLA_VLAN_ID", 1, "u16"),),
    special=(
        "protocol",
        "reorder_hdr",
        "gvrp",
        "mvrp",
        "loose_binding",
        "bridge_binding",
        "egress_qos_map",
        "ingress_qos_map",
    ),
)

MACVLAN_MODES = ((1, "private"), (2, "vepa"), (4, "bridge"), (8, "passthru"), (16, "source"))
MACVLAN = KindTable("macvlan", rows=(Row("mode", "IFLA_MACVLAN_MODE", 1, "u32", MACVLAN_MODES),))
# pyroute2 names the same attribute IFLA_MACVTAP_MODE for macvtap
MACVTAP = KindTable("macvtap", rows=(Row("mode", "IFLA_MACVTAP_MODE", 1, "u32", MACVLAN_MODES),))

IPVLAN = KindTable(
    "ipvlan",
    rows=(
        Row("mode", "IFLA_IPVLAN_MODE", 1, "u16", _enum(("l2", "l3", "l3s"))),
        Row("flag", "IFLA_IPVLAN_FLAGS", 2, "u16", _enum(("bridge", "private", "vepa"))),
    ),
)

VXLAN = KindTable(
    "vxlan",
    rows=(
        Row("id", "IFLA_VXLAN_ID", 1, "u32"),
        Row("ttl", "IFLA_VXLAN_TTL", 5, "u8"),
        Row("learning", "IFLA_VXLAN_LEARNING", 7, "bool8"),
        Row("dstport", "IFLA_VXLAN_PORT", 15, "be16"),
    ),
    special=("remote", "group", "local"),
)

VRF = KindTable("vrf", rows=(Row("table", "IFLA_VRF_TABLE", 1, "u32"),))

# tun/tap are made with ioctl(TUNSETIFF), not netlink; these rows are read only.
TUN = KindTable(
    "tun",
    rows=(
        Row("pi", "IFLA_TUN_PI", 4, "bool8"),
        Row("vnet_hdr", "IFLA_TUN_VNET_HDR", 5, "bool8"),
        Row("multi_queue", "IFLA_TUN_MULTI_QUEUE", 7, "bool8"),
    ),
    special=("user", "group"),
)

VETH = KindTable("veth")
DUMMY = KindTable("dummy")
TEAM = KindTable("team")  # settings live in teamd, read with teamdctl

TABLES: dict[LinkKind, KindTable] = {
    LinkKind.BRIDGE: BRIDGE,
    LinkKind.BOND: BOND,
    LinkKind.VLAN: VLAN,
    LinkKind.MACVLAN: MACVLAN,
    LinkKind.MACVTAP: MACVTAP,
    LinkKind.IPVLAN: IPVLAN,
    LinkKind.VXLAN: VXLAN,
    LinkKind.VRF: VRF,
    LinkKind.TAP: TUN,
    LinkKind.TUN: TUN,
    LinkKind.VETH: VETH,
    LinkKind.DUMMY: DUMMY,
    LinkKind.TEAM: TEAM,
}

# IFLA_INFO_KIND -> IR kind (tun and tap share "tun"; IFLA_TUN_TYPE tells them apart).
KIND_BY_INFO = {t.info_kind: k for k, t in TABLES.items() if k is not LinkKind.TAP}
TUN_TYPES = {1: LinkKind.TUN, 2: LinkKind.TAP}

# -- the settings that need code ------------------------------------------

IFLA_BOND_ARP_IP_TARGET, IFLA_BOND_PRIMARY, IFLA_BOND_AD_ACTOR_SYSTEM = 8, 11, 26
IFLA_BOND_SLAVE_PRIO = 9
IFLA_VLAN_FLAGS, IFLA_VLAN_EGRESS_QOS, IFLA_VLAN_INGRESS_QOS, IFLA_VLAN_PROTOCOL = 2, 3, 4, 5
IFLA_VLAN_QOS_MAPPING = 1
IFLA_VXLAN_GROUP, IFLA_VXLAN_LINK, IFLA_VXLAN_LOCAL = 2, 3, 4
IFLA_VXLAN_GROUP6, IFLA_VXLAN_LOCAL6 = 16, 17
IFLA_TUN_OWNER, IFLA_TUN_GROUP, IFLA_TUN_TYPE, IFLA_TUN_NUM_QUEUES = 1, 2, 3, 8

VLAN_FLAG_BITS = {"reorder_hdr": 0x1, "gvrp": 0x2, "loose_binding": 0x4, "mvrp": 0x8, "bridge_binding": 0x10}
VLAN_PROTOCOLS = {0x8100: "802.1Q", 0x88A8: "802.1ad"}


def _qos(payload) -> tuple[tuple[int, int], ...]:
    pairs = []
    for kind, mapping in rtnl.attribute_list(payload):
        if kind == IFLA_VLAN_QOS_MAPPING and len(mapping) >= 8:
            frm, to = rtnl.u32(mapping[:4]), rtnl.u32(mapping[4:8])
            if to:
                pairs.append((frm, to))
    return tuple(sorted(pairs))


def _uid_name(uid: int) -> str:
    import pwd

    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _gid_name(gid: int) -> str:
    import grp

    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


# While STP settles a topology change, a bridge reports its short ageing time
# (twice forward_delay), not the configured one: that value says nothing then.
IFLA_BR_TOPOLOGY_CHANGE = 14
TRANSIENT = {LinkKind.BRIDGE: ("ageing_time",)}

SPECIAL_ATTRIBUTES = {
    "bond": (IFLA_BOND_ARP_IP_TARGET, IFLA_BOND_PRIMARY, IFLA_BOND_AD_ACTOR_SYSTEM),
    "vlan": (IFLA_VLAN_FLAGS, IFLA_VLAN_EGRESS_QOS, IFLA_VLAN_INGRESS_QOS, IFLA_VLAN_PROTOCOL),
    "vxlan": (IFLA_VXLAN_GROUP, IFLA_VXLAN_LINK, IFLA_VXLAN_LOCAL, IFLA_VXLAN_GROUP6, IFLA_VXLAN_LOCAL6),
    "tun": (IFLA_TUN_OWNER, IFLA_TUN_GROUP, IFLA_TUN_TYPE, IFLA_TUN_NUM_QUEUES),
    "bridge": (IFLA_BR_TOPOLOGY_CHANGE,),
}
SPECIAL_PORT_ATTRIBUTES = {"bond": (IFLA_BOND_SLAVE_PRIO,)}
_BY_INFO_KIND = {t.info_kind: t for t in TABLES.values()}


@functools.cache
def data_attributes(info_kind: str | None) -> frozenset:
    """The IFLA_INFO_DATA attributes worth decoding for a kind (None: keep all)."""
    table = _BY_INFO_KIND.get(info_kind)
    if table is None:
        return frozenset()
    return frozenset([r.number for r in table.rows] + list(SPECIAL_ATTRIBUTES.get(info_kind, ())))


@functools.cache
def port_attributes(slave_kind: str | None) -> frozenset:
    table = _BY_INFO_KIND.get(slave_kind)
    if table is None:
        return frozenset()
    return frozenset([r.number for r in table.port_rows] + list(SPECIAL_PORT_ATTRIBUTES.get(slave_kind, ())))


def decode_special(kind: LinkKind, data: dict, name_of) -> dict:
    """Fields of ``kind`` that no plain row describes; ``name_of(ifindex)`` names a link."""
    out: dict = {}
    if kind is LinkKind.BRIDGE:
        if IFLA_BR_TOPOLOGY_CHANGE in data and rtnl.u8(data[IFLA_BR_TOPOLOGY_CHANGE]):
            out["ageing_time"] = None  # transient: see TRANSIENT
    elif kind is LinkKind.BOND:
        if IFLA_BOND_ARP_IP_TARGET in data:
            targets = tuple(rtnl.ip(p) for _, p in rtnl.attribute_list(data[IFLA_BOND_ARP_IP_TARGET]))
            if targets:
                out["arp_ip_target"] = targets
        if IFLA_BOND_PRIMARY in data:
            out["primary"] = name_of(rtnl.u32(data[IFLA_BOND_PRIMARY]))
        if IFLA_BOND_AD_ACTOR_SYSTEM in data:
            out["ad_actor_system"] = rtnl.mac(data[IFLA_BOND_AD_ACTOR_SYSTEM])
    elif kind is LinkKind.VLAN:
        if IFLA_VLAN_PROTOCOL in data:
            proto = rtnl.be16(data[IFLA_VLAN_PROTOCOL])
            out["protocol"] = VLAN_PROTOCOLS.get(proto, hex(proto))
        if IFLA_VLAN_FLAGS in data:
            flags = rtnl.u32(data[IFLA_VLAN_FLAGS][:4])
            for field, bit in VLAN_FLAG_BITS.items():
                out[field] = bool(flags & bit)
        if IFLA_VLAN_EGRESS_QOS in data:
            out["egress_qos_map"] = _qos(data[IFLA_VLAN_EGRESS_QOS]) or None
        if IFLA_VLAN_INGRESS_QOS in data:
            out["ingress_qos_map"] = _qos(data[IFLA_VLAN_INGRESS_QOS]) or None
    elif kind is LinkKind.VXLAN:
        group = data.get(IFLA_VXLAN_GROUP) or data.get(IFLA_VXLAN_GROUP6)
        if group is not None:
            address = rtnl.ip(group)
            if not ipaddress.ip_address(address).is_unspecified:
                out["group" if ipaddress.ip_address(address).is_multicast else "remote"] = address
        local = data.get(IFLA_VXLAN_LOCAL) or data.get(IFLA_VXLAN_LOCAL6)
        if local is not None and not ipaddress.ip_address(rtnl.ip(local)).is_unspecified:
            out["local"] = rtnl.ip(local)
    elif kind in (LinkKind.TUN, LinkKind.TAP):
        # 0xffffffff: no owner (INVALID_UID)
        if IFLA_TUN_OWNER in data and rtnl.u32(data[IFLA_TUN_OWNER]) != 0xFFFFFFFF:
            out["user"] = _uid_name(rtnl.u32(data[IFLA_TUN_OWNER]))
        if IFLA_TUN_GROUP in data and rtnl.u32(data[IFLA_TUN_GROUP]) != 0xFFFFFFFF:
            out["group"] = _gid_name(rtnl.u32(data[IFLA_TUN_GROUP]))
    return out


def decode_port_special(kind: LinkKind, data: dict) -> dict:
    if kind is LinkKind.BOND and IFLA_BOND_SLAVE_PRIO in data:
        return {"prio": rtnl.s32(data[IFLA_BOND_SLAVE_PRIO])}
    return {}


def vxlan_parent_index(data: dict) -> int:
    return rtnl.u32(data[IFLA_VXLAN_LINK]) if IFLA_VXLAN_LINK in data else 0


def tun_in_use(data: dict, carrier: bool) -> bool:
    """Whether a process holds a tun/tap open (qemu, a VPN daemon): the driver turns the
    carrier on while a queue is attached, and counts a multi-queue device's queues."""
    queues = rtnl.u32(data[IFLA_TUN_NUM_QUEUES]) if IFLA_TUN_NUM_QUEUES in data else 0
    return carrier or queues > 0


def tun_kind(data: dict) -> LinkKind:
    return TUN_TYPES.get(rtnl.u8(data[IFLA_TUN_TYPE]) if IFLA_TUN_TYPE in data else 2, LinkKind.TAP)


def encode_special(kind: LinkKind, values: dict, index_of) -> list:
    """pyroute2 (name, value) pairs for special fields; ``index_of(name)`` gives an ifindex."""
    out = []
    if kind is LinkKind.BOND:
        if "arp_ip_target" in values:
            out.append(("IFLA_BOND_ARP_IP_TARGET", list(values["arp_ip_target"])))
        if "primary" in values:
            out.append(("IFLA_BOND_PRIMARY", index_of(values["primary"])))
        if "ad_actor_system" in values:
            # pyroute2 declares this attribute 'hex', a raw string: handed the MAC's text it sends
            # those 17 characters, and the kernel (which wants exactly 6 bytes) refuses with ERANGE
            mac = bytes(int(octet, 16) for octet in values["ad_actor_system"].split(":"))
            out.append(("IFLA_BOND_AD_ACTOR_SYSTEM", mac))
    elif kind is LinkKind.VLAN:
        if "protocol" in values:
            out.append(("IFLA_VLAN_PROTOCOL", {v: k for k, v in VLAN_PROTOCOLS.items()}[values["protocol"]]))
        mask = flags = 0
        for field, bit in VLAN_FLAG_BITS.items():
            if field in values:
                mask |= bit
                flags |= bit if values[field] else 0
        if mask:
            out.append(("IFLA_VLAN_FLAGS", {"flags": flags, "mask": mask}))
        for field, nla in (("egress_qos_map", "IFLA_VLAN_EGRESS_QOS"), ("ingress_qos_map", "IFLA_VLAN_INGRESS_QOS")):
            if field in values:
                mappings = [("IFLA_VLAN_QOS_MAPPING", {"from": a, "to": b}) for a, b in values[field]]
                out.append((nla, {"attrs": mappings}))
    elif kind is LinkKind.VXLAN:
        for field in ("remote", "group"):
            if field in values:
                v6 = ipaddress.ip_address(values[field]).version == 6
                out.append(("IFLA_VXLAN_GROUP6" if v6 else "IFLA_VXLAN_GROUP", values[field]))
        if "local" in values:
            v6 = ipaddress.ip_address(values["local"]).version == 6
            out.append(("IFLA_VXLAN_LOCAL6" if v6 else "IFLA_VXLAN_LOCAL", values["local"]))
    return out


def same_value(field: str, wanted, actual) -> bool:
    """Whether a read-back value satisfies the spec's (order-free lists, case-free MACs)."""
    if field in ("egress_qos_map", "ingress_qos_map"):
        # a mapping to priority 0 is no mapping: the kernel lists only the others
        return tuple(sorted(p for p in (wanted or ()) if p[1])) == tuple(sorted(actual or ()))
    if isinstance(wanted, tuple) and isinstance(actual, tuple):
        return sorted(wanted) == sorted(actual)
    if isinstance(wanted, str) and isinstance(actual, str):
        return wanted.lower() == actual.lower()
    return wanted == actual
