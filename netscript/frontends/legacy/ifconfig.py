"""ifconfig(8) from net-tools -> ``ip link`` / ``ip address``.

Handled: up/down, mtu, txqueuelen, ``hw ether``, [-]promisc, [-]allmulti,
[-]arp, [-]multicast, IPv4 addresses with netmask and broadcast, ``inet6
add|del``, and the query forms. ifconfig works through its options in order;
the translation keeps that order (an address before ``up``).

Traps: without ``netmask`` ifconfig gives an IPv4 address its classful mask
(10.x /8, 172.16.x /16, 192.168.x /24) and the kernel sets the broadcast
address (``broadcast +``); numbers are decimal (``mtu 01500`` is 1500, where
``ip`` would read octal). ifconfig *replaces* the interface's primary IPv4
address where ``ip address add`` adds one (said in the hint).
"""

from __future__ import annotations

import ipaddress
import itertools
import re
from dataclasses import dataclass

from ...ir.model import AdminState
from . import effects as fx
from .args import did_you_mean
from .model import CommandLine, Context, Keep, Parsed, Rewrite, note_at
from .modern import cmd, joined, text
from .numbers import atoi
from .shell import Usage

TOOL = "ifconfig"
LEGACY = True

# ifconfig switch -> the `ip link set` words it becomes
SWITCHES = {
    "promisc": ("promisc", "on"), "-promisc": ("promisc", "off"),
    "allmulti": ("allmulticast", "on"), "-allmulti": ("allmulticast", "off"),
    "arp": ("arp", "on"), "-arp": ("arp", "off"),
    "multicast": ("multicast", "on"), "-multicast": ("multicast", "off"),
}
NUMBERS = {"mtu": ("mtu", 68, 65535), "txqueuelen": ("txqueuelen", 0, 2**32 - 1)}
UNSUPPORTED = ("tunnel", "io_addr", "irq", "mem_start", "media", "outfill", "keepalive", "dynamic", "-dynamic", "trailers", "-trailers", "pointopoint", "-pointopoint", "dstaddr", "-broadcast")
KNOWN = ("up", "down", "netmask", "broadcast", "hw", "add", "del", "metric", "inet", "inet6", *SWITCHES, *NUMBERS, *UNSUPPORTED)
HELP = "ifconfig IFACE [ADDRESS [netmask MASK] [broadcast ADDR]] [up|down] [mtu N] [hw ether MAC] [[-]promisc] ..."


def classful_prefix(address: str) -> int:
    """The prefix length ifconfig (the kernel) gives an IPv4 address set without a netmask."""
    first = int(address.split(".")[0])
    return 8 if first < 128 else 16 if first < 192 else 24 if first < 224 else 32


@dataclass(frozen=True)
class Step:
    kind: str  # link, address, address6, flush4
    words: tuple = ()  # for link: ip words (Word or str); for addresses: (address arg, extra words)
    effect: object = None


@dataclass(frozen=True)
class IfconfigCommand:
    """One parsed ifconfig command line; ``steps`` in ifconfig's order, empty for a query."""
    line: CommandLine
    device: object = None  # Word, None for `ifconfig -a`
    steps: tuple = ()  # empty: a query
    tool: str = TOOL

    def modern(self, ctx: Context) -> Rewrite | Keep:
        """The modern commands that do what this did, or why it stays."""
        dev = self.device
        if not self.steps:
            if Usage.OUTPUT_PARSED in ctx.usage:
                return Keep(reason="ifconfig's report is parsed and no modern command prints it", suggestion="ip -j address show")
            if Usage.STATUS_TESTED in ctx.usage:
                if dev is None or Usage.OUTPUT_DISCARDED not in ctx.usage:
                    return Keep(reason="the report of ifconfig is shown and its status tested", suggestion="ip link show dev IFACE")
                return Rewrite((cmd("ip", "link", "show", "dev", dev),), "ifconfig IFACE (status only) -> ip link show")
            show = cmd("ip", "address", "show", *(["dev", dev] if dev is not None else []))
            return Rewrite((show,), "ifconfig -> ip address show (another output format)")
        out, hint = [], None
        for step in self.steps:
            if step.kind == "link":
                out.append(cmd("ip", "link", "set", "dev", dev, *step.words))
            elif step.kind == "address":
                hint = "ifconfig replaced the interface's primary IPv4 address; ip address add adds one"
                out.append(cmd("ip", "address", "add", *step.words, "dev", _base(dev), *_label(dev)))
            elif step.kind == "address6":
                out.append(cmd("ip", "-6", "address", *step.words, "dev", dev))
            else:
                hint = "ifconfig 0.0.0.0 removed the primary IPv4 address (and so its secondaries); ip address flush removes them all"
                out.append(cmd("ip", "-4", "address", "flush", "dev", _base(dev), *_label(dev)))
        return Rewrite(tuple(out), "ifconfig -> ip link set / ip address", hint=hint)

    def effects(self, ctx: Context | None = None) -> list:
        """What the command changes, as IR edits (names and values literal)."""
        if not self.steps:
            return [fx.NoEffect(what="ifconfig report")]
        if self.device.value is None:
            return [fx.Unexpressible(f"{self.device.text} only known at run time")]
        return [s.effect for s in self.steps]


