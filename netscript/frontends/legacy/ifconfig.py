"""ifconfig(8) from net-tools -> ``ip link`` / ``ip address``.

Handled: up/down, mtu, txqueuelen, ``hw ether``, [-]promisc, [-]allmulti,
[-]arp, [-]multicast, IPv4 addresses with netmask and broadcast, ``inet6
add|del``, aliases (``eth0:1``), and the query forms. ifconfig works through
its options in order, going on after one fails; the translation keeps the
order and stops at the first failure, so a form whose later options matter
after a failure stays as written.

What net-tools 2.10 does, measured against the kernel's SIOCSIF* ioctls:

- Setting an IPv4 address (``0.0.0.0`` too) then sets IFF_UP: the link comes
  up (``ip link set ... up`` after the address; a ``down`` later in the same
  command takes it down again, after that up). ``inet6 add|del`` does not.
- The address replaces the first one labelled with the interface's name; the
  same address again changes nothing. ``ip address replace`` does the same
  for the same address and adds a different one next to the others (said in
  the hint). ``0.0.0.0`` deletes that first address, which ``ip -4 address
  delete dev IF label IF`` does too (it picks the first match, as the ioctl).
- Without ``netmask`` the address gets its classful mask and the kernel's
  broadcast; :mod:`.ifconfig_address` replays how netmask, broadcast and
  ``ADDR/LEN`` change them, to one prefix and broadcast for ``ip``. On a
  point-to-point link (tun) the kernel gives no broadcast, and /32 without
  a netmask; on lo no broadcast: the translation asks the link's flags at
  run time where that changes the address.
- ``eth0:1`` is no link: it is the label of one IPv4 address of eth0. An
  address on it replaces the address with that label (``ip -4 address flush
  dev eth0 label eth0:1``, then ``ip address add ... label eth0:1``; an
  alias that had this very address already is removed and added again). The
  flags ifconfig sets on it go through the alias: without IFF_UP (``down``,
  or any flag while eth0 is down, ``broadcast`` included) the kernel deletes
  the alias's address, otherwise nothing happens, and eth0 itself never
  changes. ``eth0:1 up`` only fails when there is no such alias. MTU, queue
  length and MAC set through an alias are eth0's.
- Exit status: ifconfig exits 255 when a flag change fails and 1 when an
  address ioctl fails; the translations fail where it fails, with ip's 1 or
  2, or 1 from the test of an alias.

Numbers: mtu is ``atoi`` (``mtu 01500`` is 1500, where ``ip`` would read
octal), txqueuelen ``strtoul(..., 0)`` (``010`` is 8); both are written in
decimal. A link in a variable (``$IF``) is taken as a link, not an alias.
"""

from __future__ import annotations

import ipaddress
import itertools
import re
from dataclasses import dataclass

from ...ir.model import AdminState
from . import effects as fx
from .args import did_you_mean, refused
from .ifconfig_address import Address, Refused, literal_address, run_time_address
from .model import CommandLine, Context, Keep, Note, Parsed, Rewrite, note_at
from .modern import (
    Arg,
    Choice,
    Cmd,
    Piece,
    Shell,
    Text,
    Try,
    Unless,
    carried,
    cmd,
    joined,
    quoted_path,
    render_arg,
    text,
)
from .numbers import atoi, scanf_int
from .shell import Usage
from .word_grammar import VALUE, Mismatch, Node, grammar
from .words import Lit, Var, Word

TOOL = "ifconfig"
LEGACY = True

# ifconfig switch -> the `ip link set` words it becomes
SWITCHES = {
    "promisc": ("promisc", "on"), "-promisc": ("promisc", "off"),
    "allmulti": ("allmulticast", "on"), "-allmulti": ("allmulticast", "off"),
    "arp": ("arp", "on"), "-arp": ("arp", "off"),
    "multicast": ("multicast", "on"), "-multicast": ("multicast", "off"),
}
# ifconfig number option -> (ip's word, how ifconfig reads it, lowest, highest)
NUMBERS = {"mtu": ("mtu", atoi, 68, 65535), "txqueuelen": ("txqueuelen", scanf_int, 0, 2**32 - 1)}


# -- what one command line asks for, in ifconfig's order ----------------------


