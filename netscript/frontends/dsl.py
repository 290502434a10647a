"""The netscript DSL -> IR.

    netns red
    bridge br0 stp_state on forward_delay 4s {
        ports eth0 tap1
        port tap2 cost 10 hairpin on
        addr 192.0.2.1/24
        up
    }
    veth v0 peer v1@red

A statement is ``KIND NAME [SETTING ...] [{ ITEM; ... }]``. Settings on the
head line take one value each (``up`` and ``down`` none); the block holds the
same settings plus the ones that take several values (``ports``, ``addr``),
per-port lines (``port NAME OPTION VALUE ...``) and a veth's ``peer`` with a
block of its own. Setting names are iproute2's. This module decides what each
word means; the grammar only gives the text its shape.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .. import collector, kinds
from ..codes import diag
from ..diagnostics import Diagnostic, Span
from ..ir.make import positional
from ..ir.model import (
    DEFAULT_LOOPBACK,
    Address,
    AdminState,
    Link,
    LinkKind,
    Namespace,
    Port,
    Program,
    Ref,
)
from ..ir.values import Centiseconds, Codec
from ..kinds.spec import COMMON_SETTINGS
from . import dsl_syntax
from .dsl_syntax import DSLSyntaxError, Statement, Word, string_netns

if TYPE_CHECKING:
    from ..ir.routing import Neighbour, Route, Rule, Sysctl  # annotations: a spec without routes never loads them

# Settings every link has, with the IR field they fill.
COMMON = {key: (key, codec) for key, codec in COMMON_SETTINGS.items()}
STATE_WORDS = {"up": AdminState.UP, "down": AdminState.DOWN}
PORT_LIST_WORDS = ("ports", "slaves")  # `slaves` for people coming from ifenslave
BLOCK_ONLY = ("ports", "slaves", "port", "addr", "route", "neigh", "sysctl")
# Statements about a namespace's layer 3; their words are `ip route add`'s, `ip rule add`'s,
# `ip neigh replace`'s and sysctl's.
ROUTING_STATEMENTS = ("route", "rule", "neigh", "sysctl")


@dataclass
class _LinkDraft:
    """A link while its statement is read; frozen into a Link at the end."""

    name: str
    kind: LinkKind
    span: Span
    netns: str | None = None
    parent: Ref | None = None
    options: dict = field(default_factory=dict)
    ports: list = field(default_factory=list)
    addresses: list = field(default_factory=list)
    common: dict = field(default_factory=dict)
    state: AdminState | None = None
    peer: _LinkDraft | None = None
    setting_spans: dict = field(default_factory=dict)
    routes: list[Route] = field(default_factory=list)  # from `route` items: dev is this link
    sysctls: list[Sysctl] = field(default_factory=list)  # from `sysctl ipv4.KEY VALUE` items
    neighbours: list[Neighbour] = field(default_factory=list)  # from `neigh` items: dev is this link

    def routing(self) -> tuple[list[Route], list[Sysctl], list[Neighbour]]:
        """The routes, sysctls and neighbours of this link's block (and its peer's), in its namespace."""
        if not (self.routes or self.sysctls or self.neighbours):
            # the usual link: its peer's, not three empty lists copied and added to
            return self.peer.routing() if self.peer is not None else ([], [], [])
        routes = [dataclasses.replace(r, netns=self.netns) for r in self.routes]
        sysctls = [dataclasses.replace(s, netns=self.netns) for s in self.sysctls]
        neighbours = [dataclasses.replace(n, netns=self.netns) for n in self.neighbours]
        if self.peer is not None:
            peer_routes, peer_sysctls, peer_neighbours = self.peer.routing()
            routes += peer_routes
            sysctls += peer_sysctls
            neighbours += peer_neighbours
        return routes, sysctls, neighbours

    def freeze(self) -> Link:
        options = None
        spec = kinds.spec(self.kind) if self.options else None  # most links have none: no look-up
        if spec is not None and spec.options is not None:
            fields_by_key = _settings(spec.options)
            options = spec.options(**{fields_by_key[k][0]: v for k, v in self.options.items()})
        common = self.common
        return _link(  # Link's fields in order (one per link of the spec: the cheaper constructor)
            self.name,
            self.kind,
            self.netns,
            self.parent,
            options,
            tuple(self.ports),
            tuple(self.addresses),
            common.get("mtu"),
            common.get("mac"),
            common.get("txqueuelen"),
            self.state,
            self.peer.freeze() if self.peer else None,
            self.span,
            tuple(self.setting_spans.items()),
        )


_link = positional(Link)
_ref = positional(Ref)
_port = positional(Port)


# `name@.`: the namespace the spec's unqualified links are in ("." is never a
# namespace's name: NS211), for a link in another namespace to name it plainly.
DEFAULT_NETNS = "."


def split_ref(word: Word) -> Ref:
    """``name@ns`` -> Ref; a quoted word is a literal name, in namespace ns when written ``"name"@ns``."""
    if word.quoted:
        ns = string_netns(word.raw)
        if ns == DEFAULT_NETNS:
            return Ref(name=word.text, default_netns=True, span=word.span)
        return Ref(name=word.text, netns=ns, span=word.span)
    if "@" in word.text[1:]:
        name, _, ns = word.text.partition("@")
        if ns == DEFAULT_NETNS:
            return Ref(name=name, default_netns=True, span=word.span)
        return Ref(name=name, netns=ns, span=word.span)
    return _ref(word.text, None, False, word.span)  # a plain name, the usual case: name, netns, default_netns, span


@functools.cache
def _settings(options) -> dict:
    """kinds.settings of an options class, made once: every link of a kind asks for it."""
    return kinds.settings(options)


@functools.cache
def _keys_for(kind: LinkKind) -> list[str]:
    """The words a link of ``kind`` takes as settings (made once per kind; not to be changed)."""
    spec = kinds.spec(kind)
    keys = list(COMMON) + list(STATE_WORDS) + ["netns", "addr"]
    if spec.parent:
        keys.append(spec.parent_key)
    if kind is LinkKind.VETH:
        keys.append("peer")
    if spec.is_master:
        keys += ["ports", "port"]
    if spec.options is not None:
        keys += list(_settings(spec.options))
    return keys


class _Reader:
    def __init__(self, path: str):
        self.path = path
        self.diagnostics: list[Diagnostic] = []

    def error(self, code: str, message: str, span: Span, **kw) -> None:
        self.diagnostics.append(diag(code, message, span, **kw))

    # -- program ---------------------------------------------------------

    def program(self, statements: Iterable[Statement]) -> Program:
        namespaces, links = [], []
        routes: list[Route] = []
        rules: list[Rule] = []
        sysctls: list[Sysctl] = []
        neighbours: list[Neighbour] = []
        for st in statements:
            head = st.words[0]
            if head.text == "netns" and not head.quoted:
                ns = self.namespace(st)
                if ns:
                    namespaces.append(ns)
                continue
            if head.text in ROUTING_STATEMENTS and not head.quoted:
                found = self.routing(st)
                if found is not None:  # what the statement's word says it is (read_routing read it so)
                    by_word: dict[str, list] = {"route": routes, "rule": rules, "sysctl": sysctls, "neigh": neighbours}
                    by_word[head.text].append(found)
                continue
            spec = None if head.quoted else kinds.by_word(head.text)
            if spec is None:
                words = ("netns", *ROUTING_STATEMENTS, *(k.value for k in kinds.KINDS))
                self.error(
                    "NS104",
                    f"unknown statement {head.text!r}: expected netns, route, rule, neigh, sysctl or a link kind",
                    head.span,
                    hint=_did_you_mean(head.text, words) or "link kinds: " + ", ".join(words[1 + len(ROUTING_STATEMENTS):]),
                )
                continue
            draft = self.link(st, spec.kind)
            if draft:
                links.append(draft.freeze())
                link_routes, link_sysctls, link_neighbours = draft.routing()
                routes += link_routes
                sysctls += link_sysctls
                neighbours += link_neighbours
        return Program(
            namespaces=tuple(namespaces),
            links=tuple(links),
            routes=tuple(routes),
            rules=tuple(rules),
            sysctls=tuple(sysctls),
            neighbours=tuple(neighbours),
            path=self.path,
        )

    def routing(self, st: Statement) -> Route | Rule | Neighbour | Sysctl | None:
        """``route ...``, ``rule ...``, ``neigh ...`` or ``sysctl KEY VALUE``, with ``netns NS`` anywhere after the head."""
        head = st.words[0]
        if st.block is not None:
            self.error("NS103", f"{head.text!r} takes no block", st.block_span or head.span)
            return None
        words = st.words[1:]
        netns = None
        for i, w in enumerate(words):
            if w.text == "netns" and not w.quoted:
                if i + 1 >= len(words):
                    self.error("NS107", "'netns' needs a value", w.span)
                    return None
                netns = words[i + 1].text
                words = words[:i] + words[i + 2 :]
                break
        found = self.read_routing(head, words, link=None)
        return dataclasses.replace(found, netns=netns) if found is not None else None

    def read_routing(self, head: Word, words: list[Word], *, link: str | None) -> Route | Rule | Neighbour | Sysctl | None:
        from ..routing import words as routing_words

        if head.text == "route":
            reading = routing_words.read_route(words, dev=link)
        elif head.text == "rule":
            reading = routing_words.read_rule(words)
        elif head.text == "neigh":
            reading = routing_words.read_neigh(words, dev=link)
        else:
            reading = routing_words.read_sysctl(words, link=link)
        self.diagnostics += reading.errors
        for word in reading.unsupported:
            self.error("NS105", f"netscript does not model {head.text} setting {word.text!r}", word.span or head.span)
        if not words and not reading.errors:
            self.error("NS107", f"{head.text!r} needs its settings", head.span)
        return reading.value

    def namespace(self, st: Statement) -> Namespace | None:
        words = st.words
        usage = "`netns` takes one name and, if lo should stay down, `loopback down`: netns NAME [loopback up|down]"
        if len(words) not in (2, 4) or st.block is not None:
            span = words[2].span if len(words) > 2 else words[0].span
            self.error("NS103", usage, span)
            return None
        loopback = DEFAULT_LOOPBACK
        if len(words) == 4:
            if words[2].text != "loopback" or words[2].quoted:
                self.error("NS105", f"netns has no setting {words[2].text!r}", words[2].span, hint="netns NAME loopback up|down")
                return None
            if words[3].text not in ("up", "down"):
                self.error("NS106", f"loopback: expected up or down, got {words[3].text!r}", words[3].span)
                return None
            loopback = AdminState(words[3].text)
        return Namespace(name=words[1].text, loopback=loopback, span=words[1].span)

    # -- links -----------------------------------------------------------

    def link(self, st: Statement, kind: LinkKind) -> _LinkDraft | None:
        if len(st.words) < 2:
            self.error("NS107", f"{kind.value} needs a name: {kind.value} NAME ...", st.words[0].span)
            return None
        name = st.words[1]
        keys = self.keys_for(kind)
        if not name.quoted and name.text in keys and len(st.words) > 2 and st.words[2].text not in keys:
            # `tap user root vnet_hdr on`: read with `user` as the name, `root` would be an unknown setting
            self.error(
                "NS107",
                f"{kind.value} needs a name before its settings: {name.text!r} is a {kind.value} setting",
                name.span,
                hint=f"{kind.value} NAME {' '.join(w.text for w in st.words[1:])}",
            )
            return None
        ref = split_ref(name)
        draft = _LinkDraft(name=ref.name, kind=kind, span=name.span, netns=ref.netns)
        if len(st.words) > 2:  # (most links have their settings in the block)
            self.inline_settings(draft, st.words[2:])
        for item in st.block or []:
            self.block_item(draft, item)
        return draft

    def inline_settings(self, draft: _LinkDraft, words: list[Word]) -> None:
        i = 0
        while i < len(words):
            key = words[i]
            if key.text in BLOCK_ONLY and not key.quoted:
                self.error(
                    "NS103",
                    f"{key.text!r} goes inside the block",
                    key.span,
                    hint=f"{draft.kind.value} {draft.name} {{ {key.text} ... }}",
                )
                return
            arity = 0 if key.text in STATE_WORDS else 1
            values = words[i + 1 : i + 1 + arity]
            if len(values) < arity:
                self.error("NS107", f"{key.text!r} needs a value", key.span)
                return
            self.setting(draft, key, values)
            i += 1 + arity

    def block_item(self, draft: _LinkDraft, item: Statement) -> None:
        key, values = item.words[0], item.words[1:]
        if item.block is not None and not (key.text == "peer" and draft.kind is LinkKind.VETH):
            self.error("NS103", f"{key.text!r} takes no block", item.block_span or key.span)
            return
        if key.text in PORT_LIST_WORDS:
            if not values:
                self.error("NS107", f"{key.text!r} needs at least one port name", key.span)
            for v in values:
                self.add_port(draft, v, [])
        elif key.text == "port":
            if not values:
                self.error("NS107", "`port` needs a name: port NAME [OPTION VALUE ...]", key.span)
                return
            self.add_port(draft, values[0], values[1:])
        elif key.text == "addr":
            if not values:
                self.error("NS107", "`addr` needs at least one address", key.span)
            for v in values:
                self.address(draft, v)
        elif key.text == "peer" and draft.kind is LinkKind.VETH:
            self.peer(draft, item)
        elif key.text in ("route", "neigh", "sysctl") and not key.quoted:
            found = self.read_routing(key, values, link=draft.name)
            if found is not None:
                in_block: dict[str, list] = {"route": draft.routes, "sysctl": draft.sysctls, "neigh": draft.neighbours}
                in_block[key.text].append(found)
        else:
            arity = 0 if key.text in STATE_WORDS else 1
            if len(values) != arity:
                if len(values) < arity:
                    self.error("NS107", f"{key.text!r} needs a value", key.span)
                else:
                    self.error("NS103", f"{key.text!r} takes {arity or 'no'} value{'s' if arity != 1 else ''}", values[arity].span)
                return
            self.setting(draft, key, values)

    def setting(self, draft: _LinkDraft, key: Word, values: list[Word]) -> None:
        k = key.text
        if k in draft.setting_spans and k not in ("addr",):
            self.error("NS108", f"{k!r} is set twice for {draft.name}; the last one wins", key.span)
        value_span = values[0].span if values else key.span
        # The setting names as the program keeps them: one string each, not one per link.
        draft.setting_spans[sys.intern(k)] = value_span
        if k in STATE_WORDS:
            draft.state = STATE_WORDS[k]
        elif k == "netns":
            draft.netns = values[0].text
        elif k in COMMON:
            field_name, codec = COMMON[k]
            value = self.value(codec, values[0], k)
            if value is not None:
                draft.common[field_name] = value
        elif k == "addr":
            self.address(draft, values[0])
        elif k == "peer" and draft.kind is LinkKind.VETH:
            ref = split_ref(values[0])
            draft.peer = _LinkDraft(name=ref.name, kind=LinkKind.VETH, span=values[0].span, netns=ref.netns)
        elif (spec := kinds.spec(draft.kind)).parent and k == spec.parent_key:  # (looked up only here)
            draft.parent = split_ref(values[0])
        elif spec.options is not None and k in _settings(spec.options):
            _, meta = _settings(spec.options)[k]
            value = self.value(meta.codec, values[0], k)
            if value is not None:
                draft.options[k] = value
        else:
            self.unknown_setting(draft.kind, key, self.keys_for(draft.kind))

    def value(self, codec: Codec, word: Word, key: str):
        try:
            value = codec.parse(word.text)
        except ValueError as e:
            self.error("NS106", f"{key}: {e}", word.span)
            return None
        if isinstance(codec, Centiseconds) and word.text.isdigit() and value != 0:
            self.error(
                "NS109",
                f"{key} {word.text} is read as centiseconds ({codec.dsl(value)} = {value / 100:g} s), as `ip` reads it",
                word.span,
                hint=f"write {word.text}s for seconds or {word.text}cs to say centiseconds",
            )
        return value

    def keys_for(self, kind: LinkKind) -> list[str]:
        return _keys_for(kind)

    def unknown_setting(self, kind: LinkKind, key: Word, known: list[str]) -> None:
        hint = _did_you_mean(key.text, known) or f"{kind.value} settings: {', '.join(sorted(known))}"
        self.error("NS105", f"{kind.value} has no setting {key.text!r}", key.span, hint=hint)

    def add_port(self, draft: _LinkDraft, name: Word, option_words: list[Word]) -> None:
        spec = kinds.spec(draft.kind)
        if spec.port_options is None:  # not a master
            self.error(
                "NS215",
                f"a {draft.kind.value} has no ports",
                name.span,
                hint="ports belong on a bridge, bond, team or vrf",
            )
            return
        known = _settings(spec.port_options)
        values = {}
        if len(option_words) % 2:
            self.error("NS107", f"port option {option_words[-1].text!r} needs a value", option_words[-1].span)
            option_words = option_words[:-1]
        for key, val in zip(option_words[::2], option_words[1::2]):
            if key.text not in known:
                hint = _did_you_mean(key.text, list(known)) or (
                    f"{draft.kind.value} port options: {', '.join(known)}" if known else None
                )
                self.error("NS105", f"{draft.kind.value} ports have no option {key.text!r}", key.span, hint=hint)
                continue
            field_name, meta = known[key.text]
            v = self.value(meta.codec, val, key.text)
            if v is not None:
                values[field_name] = v
        options = spec.port_options(**values) if values else None
        port = split_ref(name)
        if port.netns is not None and port.netns != draft.netns:
            self.error(
                "NS212",
                f"{draft.name}: port {name.raw} is in namespace {port.netns}, its master in "
                + (f"namespace {draft.netns}" if draft.netns else "the default one"),
                name.span,
                hint="a port is in its master's namespace; move one of them (netns NS)",
            )
            return
        # `ports eth0@red` on a bridge in red is eth0: ports are looked up in their master's namespace
        draft.ports.append(_port(port.name, options, name.span))

    def address(self, draft: _LinkDraft, word: Word) -> None:
        draft.addresses.append(Address(cidr=word.text, span=word.span))

    def peer(self, draft: _LinkDraft, item: Statement) -> None:
        words = item.words
        if len(words) < 2:
            self.error("NS107", "`peer` needs a name: peer NAME[@NS]", words[0].span)
            return
        ref = split_ref(words[1])
        peer = _LinkDraft(name=ref.name, kind=LinkKind.VETH, span=words[1].span, netns=ref.netns)
        if len(words) > 2:
            self.inline_settings(peer, words[2:])
        for sub in item.block or []:
            self.block_item(peer, sub)
        draft.peer = peer


def _did_you_mean(word: str, candidates) -> str | None:
    return _closest(word, tuple(candidates))


@functools.lru_cache(maxsize=1024)
def _closest(word: str, candidates: tuple) -> str | None:
    # A spec that repeats one mistake 100,000 times asks the same question each time.
    import difflib  # a spec without a mistake never needs it

    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else None


# A link's block, and a veth peer's block inside it: nothing nests deeper.
MAX_DEPTH = 2
# What the lexer reads as one token that may hold a brace: strings (to the end
# of the line when unterminated), comments, and the braces themselves.
_BRACE_CONTEXT = re.compile(r'"(?:[^"\\\n]|\\[^\n])*"?|#[^\n]*|[{}]')


def check_nesting(text: str, path: str) -> None:
    """Refuse blocks nested deeper than the DSL has, before anything recursive reads them.

    Raises :class:`DSLSyntaxError` at the first '{' too deep.
    """
    depth = 0
    for m in _BRACE_CONTEXT.finditer(text):
        brace = m.group()
        if brace == "{":
            depth += 1
            if depth > MAX_DEPTH:
                at = m.start()
                line = text.count("\n", 0, at) + 1
                col = at - (text.rfind("\n", 0, at) + 1) + 1
                span = Span(path=path, line=line, col=col, end_line=line, end_col=col + 1)
                raise DSLSyntaxError(dsl_syntax.too_deep(span, MAX_DEPTH))
        elif brace == "}" and depth:
            depth -= 1


def parse(text: str, path: str = "<string>") -> tuple[Program, list[Diagnostic]]:
    """Read DSL text into a Program and the diagnostics met while reading.

    Raises :class:`DSLSyntaxError` when the text does not have the DSL's shape.
    """
    with collector.paused():
        try:
            # One statement at a time: the syntax of a statement read is garbage while the next is read.
            # The scan refuses a block too deep as it meets one, so the reader (which recurses) sees none;
            # that is check_nesting()'s pass over the text, not made when the text has no error (1.3 ms
            # of bench/topology.py 100 900).
            return _read(dsl_syntax.statements(text, path, max_depth=MAX_DEPTH), path)
        except DSLSyntaxError:
            check_nesting(text, path)  # a block too deep anywhere is the error, as when looked for first
            raise


def read(tree: dsl_syntax.SyntaxTree, path: str = "<string>") -> tuple[Program, list[Diagnostic]]:
    """:func:`parse` of text already read into its syntax tree."""
    with collector.paused():
        return _read(tree.statements, path)


def _read(statements: Iterable[Statement], path: str) -> tuple[Program, list[Diagnostic]]:
    reader = _Reader(path)
    program = reader.program(statements)
    return program, reader.diagnostics