def _base(dev):
    """`eth0:1` (an alias label) lives on eth0."""
    if dev.value is not None and ":" in dev.value:
        return dev.value.split(":")[0]
    return dev


def _label(dev) -> list:
    return ["label", dev] if dev.value is not None and ":" in dev.value else []


def parse(line: CommandLine) -> Parsed:
    """Read one ifconfig command line."""
    args = [w for w in line.args if w.value not in ("-v",)]
    if not args or (args[0].value or "").startswith("-") and args[0].value in ("-a", "-s"):
        rest = args[1:] if args else []
        return Parsed(IfconfigCommand(line, rest[0] if rest else None))
    dev, rest = args[0], args[1:]
    if not rest:
        return Parsed(IfconfigCommand(line, dev))
    steps, pending, notes = [], [], []
    i = 0

    def flush():
        if pending:
            steps.append(Step("link", tuple(pending), fx.SetLink(dev.value or "", **_link_effect(pending))))
            pending.clear()

    while i < len(rest):
        w = rest[i]
        v = w.value
        if v is None:
            if i == 0:  # an address only known at run time
                return _dynamic_address(line, dev, rest)
            return Parsed(None, [note_at(w, "NS402", f"{w.text} decides what ifconfig does; only known at run time")])
        if v in ("inet",):
            i += 1
            continue
        if v in ("up", "down"):
            pending.append(v)
            flush()
        elif v in SWITCHES:
            pending += list(SWITCHES[v])
        elif v in NUMBERS:
            key, low, high = NUMBERS[v]
            value = rest[i + 1] if i + 1 < len(rest) else None
            if value is None:
                return Parsed(None, [note_at(w, "NS404", f"ifconfig {v} needs a value")])
            n = atoi(value.value) if value.value is not None else None
            if value.value is not None and (n is None or not low <= n <= high):
                return Parsed(None, [note_at(value, "NS405", f"{v} {value.value} is out of range {low}-{high}")])
            pending += [key, text(str(n)) if n is not None else joined(value)]
            i += 1
        elif v == "hw":
            if i + 2 >= len(rest) or rest[i + 1].value != "ether":
                return Parsed(None, [note_at(w, "NS402", "only `hw ether MAC` has an ip equivalent")])
            pending += ["address", joined(rest[i + 2])]
            i += 2
        elif v == "metric":
            notes.append(note_at(w, "NS406", "the kernel ignores an interface metric; dropped"))
            i += 1
        elif v == "inet6" and i + 2 < len(rest) and rest[i + 1].value in ("add", "del"):
            flush()
            op, addr = rest[i + 1].value, rest[i + 2]
            steps.append(Step("address6", (op, joined(addr)), _address_effect(dev, addr, op, 6)))
            i += 2
        elif v in ("add", "del") and i + 1 < len(rest):
            flush()
            addr = rest[i + 1]
            steps.append(Step("address6", (v, joined(addr)), _address_effect(dev, addr, v, 6)))
            i += 1
        elif _is_ipv4(v) or re.fullmatch(r"[0-9.]+/[0-9]+", v):
            flush()
            step, used, problem = _ipv4(dev, rest, i)
            if problem is not None:
                return Parsed(None, [problem])
            steps.append(step)
            i += used
        elif v in ("netmask", "broadcast"):
            return Parsed(None, [note_at(w, "NS402", f"{v} without an address changes the existing one; translate by hand")])
        elif v in UNSUPPORTED:
            return Parsed(None, [note_at(w, "NS402", f"ifconfig {v} has no ip link equivalent here")])
        else:
            hint = did_you_mean(v, KNOWN) or HELP
            return Parsed(None, [note_at(w, "NS403", f"ifconfig has no option {v!r} (and it is not an IPv4 address)", hint)])
        i += 1
    flush()
    return Parsed(IfconfigCommand(line, dev, tuple(steps)), notes)