@dataclass(frozen=True)
class Option:
    """One option of the command line: ``kind`` is link, state, address, zero, netmask, broadcast or address6."""

    kind: str
    word: Word  # the word that starts it (for notes)
    words: tuple[str | Arg | Word, ...] = ()  # link: the ip words; state: (up|down,); address6: (add|del, Word)
    value: Word | None = None  # netmask, broadcast, address: the word with the value


@dataclass(frozen=True)
class Step:
    """One thing the translation does: ``kind`` is link, address, zero, address6, check, delete or guard."""

    kind: str
    words: tuple[str | Arg | Word, ...] = ()  # as the option's
    address: Address | None = None  # address: the one ifconfig leaves


@dataclass(frozen=True)
class Device:
    """The interface operand: a link, or an alias label (``eth0:1``) on a link."""

    word: Word  # as written
    base: Arg  # the link
    base_name: str | None  # literal name of the link
    label: Arg | None = None  # the alias label, None for a link

    @property
    def alias(self) -> bool:
        return self.label is not None

    @property
    def label_name(self) -> str | None:
        return self.word.value if self.alias else None


def device(word: Word) -> Device:
    """``eth0``, ``eth0:1``, ``$IF:1`` (a variable link with a literal alias number)."""
    value = word.value
    if value is not None:
        if ":" in value:
            base = value.split(":")[0]
            return Device(word, text(base), base, carried(word))
        return Device(word, carried(word), value)
    pieces: list[Piece] = []
    for part in word.parts:
        if isinstance(part, Lit) and ":" in part.value:
            before = part.value.split(":")[0]
            if before:
                pieces.append(Text(before))
            return Device(word, Arg(tuple(pieces)), None, carried(word))
        if isinstance(part, Lit):
            pieces.append(Text(part.value))
        else:
            pieces.append(Shell(f'"${{{part.name}}}"' if isinstance(part, Var) else f'"{part.text}"'))
    # taken as a link: what a variable holds is only known at run time; quoted, since the
    # translation may name it in several commands (ifconfig took it as one word)
    return Device(word, quoted_path(word), None)


# -- the modern commands -------------------------------------------------------


@dataclass(frozen=True)
class IfconfigCommand:
    """One parsed ifconfig command line; ``steps`` in ifconfig's order, empty for a query."""

    line: CommandLine
    device: Word | None = None  # None for `ifconfig -a`
    steps: tuple[Step, ...] = ()  # empty: a query
    dev: Device | None = None  # None for `ifconfig -a`
    hints: tuple[str, ...] = ()
    tool: str = TOOL

    def modern(self, ctx: Context) -> Rewrite | Keep:
        """The modern commands that do what this did, or why it stays."""
        if not self.steps:
            return self._query(ctx)
        dev = self.dev
        assert dev is not None  # only a query goes without an interface
        alias = _alias_in_variable(dev.word, ctx.state.get("script", ""))
        if alias is not None:
            return Keep(reason=f"{dev.word.text} is set to an alias name ({alias}), which ifconfig treats apart from a link")
        helpers = tuple(h for step in self.steps if step.address is not None for h in step.address.helpers)
        steps = tuple(s for step in self.steps for s in _commands(dev, step, ctx.in_script))
        return Rewrite(steps, "ifconfig -> ip link set / ip address", hint="; ".join(self.hints) or None, helpers=helpers)

    def _query(self, ctx: Context) -> Rewrite | Keep:
        dev = self.dev
        if Usage.OUTPUT_PARSED in ctx.usage:
            return self._report(ctx)
        if Usage.STATUS_TESTED in ctx.usage:
            if dev is None or Usage.OUTPUT_DISCARDED not in ctx.usage:
                return Keep(reason="the report of ifconfig is shown and its status tested", suggestion="ip link show dev IFACE")
            # ifconfig eth0:1 reports an alias that does not exist too (as eth0's flags): only eth0 must exist
            return Rewrite((cmd("ip", "link", "show", "dev", dev.base),), "ifconfig IFACE (status only) -> ip link show")
        if dev is None:
            return Rewrite((cmd("ip", "address", "show"),), "ifconfig -> ip address show (another output format)")
        label: list[Arg | str] = ["label", dev.label] if dev.label is not None else []  # an alias
        return Rewrite((cmd("ip", "address", "show", "dev", dev.base, *label),), "ifconfig -> ip address show (another output format)")

    def _report(self, ctx: Context) -> Rewrite | Keep:
        """The script reads ifconfig's report: a function defined in the script prints it."""
        options = [w.value for w in self.line.args if w is not self.device]
        if "-s" in options or not ctx.in_script or ctx.prefix:  # a prefix runs a program, not the script's function
            return Keep(reason="ifconfig's report is parsed and no modern command prints it", suggestion="ip -j address show")
        shown = [self.device] if self.device is not None else ["-a"] if "-a" in options else []
        return Rewrite((cmd("ifconfig_show", *shown),), "ifconfig -> ifconfig_show (the same report, from ip and /proc)", helpers=("ifconfig_show",))

    def effects(self, ctx: Context | None = None) -> list[fx.Effect]:
        """What the command changes, as IR edits (names and values literal)."""
        if not self.steps:
            return [fx.NoEffect(what="ifconfig report")]
        dev = self.dev
        assert dev is not None  # only a query goes without an interface
        name = dev.base_name
        if name is None:
            return [fx.Unexpressible(f"{dev.word.text} only known at run time")]
        if any(s.kind == "guard" for s in self.steps):
            return [fx.Unexpressible(f"whether {dev.label_name} keeps its address depends on {name} being up when the script runs")]
        ctx = ctx if ctx is not None else Context()
        out = []
        for step in self.steps:
            out += _effects(dev, name, step, ctx)
        return out


