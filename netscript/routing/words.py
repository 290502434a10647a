"""`ip route` / `ip rule` / `ip neigh` / sysctl words <-> the IR of :mod:`netscript.ir.routing`.

The DSL's ``route``, ``rule``, ``neigh`` and ``sysctl`` statements take the words of
``ip route add``, ``ip rule add``, ``ip neigh replace`` and ``sysctl -w``, so one reader serves the
spec, the `ip` commands in scripts and documents, and one printer writes the
spec (``export``, ``fmt``) and the commands the scripts run. A word is any
object with ``text`` and ``span``; every problem is reported at the word
that has it.

The syntax of each is ip's, written once as a grammar over words
(grammars/ip_route.lark, ip_rule.lark, ip_neigh.lark) and run by the runtime
every tool's syntax shares (frontends/legacy/word_grammar.py); the values are
checked here, with the IR's tables.

Words `ip` knows but netscript does not model (``realm``, ``initcwnd``, a
``local`` route...) are kept apart from errors in :attr:`Reading.unsupported`:
a spec cannot hold them, while a document that uses them is not wrong.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

from ..codes import diag
from ..diagnostics import Diagnostic, Span
from ..ir.routing import (
    MAIN_TABLE,
    PROTOCOL_NAMES,
    PROTOCOLS,
    SCOPE_NAMES,
    SCOPES,
    TABLE_NAMES,
    TABLES,
    Neighbour,
    Nexthop,
    Route,
    RouteType,
    Rule,
    RuleAction,
    Sysctl,
)

U32 = 2**32 - 1


class WordLike(Protocol):
    @property
    def text(self) -> str: ...

    @property
    def span(self) -> Span | None: ...


@dataclass
class Reading:
    """What a reader made of some words: the object (None when it has errors), and why not."""

    value: Route | Rule | Neighbour | Sysctl | None = None
    errors: list[Diagnostic] = field(default_factory=list)
    unsupported: list[WordLike] = field(default_factory=list)  # words ip takes that netscript cannot hold
    at: list[WordLike | None] = field(default_factory=list)  # the word each error is about (None: the command)


class _Reader:
    def __init__(self, words: Sequence[WordLike]) -> None:
        self.words = list(words)
        self.reading = Reading()
        self.spans: dict[str, Span] = {}

    def error(self, code: str, message: str, word: WordLike | None, **kw) -> None:
        if word is None and self.words:
            word = self.words[-1]
        self.reading.errors.append(diag(code, message, word.span if word is not None else None, **kw))
        self.reading.at.append(word)

    def number(self, key: WordLike, word: WordLike, low: int, high: int) -> int | None:
        text = word.text
        try:
            n = int(text, 0) if text.lower().startswith("0x") else int(text)
        except ValueError:
            self.error("NS106", f"{key.text}: expected a number, got {text!r}", word)
            return None
        if not low <= n <= high:
            self.error("NS202", f"{key.text} {n} is out of range ({low}-{high})", word)
            return None
        return n

    def address(self, key: WordLike, word: WordLike, family: int | None) -> str | None:
        try:
            addr = ipaddress.ip_address(word.text)
        except ValueError:
            self.error("NS214", f"{key.text}: {word.text!r} is not an IP address", word)
            return None
        if family is not None and addr.version != family:
            self.error("NS214", f"{key.text} {word.text} is IPv{addr.version}, the route IPv{family}", word)
            return None
        return str(addr)

    def table(self, key: WordLike, word: WordLike) -> int | str | None:
        if word.text in TABLES:
            return TABLES[word.text]
        if word.text[:1].isdigit():
            return self.number(key, word, 1, U32)
        return word.text  # a VRF's name: validation resolves it


def network(text: str) -> tuple[str, int] | str:
    """``(canonical network, family)`` for a destination or selector, else why not.

    ``default`` and ``0.0.0.0/0`` are the default route; a bare address is a
    host route. Host bits set is an error, as `ip` says "Invalid prefix for
    given prefix length".
    """
    if text in ("default", "all", "any"):
        return text
    try:
        net = ipaddress.ip_network(text, strict=True)
    except ValueError as e:
        if "has host bits set" in str(e):
            net = ipaddress.ip_network(text, strict=False)
            return f"{text} has host bits set: the network is {net}"
        return f"{text!r} is not a network ({e})"
    return (str(net), net.version)


# -- reading ip's words with their grammars -----------------------------------------------


class _Spelled:
    """A word as a grammar reads it (its text), keeping the word itself for where it is."""

    __slots__ = ("value", "word")

    def __init__(self, word: WordLike):
        self.value, self.word = word.text, word


@dataclass
class _Parsed:
    """What grammars/<tool>.lark made of the words, up to where ip would stop.

    parts:   the settings read whole, in order
    unknown: the word no setting starts with, where ip stops (None when it does not)
    expected: the keywords ip takes there, for the did-you-mean
    wanting: the setting the words end inside, before its value (its name, and its first word)
    """

    parts: list
    unknown: WordLike | None = None
    expected: tuple[str, ...] = ()
    wanting: tuple[str, WordLike] | None = None


def _parse(words: Sequence[WordLike], tool: str) -> _Parsed:
    """The words as grammars/<tool>.lark reads them; a command ip refuses is read up to where ip stops."""
    from ..frontends.legacy.word_grammar import Mismatch, grammar  # the runtime every tool's syntax shares

    g = grammar(tool)
    spelled: list[Any] = [_Spelled(w) for w in words]  # the runtime asks a word only its value
    read = g.parse(spelled)
    if not isinstance(read, Mismatch):
        return _Parsed(read.parts())
    # what came before the problem, read whole (a setting cut short is left out)
    stop = next(i for i, w in enumerate([*spelled, None]) if w is read.word)
    for n in range(stop, -1, -1):
        before = g.parse(spelled[:n])
        if not isinstance(before, Mismatch):
            break
    assert not isinstance(before, Mismatch)  # no words at all are a command of every grammar here
    if read.word is not None:
        return _Parsed(before.parts(), unknown=cast(_Spelled, read.word).word, expected=read.expected)
    # the words end before a value (or a keyword: `ip rule`'s `type` wants one): the setting is
    # the one they would be with what it wants after them
    for missing in ([""], ["", ""], *([k] for k in read.expected)):
        whole = g.parse(spelled + [_Spelled(Plain(text)) for text in missing])
        if not isinstance(whole, Mismatch):
            last = whole.parts()[-1]
            if last.name == "nexthop":  # the setting cut short is the nexthop's
                last = last.parts()[-1]
            return _Parsed(before.parts(), wanting=(last.name, words[n]))
    raise AssertionError("a command cut short is whole with the values it wants")


def _first(node) -> WordLike:
    """The word a setting starts with, as written (its keyword, or its value when it has none)."""
    return next(node.tokens()).word.word


def _value(node) -> WordLike:
    """A setting's value word."""
    return node.values()[-1].word


