"""``ip`` and ``bridge`` commands, read for what they do (never rewritten).

A script that mixes legacy tools with iproute2 becomes one spec only if the
iproute2 lines are understood too: ``ip link add/set/delete``, ``ip address
add/del/flush``, ``ip netns add/delete``, ``ip tuntap add/del`` and ``bridge
link set``, with ``-n NS``. Kind settings are read through the kinds'
metadata, the way ``ip`` spells them. Numbers are read as ``ip`` reads them
(``strtoul(.., 0)``): ``forward_delay 010`` is 8 centiseconds, and is reported.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import re
from dataclasses import dataclass
from typing import Any

from ... import kinds
from ...ir.model import AdminState, LinkKind
from ...ir.routing import Neighbour, Route, Rule
from ...ir.values import Centiseconds, Choice, Flag, Int, MACAddress, QosMap
from ...kinds.spec import COMMON_SETTINGS
from ...names import interface_name_problem
from . import effects as fx
from . import ip_syntax
from .args import did_you_mean
from .model import CommandLine, Context, Keep, Note, Parsed, note_at
from .numbers import ip_number
from .word_grammar import Mismatch, Node, abbreviation, grammar
from .words import Word, literal_word

TOOL = "ip"
LEGACY = False

PORT_KINDS = {"bridge_slave": LinkKind.BRIDGE, "bond_slave": LinkKind.BOND}


@dataclass(frozen=True)
class IpCommand:
    """One parsed ip or bridge command line: only its effects matter."""
    line: CommandLine
    effects_: tuple[fx.Effect, ...]
    tool: str = TOOL

    def modern(self, ctx: Context) -> Keep:
        """The modern commands that do what this did, or why it stays."""
        return Keep(reason="already a modern command")

    def effects(self, ctx: Context | None = None) -> list[fx.Effect]:
        """What the command changes, as IR edits (names and values literal)."""
        return list(self.effects_)


def _literal(word: Word) -> str:
    """A word's value: parse() reads only commands whose every word is literal."""
    value = word.value
    assert value is not None  # parse() returned before reading a command with a word known only at run time
    return value


class _Reader:
    def __init__(self, line: CommandLine):
        self.line = line
        self.notes: list[Note] = []
        self.netns: str | None = None
        self.family: int | None = None  # -4 / -6 / -f inet6

    def read(self, word: Word, codec, key: str):
        """A value as ip reads it, with the octal trap reported."""
        v = _literal(word)
        if isinstance(codec, (Int, Centiseconds)):
            n = ip_number(v)
            if n is None:
                raise ValueError(f"ip cannot read {v!r} as a number for {key}")
            if re.fullmatch(r"0[0-9]+", v) or v[:2].lower() == "0x":
                self.notes.append(note_at(word, "NS413", f"ip reads {key} {v} as {n}", hint=f"write {n} if that is meant"))
            return n
        return codec.parse(v)

    def value(self, word: Word, codec, key: str, what: str = ""):
        """A setting's value, held to the same rule a spec's value is (the codec's check).

        A value ip or the kernel would refuse is reported at the value, with
        the code validation gives it in a spec; the value is still returned,
        so the rest of the command is read.
        """
        try:
            value = self.read(word, codec, key)
        except ValueError as e:
            self.notes.append(note_at(word, "NS203" if isinstance(codec, Choice) else "NS202", f"{what}{key}: {e}",
                                      hint=_choice_hint(codec, _literal(word))))
            return None
        problem = codec.check(value)
        if problem:
            code = "NS203" if isinstance(codec, Choice) else "NS214" if isinstance(codec, MACAddress) else "NS202"
            hint = _choice_hint(codec, _literal(word))
            if isinstance(codec, Centiseconds) and codec.check(value * 100) is None:
                hint = f"ip takes centiseconds: write {key} {value * 100} for {value} s"
            self.notes.append(note_at(word, code, f"{what}{key} {problem}", hint=hint))
        return value

    def name(self, word: Word) -> str:
        """An interface name, held to the kernel's rule (NS201) as a spec's names are."""
        name = _literal(word)
        problem = interface_name_problem(name)
        if problem:
            self.notes.append(note_at(word, "NS201", problem))
        return name

    def unknown(self, word: Word, what: str, choices, hint: str | None = None) -> None:
        """A word ip itself refuses (NS403), with the closest word it takes."""
        self.notes.append(note_at(word, "NS403", f"{what} {word.value!r} is unknown to ip",
                                  hint=hint or did_you_mean(_literal(word), choices)))