def _alias_in_variable(word: Word, script: str) -> str | None:
    """How the script sets the variable naming the interface, when that names an alias (`ifname="$NIC:0"`)."""
    parts = word.parts
    if len(parts) != 1 or not isinstance(parts[0], Var):
        return None
    for m in re.finditer(rf"(?:^|[\s;&|(]){re.escape(parts[0].name)}=(\S*)", script, re.M):
        value = m.group(1)
        while re.search(r"\$\{[^{}]*\}", value):  # ${X:-y} is no alias
            value = re.sub(r"\$\{[^{}]*\}", "", value)
        if ":" in value:
            return m.group(1)
    return None


def _left(step: Step) -> Address:
    """The address an address step sets."""
    assert step.address is not None  # _address gives it to every command that sets one
    return step.address


def _commands(dev: Device, step: Step, in_script: bool) -> list[Cmd | Try | Unless | Choice]:
    base = dev.base
    if step.kind == "link":
        return [cmd("ip", "link", "set", "dev", base, *step.words)]
    if step.kind == "address6":
        return [cmd("ip", "-6", "address", *step.words, "dev", base)]
    if step.kind == "address" and not dev.alias:
        return [_left(step).commands(base, lambda words: cmd("ip", "address", "replace", *words, "dev", base), in_script)]
    if step.kind == "zero" and not dev.alias:
        # the first address labelled with the link's name; none is no failure (a missing link is, at the `up` after it)
        return [Try(cmd("ip", "-4", "address", "delete", "dev", base, "label", base))]
    label = dev.label
    assert label is not None  # the rest act on an alias (eth0:1): _alias_steps made them
    if step.kind == "address":
        return [_flush(base, label), _left(step).commands(base, lambda words: cmd("ip", "address", "add", *words, "dev", base, "label", label), in_script)]
    if step.kind == "zero":
        return [_flush(base, label)]
    if step.kind == "delete":
        return [cmd("ip", "-4", "address", "delete", "dev", base, "label", label)]
    if step.kind == "check":
        listing = f'"$(ip -4 -o address show dev {render_arg(base)} label {render_arg(label)})"'
        return [cmd("[", "-n", Arg((Shell(listing),)), "]")]
    # guard: the alias loses its address unless the link is up
    up = f'"$(ip link show dev {render_arg(base)} up)"'
    return [Unless(cmd("[", "-n", Arg((Shell(up),)), "]"), _flush(base, label))]


def _flush(base: Arg, label: Arg) -> Cmd:
    return cmd("ip", "-4", "address", "flush", "dev", base, "label", label)