def _keyword(node, name: str) -> WordLike | None:
    """The word of the rule ``name`` under a setting (a route's type, mtu's lock), if written."""
    found = next(node.nodes(name), None)
    return next(found.tokens()).word.word if found is not None else None


# The settings of ip's grammars that netscript holds; any other is read, then set aside.
ROUTE_SETTINGS = frozenset({"destination", "via", "dev", "metric", "table", "src", "scope", "mtu", "protocol",
                            "onlink", "nexthop"})  # fmt: skip
NEXTHOP_SETTINGS = frozenset({"via", "dev", "weight", "onlink"})
RULE_SETTINGS = frozenset({"inet", "inet6", "from", "to", "priority", "fwmark", "table", "iif", "oif", "action"})
NEIGH_SETTINGS = frozenset({"to", "lladdr", "dev", "nud"})
PERMANENT = "permanent"  # the one neighbour state netscript makes (`nud` takes any prefix of it, as ip does)


def _route_unmodelled(part) -> WordLike | None:
    """The word of a route's setting netscript cannot hold (``realm``, a ``local`` route, ``mtu lock``), else None."""
    if part.name not in ROUTE_SETTINGS:
        return _first(part)
    if part.name == "destination":
        route_type = next((n for n in part.parts() if n.name != "prefix"), None)
        if route_type is not None and route_type.name not in {t.value for t in RouteType}:
            return _first(route_type)
    if part.name == "mtu":
        return _keyword(part, "lock")
    if part.name == "nexthop":
        return next((_first(p) for p in part.parts() if p.name not in NEXTHOP_SETTINGS), None)
    return None


def _stop(r: _Reader, parsed: _Parsed, what: str) -> None:
    """Report where ip stops reading: a word that is no setting (NS105), or a setting without its value (NS107)."""
    if parsed.unknown is not None:
        r.error("NS105", f"{what} has no setting {parsed.unknown.text!r}", parsed.unknown,
                hint=_did_you_mean(parsed.unknown.text, parsed.expected))
    elif parsed.wanting is not None:
        word = parsed.wanting[1]
        r.error("NS107", f"{word.text!r} needs a value", word)