def _choice_hint(codec, text: str) -> str | None:
    if isinstance(codec, Choice):
        return did_you_mean(text, codec.choices) or f"one of: {', '.join(codec.choices)}"
    return None


def _values(words: list[Word]) -> list[str]:
    return [_literal(w) for w in words]


def _after(words, key: str):
    """The word after the first ``key`` (KeyError-like ValueError when missing)."""
    values = _values(words)
    if key not in values or values.index(key) + 1 >= len(words):
        raise ValueError(f"`{key}` needs a value")
    return words[values.index(key) + 1]


def parse(line: CommandLine) -> Parsed:
    """Read one `ip` or `bridge` command line into its effects."""
    r = _Reader(line)
    words = list(line.args)
    dynamic = next((w for w in words if w.value is None), None)
    if dynamic is not None:
        return Parsed(IpCommand(line, (fx.Unexpressible(f"{dynamic.text} only known at run time"),)))
    try:
        found = _command(r, line.tool, words)
    except (ValueError, IndexError) as e:
        message = str(e) if isinstance(e, ValueError) else f"{line.tool} {' '.join(_values(words[:3]))}: incomplete command"
        return Parsed(None, r.notes + [note_at(line, "NS405", message)])
    effects = tuple(e if e.netns is not None or r.netns is None else dataclasses.replace(e, netns=r.netns) for e in found)
    return Parsed(IpCommand(line, effects), r.notes)


def _command(r: _Reader, tool: str, words: list[Word]) -> list:
    """The options, object and command (grammars/ip.lark, bridge.lark), then what the command does."""
    words = _spelled(tool, words)
    read = grammar(tool).parse(words, abbreviated=True)
    if isinstance(read, Mismatch):
        objects = [k for k in read.said if not k.startswith("-")]
        if read.word is None:  # options alone (`ip -V`), or an option without its value
            if objects or read.complete or not read.value:
                return [fx.NoEffect(what=tool)]
            raise IndexError(tool)
        if not objects:
            is_option = _literal(read.word).startswith("-")
            r.unknown(read.word, "option" if is_option else "object", [e for e in read.expected if e.startswith("-") == is_option])
            return [fx.Unexpressible(f"{tool} {_literal(read.word)}")]
        # the object was read, and its command is not one
        obj = grammar(tool).parse(words[: words.index(read.word)], abbreviated=True)
        assert isinstance(obj, Node)  # what came before the command was read
        name = obj.parts()[-1].name
        given = _literal(read.word)
        hint = f"the command comes first: ip {name} set {given} ..." if tool == TOOL and given in grammar("ip_link").by_word else None
        r.unknown(read.word, f"{tool} {name} command", read.expected, hint)
        return [fx.Unexpressible(f"{tool} {name} {given}")]
    *options, obj = read.parts()
    for option in options:
        if option.name in ("batch", "force"):
            return [fx.Unexpressible("a batch file")]
        if option.name == "netns":
            r.netns = _literal(option.values()[0])
        elif option.name == "family":
            r.family = {"inet": 4, "inet6": 6}.get(_literal(option.values()[0]), r.family)
        elif option.name in ("inet", "inet6"):
            r.family = 4 if option.name == "inet" else 6
    return _bridge(r, obj) if tool == "bridge" else _ip(r, obj)


def _spelled(tool: str, words: list[Word]) -> list[Word]:
    """The options as ip and bridge compare them: ``--json`` is ``-json``, ``-color=auto`` is ``-color``."""
    known = grammar(tool).options()  # spelling -> (alias, whether a value follows)
    out, i = list(words), 0
    while i < len(out):
        v = _literal(out[i])
        if not v.startswith("-") or v == "--":
            break
        spelled = v[1:] if v.startswith("--") else v
        name, equals, _ = spelled.partition("=")
        if equals and abbreviation(name, ["-color"]):
            spelled = name
        if spelled != v:
            out[i] = literal_word(spelled, out[i].start, out[i].end)
        option = spelled if spelled in known else abbreviation(spelled, list(known))
        i += 2 if option is not None and known[option][1] else 1
    return out