def _effects(dev: Device, name: str, step: Step, ctx: Context) -> list[fx.Effect]:
    """What one step does to the link ``name`` (the device's, literal)."""
    key = f"{TOOL}.alias.{dev.label_name}"
    if step.kind == "link":
        return [_link_effect(name, step.words)]
    if step.kind == "address6":
        op, addr = step.words
        assert isinstance(addr, Word)  # address6: (add|del, the address as written)
        if addr.value is None:
            return [fx.Unexpressible(f"{addr.text} only known at run time")]
        return [fx.AddAddress(name, addr.value) if op == "add" else fx.DeleteAddress(name, addr.value)]
    if step.kind == "address":
        cidr = _left(step).literal()
        if cidr is None:
            return [fx.Unexpressible(f"{_left(step).local.text} only known at run time")]
        if not dev.alias:
            return [fx.AddAddress(name, cidr)]
        out = _alias_removed(dev, name, ctx, key)
        ctx.remember(key, cidr)
        return [e for e in out if not isinstance(e, fx.Unexpressible)] + [fx.AddAddress(name, cidr)]
    if step.kind == "zero" and not dev.alias:
        return [fx.FlushAddresses(name)]
    if step.kind in ("zero", "delete"):
        out = _alias_removed(dev, name, ctx, key)
        ctx.remember(key, "")
        return out or [fx.NoEffect(what=f"{dev.label_name} has no address already")]
    return [fx.NoEffect(what=f"a test that {dev.label_name} exists")]


def _alias_removed(dev: Device, name: str, ctx: Context, key: str) -> list[fx.Effect]:
    """The effect of removing the alias's address: the one the script gave it, when that is sure."""
    old = ctx.recalled(key, None)
    if old:
        return [fx.DeleteAddress(name, old)]
    if old == "":
        return []
    return [fx.Unexpressible(f"removes the address labelled {dev.label_name}, which the script did not set here")]


def _link_effect(name: str, words: tuple[str | Arg | Word, ...]) -> fx.SetLink:
    mtu = txqueuelen = None
    mac = None
    plain = [w if isinstance(w, str) else w.literal if isinstance(w, Arg) else w.value for w in words]
    for k, v in itertools.pairwise(plain):
        if k == "mtu" and v:
            mtu = int(v)
        elif k == "txqueuelen" and v:
            txqueuelen = int(v)
        elif k == "address" and v:
            mac = v.lower()
    states = [w for w in plain if w in ("up", "down")]
    return fx.SetLink(name, mtu=mtu, mac=mac, txqueuelen=txqueuelen, state=AdminState(states[-1]) if states else None)


# -- reading the command line ---------------------------------------------------


def parse(line: CommandLine) -> Parsed:
    """Read one ifconfig command line (grammars/ifconfig.lark)."""
    args = [w for w in line.args if w.value not in ("-v",)]
    if not args:
        return Parsed(IfconfigCommand(line, None))
    read = grammar(TOOL).parse(args)
    if isinstance(read, Mismatch):
        return Parsed(None, [_refused(line, read)])
    word = read.word("interface")
    if read.name == "report":
        return Parsed(IfconfigCommand(line, word, dev=device(word) if word is not None else None))
    assert word is not None  # configure names its interface first (ifconfig.lark)
    dev = device(word)
    parts = [p for p in read.parts() if p.name != "interface"]
    if not parts and len(args) == 1:
        return Parsed(IfconfigCommand(line, word, dev=dev))
    try:
        options = _options(parts)
        if not options:  # `ifconfig eth0 inet`: an address family and nothing to do
            return Parsed(None, [note_at(line, "NS402", "this ifconfig command changes nothing and prints nothing")])
        steps, hints = (_alias_steps if dev.alias else _link_steps)(dev, options)
    except Refused as refused:
        return Parsed(None, [refused.note])
    return Parsed(IfconfigCommand(line, word, tuple(steps), dev, tuple(hints)))


def _refused(line: CommandLine, read: Mismatch) -> Note:
    """An option without its value, or a word ifconfig does not take after ``inet6``."""
    option, word = read.after, read.word
    if word is None and option is not None:
        if option.value == "broadcast":
            return note_at(option, "NS402", "broadcast alone sets IFF_BROADCAST, which the kernel keeps as the driver set it; translate by hand")
        if option.value == "hw":
            return note_at(option, "NS402", "only `hw ether MAC` has an ip equivalent")
        return note_at(option, "NS404", f"ifconfig {option.shown()} needs a value")
    if word is not None and word.value is None and option is not None:
        return note_at(word, "NS402", f"{word.text} decides what ifconfig {option.shown()} does; only known at run time")
    return refused(TOOL, line, read)