def _keywords(tool: str) -> list[str]:
    from ..frontends.legacy.word_grammar import grammar

    return list(grammar(tool).by_word)


def read_route(
    words: Sequence[WordLike], *, dev: str | None = None, family: int | None = None, deleting: bool = False
) -> Reading:
    """The words after ``ip route add`` (or the DSL's ``route``) -> a Route, as grammars/ip_route.lark reads them.

    ``dev``: the link whose block the route is in, its device unless the words
    name one. ``family``: from ``ip -6``, for a ``default`` route.
    ``deleting``: the words of ``ip route del``, which may name a route by its
    destination alone.
    """
    r = _Reader(words)
    parsed = _parse(words, "ip_route")
    # what follows a setting netscript does not model is that setting's world: reading stops
    # there, as it does at a second destination (a misspelt setting: ip stops there)
    parts: list = []
    for part in parsed.parts:
        unmodelled = _route_unmodelled(part)
        if unmodelled is not None:
            r.reading.unsupported.append(unmodelled)
            break
        parts.append(part)
        if part.name == "destination" and sum(p.name == "destination" for p in parts) > 1:
            break
    else:
        if parsed.wanting is not None and parsed.wanting[0] not in ROUTE_SETTINGS | NEXTHOP_SETTINGS:
            r.reading.unsupported.append(parsed.wanting[1])
    destination = next((p for p in parts if p.name == "destination"), None)
    if destination is None:
        if not r.reading.unsupported:
            r.error("NS107", "a route needs its destination: default or a network (10.0.0.0/8)", words[0] if words else None)
        return r.reading
    route_type = next((n for n in destination.parts() if n.name != "prefix"), None)
    rtype = RouteType(route_type.name) if route_type is not None else RouteType.UNICAST
    dst_word = destination.word("prefix").word
    dst_family: int | None = family
    found = network(dst_word.text)
    dst = ""
    if isinstance(found, tuple):
        dst, dst_family = found
        if dst in ("0.0.0.0/0", "::/0"):
            dst = "default"
    elif found in ("default", "all", "any"):
        dst = "default"
    else:
        r.error("NS214", f"route: {found}", dst_word)
    nexthops: list[Nexthop] = []
    via = None
    route_dev = None
    onlink = False
    settings: dict = {}
    stray = None
    for part in parts:
        if part is destination:
            continue
        k = part.name
        if k == "destination":
            # ip takes one destination: a second word that is no setting is a misspelt one
            stray = _first(part)
            r.error("NS105", f"route has no setting {stray.text!r}", stray, hint=_did_you_mean(stray.text, _keywords("ip_route")))
            break  # as `ip` stops there: what follows would be read against the wrong word
        if k == "nexthop":
            nh = _nexthop(r, part, dst_family)
            if nh is not None:
                nexthops.append(nh)
            continue
        if k == "onlink":
            onlink = True
            continue
        key, value = _first(part), _value(part)
        if value.span:
            r.spans.setdefault(key.text, value.span)
        if k == "via":
            via = r.address(key, value, dst_family)
            if via is not None and dst_family is None:
                dst_family = ipaddress.ip_address(via).version
        elif k == "dev":
            route_dev = value.text
        elif k == "metric":
            settings["metric"] = r.number(key, value, 0, U32)
        elif k == "table":
            settings["table"] = r.table(key, value)
        elif k == "src":
            settings["src"] = r.address(key, value, dst_family)
        elif k == "scope":
            settings["scope"] = SCOPES[value.text] if value.text in SCOPES else r.number(key, value, 0, 255)
        elif k == "mtu":
            settings["mtu"] = r.number(key, value, 68, 65535)
        elif k == "protocol":
            settings["protocol"] = PROTOCOLS[value.text] if value.text in PROTOCOLS else r.number(key, value, 0, 255)
    if r.reading.unsupported and stray is None:
        return r.reading
    if stray is None:
        _stop(r, parsed, "nexthop" if parts and parts[-1].name == "nexthop" else "route")
    if nexthops and (via is not None or route_dev is not None):
        r.error("NS103", "a multipath route gives via and dev in each nexthop, not before them", words[0])
    if not nexthops and (via is not None or route_dev is not None or dev is not None or onlink):
        nexthops = [Nexthop(via=via, dev=route_dev or dev, onlink=onlink)]
    if rtype is RouteType.UNICAST and not nexthops and not r.reading.errors and not deleting:
        r.error("NS107", f"route {dst_word.text}: where to? give via GATEWAY, dev LINK, or nexthop ...", dst_word)
    if rtype is not RouteType.UNICAST and (nexthops and (via or any(nh.via for nh in nexthops))):
        r.error("NS103", f"a {rtype.value} route has no gateway", dst_word)
    if onlink and via is None and not nexthops:
        r.error("NS103", "onlink goes with a gateway (via)", dst_word)
    if r.reading.errors or r.reading.unsupported:
        return r.reading
    r.reading.value = Route(
        dst=dst,
        family=dst_family or 4,
        type=rtype,
        nexthops=tuple(nexthops),
        table=settings.get("table") or MAIN_TABLE,
        metric=settings.get("metric"),
        src=settings.get("src"),
        scope=settings.get("scope"),
        mtu=settings.get("mtu"),
        protocol=settings.get("protocol"),
        span=dst_word.span,
        setting_spans=tuple(r.spans.items()),
    )
    return r.reading