def _ip(r: _Reader, read: Node) -> list:
    obj = read.name
    if obj == "other":
        return [fx.Unexpressible(f"ip {next(read.tokens()).keyword} is not about links, addresses or namespaces")]
    command = read.parts()  # ip.lark: the object's command, if any: its verb, then its words
    verb_node = command[0].parts()[0] if command else None
    verb = verb_node.name if verb_node is not None else "show"
    args = command[0].words("argument") if command else []
    if obj in ("route", "rule", "neigh"):
        return _routing(r, obj, verb, args)
    if verb in ("show", "help", "xstats", "afstats", "save", "showdump", "identify", "pids", "monitor", "list_id"):
        return [fx.NoEffect(what=f"ip {obj} {verb}")]
    assert verb_node is not None  # without a command, ip shows
    said = next(verb_node.tokens()).word  # the verb as written
    if obj == "netns":
        return _netns(literal_word(verb, said.start, said.end), said, args)
    if obj == "address":
        return _address(r, verb, args)
    if obj == "tuntap":
        return _tuntap(r, verb, args)
    if verb in ("add", "set"):
        link = _link_words(r, literal_word(verb, said.start, said.end), args)
        return _link_add(r, link) if verb == "add" else _link_set(r, link)
    if verb == "delete":
        return [fx.DeleteLink(_device(args))]
    return [fx.Unexpressible(f"ip link {said.text}")]


@dataclass(frozen=True)
class _RoutingWord:
    """A command's word as the routing reader takes it (text and span), remembering the word."""

    word: Word
    span: None = None

    @property
    def text(self) -> str:
        return _literal(self.word)


def _routing(r: _Reader, obj: str, verb: str, args: list) -> list:
    """``ip route`` / ``ip rule`` / ``ip neigh``: read by the spec's own reader (netscript.routing.words)."""
    from ...routing import words as routing_words

    if verb in ("show", "get", "help", "save", "showdump"):
        return [fx.NoEffect(what=f"ip {obj} {verb}")]
    if verb not in ("add", "set", "replace", "prepend", "append", "delete"):
        return [fx.Unexpressible(f"ip {obj} {verb}")]
    words = [_RoutingWord(w) for w in args]
    if obj == "neigh":
        reading = routing_words.read_neigh(words, deleting=verb == "delete")
    elif obj == "route":
        # `ip route del 10.0.0.0/8` names the route by its destination alone
        reading = routing_words.read_route(words, family=r.family, deleting=verb == "delete")
    else:
        reading = routing_words.read_rule(words, family=r.family)
    for problem, at in zip(reading.errors, reading.at):
        where = at.word if isinstance(at, _RoutingWord) else r.line
        # a word ip does not take is ip's own refusal, as for `ip link` (NS403); a spec says NS105
        code = "NS403" if problem.code == "NS105" else problem.code
        r.notes.append(note_at(where, code, problem.message, hint=problem.hint))
    if reading.errors:
        return [fx.Unexpressible(f"ip {obj} {verb} that ip would refuse")]
    if reading.unsupported:
        shown = " ".join(w.text for w in reading.unsupported)
        return [fx.Unexpressible(f"ip {obj} with {shown}, which a spec cannot hold")]
    value = reading.value
    if isinstance(value, Neighbour):
        return [fx.DeleteNeighbour(value) if verb == "delete" else fx.AddNeighbour(value)]
    if isinstance(value, Route):
        return [fx.DeleteRoute(value) if verb == "delete" else fx.AddRoute(value)]
    assert isinstance(value, Rule)
    return [fx.DeleteRule(value) if verb == "delete" else fx.AddRule(value)]


def _device(args: list) -> str:
    return _after(args, "dev").value if "dev" in _values(args) else args[0].value


def _netns(verb: Word, said: Word, args: list[Word]) -> list:
    """``ip netns add|delete NAME`` (grammars/ip_netns.lark); the other commands have no place in a spec."""
    read = grammar("ip_netns").parse([verb, *args])
    if isinstance(read, Mismatch):  # the name ip wants is missing
        raise IndexError(verb.text)
    name = read.word("name")
    if read.name == "add" and name is not None:
        return [fx.AddNetns(_literal(name))]
    if read.name == "delete" and name is not None:
        return [fx.DeleteNetns(_literal(name))]
    return [fx.Unexpressible(f"ip netns {said.text}" + ("" if name is not None else " of every namespace (ip -all)"))]