def _options(parts: list[Node]) -> list[Option]:
    """The options in order, each checked the way ifconfig reads it."""
    out: list[Option] = []
    for n, part in enumerate(parts):
        first = next(part.tokens())
        w, v, values = first.word, first.word.value, part.values()
        kind = part.name
        if kind == "address":
            if v is None:
                if n == 0:  # an address only known at run time
                    out.append(Option("address", w, value=w))
                    continue
                raise Refused(note_at(w, "NS402", f"{w.text} decides what ifconfig does; only known at run time"))
            if v in ("0", "0.0.0.0"):
                out.append(Option("zero", w))
            elif _ipv4_with_prefix(v):
                out.append(Option("address", w, value=w))
            else:
                keywords = grammar(TOOL).keywords.values()
                hint = did_you_mean(v, keywords) or f"ifconfig options: {', '.join(sorted(k for k in keywords if k.isalpha()))}"
                raise Refused(note_at(w, "NS403", f"ifconfig has no option {v!r} (and it is not an IPv4 address)", hint))
        elif kind in ("up", "down"):
            out.append(Option("state", w, (kind,)))
        elif kind == "switch":
            assert v is not None  # a keyword
            out.append(Option("link", w, SWITCHES[v]))
        elif kind == "number":
            assert v is not None  # a keyword
            out.append(Option("link", w, _number(v, w, values[0])))
        elif kind == "hw":
            if values[0].value != "ether":
                raise Refused(note_at(w, "NS402", "only `hw ether MAC` has an ip equivalent"))
            out.append(Option("link", w, ("address", joined(values[1]))))
        elif kind == "metric":
            # 2.10 reads it as a host name and exits 1 there; older ones got EOPNOTSUPP and exited 1 at the end
            raise Refused(note_at(w, "NS402", "ifconfig fails on metric (net-tools 2.10 takes it for a host name; the kernel has no interface metric); translate by hand, without it"))
        elif kind == "address6":
            verb, after = [t.word.value for t in part.tokens() if t.terminal != VALUE][-1], values[0]  # add|del, or inet6 add|del
            assert verb is not None  # a keyword
            if after.value is None:
                raise Refused(note_at(after, "NS402", f"{after.text} decides whether ifconfig {verb} works on IPv4 or IPv6; only known at run time"))
            if ":" not in after.value:  # ifconfig's own test for IPv6
                raise Refused(note_at(w, "NS402", f"ifconfig {verb} with an IPv4 address works on numbered aliases (eth0:N) it looks up itself; translate by hand"))
            out.append(Option("address6", w, (verb, after)))
        elif kind in ("netmask", "broadcast"):
            out.append(Option(kind, w, value=values[0]))
        else:
            assert kind == "unsupported", kind  # ifconfig.lark's last alternative
            raise Refused(note_at(w, "NS402", f"ifconfig {v} has no ip link equivalent here"))
    return out


def _number(option: str, w: Word, value: Word | None) -> tuple[str, Arg]:
    """``mtu N`` / ``txqueuelen N`` (``option`` is written as ``w``) as ip's word and value."""
    key, read, low, high = NUMBERS[option]
    if value is None:
        raise Refused(note_at(w, "NS404", f"ifconfig {option} needs a value"))
    if value.value is None:
        return (key, joined(value))
    n = read(value.value)
    if n is None or not low <= n <= high:
        raise Refused(note_at(value, "NS405", f"{option} {value.value} is out of range {low}-{high}"))
    return (key, text(str(n)))


def _ipv4_with_prefix(v: str) -> bool:
    addr, slash, prefix = v.partition("/")
    try:
        ipaddress.IPv4Address(addr)
    except ValueError:
        return False
    return not slash or prefix.isdigit()


# -- what the options do to the link and to its address -------------------------


def _link_steps(dev: Device, options: list[Option]) -> tuple[list[Step], list[str]]:
    """A link: an IPv4 address (or 0.0.0.0) also brings it up, after the address."""
    address = _address(dev, options)
    steps: list[Step] = []
    pending: list[str | Arg | Word] = []
    state: dict[str, str | None] = {"pending": None, "last": None}  # the state word waiting in `pending`; the last one sent

    def flush():
        if pending:
            steps.append(Step("link", tuple(pending)))
            state["last"] = state["pending"] or state["last"]
            pending.clear()
            state["pending"] = None

    def set_state(word, implicit=False):
        if implicit and state["pending"] is None and state["last"] == "up":
            return  # up already in this command
        if state["pending"] not in (None, word):
            flush()  # up then down: both happen, in that order (IPv6 addresses go on the way down)
        if state["pending"] is None:
            pending.append(word)
            state["pending"] = word
        if not implicit:
            flush()

    for option in options:
        if option.kind == "link":
            pending.extend(option.words)
        elif option.kind == "state":
            set_state(option.words[0])
        elif option.kind in ("address", "zero"):
            flush()
            steps.append(Step(option.kind, address=address if option.kind == "address" else None))
            set_state("up", implicit=True)
        elif option.kind == "address6":
            flush()
            steps.append(Step("address6", option.words))
    flush()
    hints = []
    if address is not None:
        hints.append("ifconfig replaced the link's first IPv4 address; ip address replace keeps the others")
    return steps, hints