def _nexthop(r: _Reader, node, family: int | None) -> Nexthop | None:
    via = dev = weight = None
    onlink = False
    ok = True
    for part in node.parts():
        if part.name == "onlink":
            onlink = True
            continue
        key, value = _first(part), _value(part)
        if part.name == "via":
            via = r.address(key, value, family)
            ok = ok and via is not None
        elif part.name == "dev":
            dev = value.text
        else:
            weight = r.number(key, value, 1, 256)
            ok = ok and weight is not None
    if via is None and dev is None:
        r.error("NS107", "a nexthop needs via GATEWAY or dev LINK", [t.word.word for t in node.tokens()][-1])
        return None
    return Nexthop(via=via, dev=dev, weight=weight, onlink=onlink) if ok else None


def read_rule(words: Sequence[WordLike], *, family: int | None = None) -> Reading:
    """The words after ``ip rule add`` (or the DSL's ``rule``, which may start with -4 or -6) -> a Rule.

    Read as grammars/ip_rule.lark reads them.
    """
    r = _Reader(words)
    parsed = _parse(words, "ip_rule")
    values: dict = {}
    action = RuleAction.LOOKUP
    for part in parsed.parts:
        k = part.name
        rule_type = part.parts()[-1].name if k == "action" else None
        if k not in RULE_SETTINGS or (rule_type is not None and rule_type not in {a.value for a in RuleAction}):
            r.reading.unsupported.append(_first(part) if rule_type is None else _first(part.parts()[-1]))
            return r.reading
        if k in ("inet", "inet6"):
            family = 4 if k == "inet" else 6
            continue
        if rule_type is not None:
            action = RuleAction(rule_type)
            continue
        key, value = _first(part), _value(part)
        if value.span:
            r.spans.setdefault(key.text, value.span)
        if k in ("from", "to"):
            found = network(value.text)
            if isinstance(found, tuple):
                net, version = found
                if family is not None and version != family:
                    r.error("NS214", f"{k} {value.text} is IPv{version}, the rule IPv{family}", value)
                family = version
                values["src" if k == "from" else "dst"] = net
            elif found not in ("all", "any", "default"):
                r.error("NS214", f"rule {k}: {found}", value)
        elif k in ("iif", "oif"):
            values[k] = value.text
        elif k == "fwmark":
            mark, _, mask = value.text.partition("/")
            values["fwmark"] = r.number(key, Plain(mark, value.span), 0, U32)
            if mask:
                values["fwmask"] = r.number(key, Plain(mask, value.span), 0, U32)
        elif k == "table":
            values["table"] = r.table(key, value)
        else:
            values["priority"] = r.number(key, value, 0, U32)
    if parsed.wanting is not None and parsed.wanting[0] not in RULE_SETTINGS:
        r.reading.unsupported.append(parsed.wanting[1])
        return r.reading
    _stop(r, parsed, "rule")
    if r.reading.errors:
        return r.reading
    r.reading.value = Rule(
        family=family or 4,
        action=action,
        table=values.pop("table", None) or MAIN_TABLE,
        span=words[0].span if words else None,
        setting_spans=tuple(r.spans.items()),
        **values,
    )
    return r.reading