def _address(r: _Reader, verb: str, args: list) -> list:
    if verb == "flush":
        return [fx.FlushAddresses(_literal(_after(args, "dev")))]
    read = grammar("ip_address").parse(args)  # grammars/ip_address.lark
    if isinstance(read, Mismatch):  # a setting without its value (any other word is the local address)
        raise IndexError(verb)
    parts = read.parts()
    dev = next((_literal(p.values()[0]) for p in parts if p.name == "dev"), None)
    if dev is None:
        raise ValueError("`dev` needs a value")
    local = [p.values()[0] for p in parts if p.name == "local"]
    if len(local) > 1:
        # ip takes one local address: a second word that is no setting is a misspelt one
        stray = next((w for w in local if not _address_like(w)), local[1])
        r.unknown(stray, f"ip address {verb} keyword", grammar("ip_address").by_word)
        return [fx.Unexpressible(f"ip address {verb} that ip would refuse")]
    at = next((w for w in local if _address_like(w)), None)
    if at is None:
        raise ValueError(f"ip address {verb} needs an address (ip address {verb} ADDRESS dev NAME)")
    cidr = _literal(at)
    try:
        ipaddress.ip_interface(cidr)
    except ValueError:
        r.notes.append(note_at(at, "NS214", f"{cidr!r} is not an address with a prefix length ip would take",
                               hint="an IPv4 address has four numbers of 0-255 and a prefix of 0-32; IPv6 up to /128"))
        return [fx.Unexpressible(f"ip address {verb} {cidr}")]
    if verb in ("add", "replace"):
        return [fx.AddAddress(dev, cidr)]
    if verb == "delete":
        return [fx.DeleteAddress(dev, cidr)]
    return [fx.Unexpressible(f"ip address {verb}")]


def _address_like(word: Word) -> bool:
    """Whether a word is written as an address, right or wrong (``10.0.0.300/24`` is one)."""
    v = _literal(word)
    return re.fullmatch(r"[0-9a-fA-F:.]+(/[0-9]+)?", v) is not None and ("." in v or ":" in v)


def _tuntap(r: _Reader, verb: str, args: list) -> list:
    read = grammar("ip_tuntap").parse(args)  # grammars/ip_tuntap.lark
    if isinstance(read, Mismatch):  # a setting without its value (any other word is the name)
        raise IndexError(verb)
    given = {p.name: p.values() for p in read.parts()}
    names = [p.values()[0] for p in read.parts() if p.name == "name"]
    if len(names) > 1:
        # ip takes one name: a second word that is no setting is a misspelt one
        r.unknown(names[1], f"ip tuntap {verb} keyword", grammar("ip_tuntap").by_word)
        return [fx.Unexpressible(f"ip tuntap {verb} that ip would refuse")]
    if "mode" not in given:
        raise ValueError("`mode` needs a value")
    kind = LinkKind.TAP if _literal(given["mode"][0]) == "tap" else LinkKind.TUN
    if not names:
        return [fx.Unexpressible("the kernel chooses the device's name")]
    name = _literal(names[0])
    if verb == "delete":
        return [fx.DeleteLink(name)]
    options: dict[str, object] = {key: _literal(given[key][0]) for key in ("user", "group") if key in given}
    options.update({flag: True for flag in ("multi_queue", "vnet_hdr", "pi") if flag in given})
    return [fx.CreateLink(name, kind, options)]


COMMON = {"mtu": "mtu", "address": "mac", "txqueuelen": "txqueuelen", "qlen": "txqueuelen"}


def _common(r: _Reader, key: str, word) -> tuple[str, object]:
    field = COMMON[key]
    return field, r.value(word, COMMON_SETTINGS[field], key)


def _link_words(r: _Reader, verb: Word, args: list[Word]) -> Node:
    """``ip link add|set``'s words as grammars/ip_link.lark reads them.

    A word ip does not take is NS403 with the closest it takes; ip stops there,
    and so does the reading (what came before it still counts). A setting
    without its value is an incomplete command.
    """
    words = [verb, *args]
    read = grammar("ip_link").parse(words, abbreviated=True)
    if isinstance(read, Mismatch):
        if read.word is None:
            raise IndexError(verb.text)
        r.unknown(read.word, f"ip link {verb.text} keyword", read.expected)
        read = grammar("ip_link").parse(words[: words.index(read.word)], abbreviated=True)
        if isinstance(read, Mismatch):  # it stopped inside a setting: nothing before it is whole
            return Node(verb.text, ())
    return read