def _alias_steps(dev: Device, options: list[Option]) -> tuple[list[Step], list[str]]:
    """An alias: an IPv4 address labelled eth0:1; flags set through it only keep or delete it."""
    address = _address(dev, options)
    label = dev.word.text
    steps: list[Step] = []
    hints: list[str] = []
    exists = None  # whether the alias surely has its address here (None: only known at run time)
    for n, option in enumerate(options):
        later = options[n + 1 :]
        if option.kind == "link" and option.words[0] in ("mtu", "txqueuelen", "address"):
            steps.append(Step("link", option.words))
        elif option.kind == "link":
            raise Refused(note_at(option.word, "NS402", f"ifconfig {label} {option.word.value} leaves the link's flags alone: the kernel reads a flag set through an alias only as the alias going up or down (down deletes its address)"))
        elif option.kind == "address":
            steps.append(Step("address", address=address))
            exists = True
        elif option.kind == "zero":
            steps.append(Step("zero"))
            exists = False
        elif option.kind in ("netmask", "broadcast") and exists is not True:
            raise Refused(note_at(option.word, "NS402", f"the {option.kind} after that acts on an alias ifconfig may have removed (a broadcast deletes the alias when the link is down): only known at run time"))
        elif option.kind == "broadcast":
            steps.append(Step("guard"))
            exists = None
            hints.append(f"ifconfig's broadcast sets IFF_BROADCAST through {label}, which deletes the alias when its link is down; so does the translation")
        elif option.kind == "state":
            if exists is not True and later:
                raise Refused(note_at(option.word, "NS402", f"ifconfig goes on after {label} {option.words[0]} fails (no such alias); translate by hand"))
            if option.words[0] == "down":
                steps.append(Step("delete"))
                hints.append(f"ifconfig {label} down removed the alias's address and left its link as it was")
                exists = False
            elif exists is not True:
                steps.append(Step("check"))
                hints.append(f"ifconfig {label} up only failed when there was no such alias; it never brought the link up")
        elif option.kind == "address6":
            steps.append(Step("address6", option.words))
    written = next((o.value for o in options if o.kind == "address"), None)
    if written is not None and "/" in (written.value or "") and exists is not True:
        raise Refused(note_at(written, "NS402", "ifconfig sets the prefix of ADDR/LEN after the other options, on an alias they may have removed: only known at run time"))
    if address is not None:
        hints.append("an alias that had this address already is removed and added again (ifconfig left it as it was)")
    return steps, hints


def _address(dev: Device, options: list[Option]) -> Address | None:
    """The IPv4 address the command leaves, with its netmask and broadcast applied as the kernel does."""
    sets = [o for o in options if o.kind in ("address", "zero")]
    if len(sets) > 1:
        raise Refused(note_at(sets[1].word, "NS402", "ifconfig sets the IPv4 address twice here, the second replacing the first; translate by hand"))
    first = options.index(sets[0]) if sets else len(options)
    for option in options[:first]:
        if option.kind in ("netmask", "broadcast"):
            raise Refused(note_at(option.word, "NS402", f"ifconfig {option.kind} changes the {option.kind} of the address {dev.word.text} has, only known at run time; translate by hand"))
    if not sets:
        return None
    changes = [o for o in options[first + 1 :] if o.kind in ("netmask", "broadcast")]
    if sets[0].kind == "zero":
        if changes:
            raise Refused(note_at(changes[0].word, "NS402", f"the {changes[0].kind} after 0.0.0.0 acts on an address ifconfig has just removed"))
        return None
    local = sets[0].value
    assert local is not None  # an address option is its own word
    if local.value is None or any(o.value is not None and o.value.value is None for o in changes):
        # computed when the script runs: the prefix from the netmask (netmask_prefix), the broadcast as written
        return run_time_address(local, changes)
    return literal_address(local, changes)