def read_neigh(words: Sequence[WordLike], *, dev: str | None = None, deleting: bool = False) -> Reading:
    """The words after ``ip neigh replace`` (or the DSL's ``neigh``) -> a Neighbour, as grammars/ip_neigh.lark reads them.

    ``dev``: the link whose block the entry is in. ``deleting``: the words of
    ``ip neigh del``, which name an entry without its link-layer address.
    An entry of another state than permanent (``nud reachable``, ``noarp``)
    is unsupported: the kernel's own entries come and go, a spec cannot hold them.
    """
    from ..ir.values import MACAddress

    r = _Reader(words)
    parsed = _parse(words, "ip_neigh")
    address = lladdr = None
    address_word: WordLike | None = None
    link = dev
    stray = None
    for part in parsed.parts:
        k = part.name
        if k not in NEIGH_SETTINGS:
            r.reading.unsupported.append(_first(part))
            return r.reading
        key, value = _first(part), _value(part)
        if k == "to" and (address_word is not None or (key is value and value.text.startswith("-"))):
            # ip takes one address: a second word that is no setting is a misspelt one
            stray = key
            r.error("NS105", f"neigh has no setting {key.text!r}", key, hint=_did_you_mean(key.text, _keywords("ip_neigh")))
            break
        if value.span and key is not value:
            r.spans.setdefault(key.text, value.span)
        if k == "to":
            address_word = value
            address = r.address(key if key is not value else Plain("neigh", key.span), value, None)
        elif k == "dev":
            link = value.text
        elif k == "nud":
            if not PERMANENT.startswith(value.text):  # ip takes any prefix of a state's name
                r.reading.unsupported.append(value)
                return r.reading
        else:
            try:
                lladdr = MACAddress().parse(value.text)
            except ValueError as e:
                r.error("NS214", f"lladdr: {e}", value)
    if parsed.wanting is not None and parsed.wanting[0] not in NEIGH_SETTINGS:
        r.reading.unsupported.append(parsed.wanting[1])
        return r.reading
    if stray is None:
        _stop(r, parsed, "neigh")
    if r.reading.errors:
        return r.reading
    first = words[0] if words else None
    if address_word is None:
        r.error("NS107", "neigh needs the neighbour's address: neigh 192.0.2.7 lladdr 02:00:00:00:00:07 dev LINK", first)
    elif lladdr is None and not deleting:
        r.error("NS107", f"neigh {address_word.text} needs its link-layer address: lladdr MAC", address_word)
    elif link is None:
        r.error("NS107", f"neigh {address_word.text} needs its link: dev LINK", address_word)
    if r.reading.errors or address_word is None or address is None or link is None:
        return r.reading
    r.reading.value = Neighbour(
        address=address,
        lladdr=lladdr or "",
        dev=link,
        span=address_word.span,
        setting_spans=tuple(r.spans.items()),
    )
    return r.reading


@dataclass(frozen=True)
class Plain:
    """A word that is text alone, with no place in a file (one a translator built), or a part of one."""

    text: str
    span: Span | None = None


SYSCTL_CONF_FAMILIES = ("ipv4", "ipv6")


def sysctl_path(key: str) -> tuple[str, ...]:
    """sysctl(8)'s dotted name -> the path's parts ('/' in a part stands for a dot); a /proc path is taken too."""
    if key.startswith("/proc/sys/"):
        return tuple(p for p in key[len("/proc/sys/") :].split("/") if p)
    return tuple(part.replace("/", ".") for part in key.split("."))


def interface_of(path: tuple[str, ...]) -> str | None:
    """The link a per-interface sysctl (net.ipv4.conf.LINK.x, net.ipv6.neigh.LINK.x) is about."""
    if len(path) == 5 and path[0] == "net" and path[1] in SYSCTL_CONF_FAMILIES and path[2] in ("conf", "neigh"):
        return None if path[3] in ("all", "default") else path[3]
    return None