def _link_add(r: _Reader, read: Node) -> list:
    tail = next(read.nodes("type"), None)
    if tail is None:
        raise ValueError("ip link add needs `type KIND`")
    type_word, *rest = tail.values()
    ip_type = _literal(type_word)
    made = kinds.by_ip_type(ip_type)
    kind = made.kind if made is not None else None
    if kind is None:
        if ip_type not in ip_syntax.LINK_TYPES:
            r.unknown(type_word, "link type", ip_syntax.LINK_TYPES)
        return [fx.Unexpressible(f"links of type {ip_type} have no place in a spec")]
    fields: dict = {"name": None, "parent": None, "into_netns": None}
    common: dict = {}
    for part in read.parts():
        if part.name in ("name", "dev"):  # `name NAME`, `dev NAME`, or the name alone
            fields["name"] = r.name(part.values()[0])
        elif part.name in ("link", "netns"):
            fields[{"link": "parent", "netns": "into_netns"}[part.name]] = _literal(part.values()[0])
        elif part.name in COMMON:
            key, value = _common(r, part.name, part.values()[0])
            common[key] = value
    options, peer = _kind_options(r, kind, rest)
    if kind is LinkKind.VETH:
        return [fx.CreateLink(fields["name"], kind, {}, peer=peer[0] if peer else None, peer_netns=peer[1] if peer else None, into_netns=fields["into_netns"], **common)]
    parent = options.pop("dev", None) if kinds.spec(kind).parent_key == "dev" else fields["parent"]
    return [fx.CreateLink(fields["name"], kind, options, parent=parent, into_netns=fields["into_netns"], **common)]


def _keywords(spec, options, other: dict, aliases: dict) -> dict:
    """Every word ip takes for a kind (or its ports): word -> (setting key, metadata), None for the unmodelled."""
    table: dict = {}
    for key, (_, meta) in (kinds.settings(options).items() if options else ()):
        word = meta.ip or key
        table[word] = (key, meta)
        if isinstance(meta.codec, Flag) and meta.codec.ip_style == "noprefix":
            table["no" + word] = (key, meta)
    for alias, word in aliases.items():
        table[alias] = table[word]
    for word in other:
        table.setdefault(word, None)
    return table


def _unknown_keyword(r: _Reader, word: Word, what: str, table: dict) -> None:
    text = _literal(word)
    hint = None
    if "=" in text and ip_syntax.resolve(text.split("=", 1)[0], table):
        key, value = text.split("=", 1)
        hint = f"ip takes `{key} {value}`: KEY=VALUE is how modprobe and sysfs spell it"
    r.unknown(word, what, table, hint)


def _kind_options(r: _Reader, kind: LinkKind, words: list):
    """Kind settings in ip's spelling -> {DSL key: value}; a veth's peer -> (name, netns)."""
    spec = kinds.spec(kind)
    values = _values(words)
    if kind is LinkKind.VETH:
        if values[:1] == ["peer"]:
            rest = words[1:]
            name = _after(rest, "name").value if "name" in values else rest[0].value
            netns = _after(rest, "netns").value if "netns" in values else None
            return {}, (name, netns)
        return {}, None
    table = _keywords(spec, spec.options, spec.ip_other, spec.ip_aliases)
    out: dict[str, object] = {}
    i = 0
    while i < len(words):
        w = values[i]
        if w == "dev" and spec.parent is not None and spec.parent_key == "dev":  # the lower link (a tunnel's underlay)
            out["dev"] = values[i + 1]
            i += 2
            continue
        word = ip_syntax.resolve(w, table)
        if word is None:
            _unknown_keyword(r, words[i], f"{kind.value} keyword", table)
            break  # ip stops here; what follows cannot be read reliably
        if table[word] is None:
            r.notes.append(note_at(words[i], "NS410", f"{kind.value} setting {w!r} has no place in a spec; it is left out"))
            i += 1 + spec.ip_other[word]
            continue
        key, meta = table[word]
        codec = meta.codec
        if isinstance(codec, Flag) and codec.ip_style == "noprefix":
            out[key] = not word.startswith("no")
            i += 1
            continue
        if isinstance(codec, QosMap):
            j = i + 1
            while j < len(words) and re.fullmatch(r"[0-9]+:[0-9]+", values[j]):
                j += 1
            out[key] = codec.parse(",".join(values[i + 1 : j]))
            i = j
            continue
        if i + 1 >= len(words):
            raise ValueError(f"{kind.value} {w} needs a value")
        value = r.value(words[i + 1], codec, word, f"{kind.value} ")
        if value is not None:
            out[key] = value
        if kind is LinkKind.IPVLAN and key == "mode" and i + 2 < len(words) and values[i + 2] in ("bridge", "private", "vepa"):
            out["flag"] = values[i + 2]
            i += 1
        i += 2
    return out, None