def _is_ipv4(v: str) -> bool:
    try:
        ipaddress.IPv4Address(v)
        return True
    except ValueError:
        return v == "0"


def _ipv4(dev, rest, i):
    """An IPv4 address with the netmask and broadcast after it: (step, words used, problem)."""
    addr = rest[i].value
    if addr in ("0", "0.0.0.0"):
        return Step("flush4", (), fx.FlushAddresses(_name(dev))), 0, None
    prefix = None
    if "/" in addr:
        addr, _, p = addr.partition("/")
        prefix = int(p)
    used, broadcast = 0, "+"
    j = i + 1
    while j + 1 < len(rest) and rest[j].value in ("netmask", "broadcast"):
        key, value = rest[j].value, rest[j + 1]
        if value.value is None:
            return None, 0, note_at(value, "NS402", f"the {key} is only known at run time")
        if key == "netmask":
            try:
                prefix = ipaddress.IPv4Network(f"0.0.0.0/{value.value}").prefixlen
            except ValueError:
                return None, 0, note_at(value, "NS405", f"{value.value} is not a netmask")
        else:
            broadcast = value.value
        used += 2
        j += 2
    if prefix is None:
        prefix = classful_prefix(addr)
    cidr = f"{addr}/{prefix}"
    return Step("address", (text(cidr), "broadcast", text(broadcast)), fx.AddAddress(_name(dev), cidr)), used, None


def _dynamic_address(line, dev, rest) -> Parsed:
    """`ifconfig eth0 $IP netmask 255.255.255.0 up`: the prefix comes from the netmask."""
    addr = rest[0]
    words = [w.value for w in rest[1:]]
    if len(words) >= 2 and words[0] == "netmask" and words[1] is not None:
        try:
            prefix = ipaddress.IPv4Network(f"0.0.0.0/{words[1]}").prefixlen
        except ValueError:
            return Parsed(None, [note_at(rest[2], "NS405", f"{words[1]} is not a netmask")])
        tail = words[2:]
        if all(t in ("up", "down") for t in tail):
            steps = [Step("address", (joined(addr, f"/{prefix}"), "broadcast", "+"), fx.Unexpressible(f"{addr.text} only known at run time"))]
            steps += [Step("link", (t,), fx.NoEffect()) for t in tail]
            return Parsed(IfconfigCommand(line, dev, tuple(steps)))
    return Parsed(None, [note_at(addr, "NS402", f"the address {addr.text} is only known at run time, and so is the netmask ifconfig would give it")])


def _name(dev) -> str:
    v = dev.value or ""
    return v.split(":")[0]


def _link_effect(words) -> dict:
    out = {}
    plain = [w if isinstance(w, str) else w.literal for w in words]
    for k, v in itertools.pairwise(plain):
        if k == "mtu" and v:
            out["mtu"] = int(v)
        elif k == "txqueuelen" and v:
            out["txqueuelen"] = int(v)
        elif k == "address" and v:
            out["mac"] = v.lower()
    if plain and plain[-1] in ("up", "down"):
        out["state"] = AdminState(plain[-1])
    return out


def _address_effect(dev, addr, op, family):
    if addr.value is None:
        return fx.Unexpressible(f"{addr.text} only known at run time")
    if op == "add":
        return fx.AddAddress(_name(dev), addr.value)
    return fx.DeleteAddress(_name(dev), addr.value)