def read_sysctl(words: Sequence[WordLike], *, link: str | None = None) -> Reading:
    """``KEY VALUE`` (or ``KEY=VALUE``, as `sysctl -w` takes it) -> a Sysctl.

    In a link's block the key is the per-interface part, ``ipv6.accept_ra``,
    for ``net.ipv6.conf.LINK.accept_ra``.
    """
    r = _Reader(words)
    texts = [w.text for w in words]
    if len(texts) == 1 and "=" in texts[0]:
        key_text, _, value_text = texts[0].partition("=")
    elif len(texts) == 2:
        key_text, value_text = texts
    else:
        where = words[2] if len(words) > 2 else (words[0] if words else None)
        r.error("NS103" if len(words) > 2 else "NS107", "sysctl takes a key and a value: sysctl net.ipv4.ip_forward 1", where)
        return r.reading
    if link is not None:
        family, _, leaf = key_text.partition(".")
        if family not in SYSCTL_CONF_FAMILIES or not leaf or "." in leaf:
            r.error("NS106", f"in a link's block, a sysctl is ipv4.KEY or ipv6.KEY (net.ipvX.conf.{link}.KEY), not {key_text!r}", words[0])
            return r.reading
        path: tuple[str, ...] = ("net", family, "conf", link, leaf)
    else:
        path = sysctl_path(key_text)
        if path[:1] != ("net",) or len(path) < 3 or "" in path:
            r.error("NS106", f"sysctl {key_text!r}: netscript sets the network's sysctls, net.* (net.ipv4.ip_forward)", words[0])
            return r.reading
    if not value_text or "\n" in value_text:
        r.error("NS106", f"sysctl {key_text}: the value {value_text!r} cannot be written", words[-1])
        return r.reading
    r.reading.value = Sysctl(path=path, value=" ".join(value_text.split()), link=interface_of(path), span=words[0].span)
    return r.reading


def _did_you_mean(word: str, candidates) -> str | None:
    import difflib

    close = difflib.get_close_matches(word, [c for c in candidates if c != word], n=1, cutoff=0.6)  # not itself, where it is not taken
    return f"did you mean {close[0]!r}?" if close else None


# -- writing --------------------------------------------------------------------------------


def table_word(table: int | str) -> str:
    return table if isinstance(table, str) else TABLE_NAMES.get(table, str(table))


def route_words(route: Route, *, dev: str | None = None) -> list[str]:
    """``ip route add``'s words for ``route``, in one canonical order (the DSL's too).

    ``dev``: leave out a nexthop's device when it is this link (a route in its block).
    """
    out: list[str] = []
    if route.type is not RouteType.UNICAST:
        out.append(route.type.value)
    out.append(route.dst)
    if len(route.nexthops) == 1:
        out += _nexthop_words(route.nexthops[0], dev=dev)
    if route.metric is not None:
        out += ["metric", str(route.metric)]
    if route.table != MAIN_TABLE:
        out += ["table", table_word(route.table)]
    if route.src is not None:
        out += ["src", route.src]
    if route.scope is not None:
        out += ["scope", SCOPE_NAMES.get(route.scope, str(route.scope))]
    if route.mtu is not None:
        out += ["mtu", str(route.mtu)]
    if route.protocol is not None:
        out += ["proto", PROTOCOL_NAMES.get(route.protocol, str(route.protocol))]
    if len(route.nexthops) > 1:
        for nh in route.nexthops:
            out += ["nexthop", *_nexthop_words(nh, dev=None)]
            if nh.weight is not None:
                out += ["weight", str(nh.weight)]
    return out


def _nexthop_words(nh: Nexthop, *, dev: str | None) -> list[str]:
    out = []
    if nh.via is not None:
        out += ["via", nh.via]
    if nh.dev is not None and nh.dev != dev:
        out += ["dev", nh.dev]
    if nh.onlink:
        out.append("onlink")
    return out


def neigh_words(neighbour: Neighbour, *, dev: str | None = None) -> list[str]:
    """``ip neigh replace``'s words for ``neighbour`` (the DSL's too), without ``nud permanent``.

    ``dev``: leave out the device when it is this link (an entry in its block).
    """
    out = [neighbour.address, "lladdr", neighbour.lladdr]
    if neighbour.dev != dev:
        out += ["dev", neighbour.dev]
    return out


def rule_words(rule: Rule) -> list[str]:
    """``ip rule add``'s words for ``rule`` (without the family: `ip -6` says it)."""
    out: list[str] = []
    if rule.priority is not None:
        out += ["priority", str(rule.priority)]
    if rule.src is not None:
        out += ["from", rule.src]
    if rule.dst is not None:
        out += ["to", rule.dst]
    if rule.iif is not None:
        out += ["iif", rule.iif]
    if rule.oif is not None:
        out += ["oif", rule.oif]
    if rule.fwmark is not None:
        out += ["fwmark", hex(rule.fwmark) + (f"/{hex(rule.fwmask)}" if rule.fwmask is not None else "")]
    if rule.action is RuleAction.LOOKUP:
        out += ["table", table_word(rule.table)]
    else:
        out.append(rule.action.value)
    return out