def _link_set(r: _Reader, read: Node) -> list:
    named = read.words("device") + [p.values()[0] for p in read.parts() if p.name == "dev"]
    if not named:
        raise ValueError("ip link set needs a device: ip link set DEVICE ... or dev DEVICE")
    name = _literal(named[0])
    out: list[fx.Effect] = []
    common: dict[str, Any] = {}  # fx.SetLink's keyword arguments, the values as the codecs read them
    for part in read.parts():
        word, values = part.name, part.values()
        if word in ("device", "dev"):
            continue
        if word in ("up", "down"):
            common["state"] = AdminState(word)
        elif word == "master":
            out.append(fx.Enslave(name, _literal(values[0])))
        elif word == "nomaster":
            out.append(fx.Release(name))
        elif word == "netns":
            common["move_to_netns"] = _literal(values[0])
        elif word in COMMON:
            key, value = _common(r, word, values[0])
            common[key] = value
        elif word == "type":
            kind_word, tail = _literal(values[0]), values[1:]
            if kind_word in PORT_KINDS:
                out.append(fx.SetPortOptions(name, PORT_KINDS[kind_word], _port_options(r, PORT_KINDS[kind_word], tail)))
            elif (made := kinds.by_ip_type(kind_word)) is not None:
                options, _ = _kind_options(r, made.kind, tail)
                out.append(fx.SetOptions(name, made.kind, options))
            elif kind_word not in ip_syntax.LINK_TYPES:
                r.unknown(values[0], "link type", ip_syntax.LINK_TYPES)
        else:
            out.append(fx.Unexpressible(f"ip link set {next(part.tokens()).word.text} has no place in a spec"))
    if common:
        out.insert(0, fx.SetLink(name, **common))
    return out


def _port_options(r: _Reader, master_kind: LinkKind, words: list) -> dict:
    spec = kinds.spec(master_kind)
    table = _keywords(spec, spec.port_options, spec.port_ip_other, {})
    out, i = {}, 0
    while i < len(words):
        w = words[i].value
        word = ip_syntax.resolve(w, table)
        if word is None:
            _unknown_keyword(r, words[i], f"{spec.slave_type} keyword", table)
            break
        if table[word] is None:
            r.notes.append(note_at(words[i], "NS410", f"port setting {w!r} has no place in a spec; it is left out"))
            i += 1 + spec.port_ip_other[word]
            continue
        key, meta = table[word]
        if i + 1 >= len(words):
            raise ValueError(f"{spec.slave_type} {w} needs a value")
        value = r.value(words[i + 1], meta.codec, word, f"{spec.slave_type} ")
        if value is not None:
            out[key] = value
        i += 2
    return out


def _bridge(r: _Reader, read: Node) -> list:
    command = read.parts()  # bridge.lark: the object's command, if any: its verb, then its words
    verb = command[0].parts()[0].name if read.name == "link" and command else None
    if verb == "set":
        args = command[0].words("argument")
        dev = _literal(_after(args, "dev"))
        known = kinds.settings(kinds.spec(LinkKind.BRIDGE).port_options)
        options = {}
        for w, v in zip(args[::2], args[1::2]):
            key = _literal(w)
            if key in known:
                options[key] = r.read(v, known[key][1].codec, key)
            elif key != "dev":
                r.notes.append(note_at(w, "NS410", f"bridge port setting {key!r} has no place in a spec; it is left out"))
        return [fx.SetPortOptions(dev, LinkKind.BRIDGE, options)]
    words = [t.word for t in read.tokens()]
    if read.name == "link":
        shown = verb in ("show", None)
    else:
        shown = len(words) < 2 or _literal(words[1]) in ("show", "list")
    if read.name in ("link", "fdb", "mdb", "vlan", "monitor") and shown:
        return [fx.NoEffect(what="bridge show")]
    return [fx.Unexpressible(f"bridge {' '.join(_values(words[:2]))} has no place in a spec")]
