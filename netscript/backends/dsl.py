"""IR -> DSL text: how `export` and `translate --to dsl` write a spec.

The output is in the canonical form `netscript fmt` produces, and reading it
back gives the same Program: ``dsl.parse(print_program(p)) == p``.
"""

from __future__ import annotations

import re

from .. import kinds
from ..ir.model import DEFAULT_LOOPBACK, Link, LinkKind, Namespace, Program, option_items
from ..kinds.spec import COMMON_SETTINGS

_PLAIN = re.compile(r'[^\s"\'{};#\\]+')
INDENT = "    "


def word(text: str, *, ref_ok: bool = False) -> str:
    """A DSL word: bare when it reads back as itself, else a quoted string.

    ``ref_ok``: the word is a reference, where ``name@ns`` is meant; elsewhere
    an ``@`` in a name must be quoted so it is not read as one.
    """
    if _PLAIN.fullmatch(text) and (ref_ok or "@" not in text[1:]):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def ref(name: str, netns: str | None, default_netns: bool = False) -> str:
    """``name@ns``, or ``"name"@ns`` for a name that needs quotes; ``name@.`` pinned to the default namespace."""
    if netns is None:
        return word(name, ref_ok=False) + "@." if default_netns else word(name)
    return word(name, ref_ok=False) + "@" + word(netns)


def _value(meta, value) -> str:
    return word(meta.codec.dsl(value))


def _head_settings(link: Link) -> list[str]:
    spec = kinds.spec(link.kind)
    out = []
    if link.parent is not None:
        out += [spec.parent_key, ref(link.parent.name, link.parent.netns, link.parent.default_netns)]
    for key, value, meta in option_items(link.options):
        out += [key, _value(meta, value)]
    for key, codec in COMMON_SETTINGS.items():
        value = getattr(link, key)
        if value is not None:
            out += [key, word(codec.dsl(value))]
    return out


def _ports(link: Link) -> list[str]:
    lines, plain = [], []
    for port in link.ports:
        items = option_items(port.options)
        if not items:
            plain.append(word(port.name))
            continue
        if plain:
            lines.append("ports " + " ".join(plain))
            plain = []
        lines.append(" ".join(["port", word(port.name)] + [f"{k} {_value(m, v)}" for k, v, m in items]))
    if plain:
        lines.append("ports " + " ".join(plain))
    return lines


def _body(link: Link, *, netns_inline: bool) -> list[str]:
    lines = _ports(link)
    if link.addresses:
        lines.append("addr " + " ".join(word(a.cidr) for a in link.addresses))
    if link.state is not None:
        lines.append(link.state.value)
    return lines


def _peer_lines(peer: Link) -> list[str]:
    head = "peer " + word(peer.name)
    if peer.netns is not None:
        head += " netns " + word(peer.netns)
    settings = _head_settings(peer)
    if settings:
        head += " " + " ".join(settings)
    body = _body(peer, netns_inline=True)
    if not body:
        return [head]
    return [head + " {"] + [INDENT + b for b in body] + ["}"]


def print_link(link: Link) -> str:
    head = [link.kind.value, word(link.name)]
    if link.netns is not None:
        head += ["netns", word(link.netns)]
    head += _head_settings(link)
    body = _body(link, netns_inline=True)
    if link.kind is LinkKind.VETH and link.peer is not None:
        peer = link.peer
        if not _head_settings(peer) and not _body(peer, netns_inline=True) and "@" not in peer.name:
            head += ["peer", ref(peer.name, peer.netns)]
        else:
            body = _peer_lines(peer) + body
    if not body:
        return " ".join(head) + "\n"
    lines = [" ".join(head) + " {"] + [INDENT + b for b in body] + ["}"]
    return "\n".join(lines) + "\n"


def _loopback(ns: Namespace) -> str:
    return "" if ns.loopback is DEFAULT_LOOPBACK else f" loopback {ns.loopback.value}"


def _in_netns(netns: str | None) -> list[str]:
    return [] if netns is None else ["netns", word(netns)]


def print_routing(program: Program) -> list[str]:
    """Routes, then neighbours, rules and sysctls: one line each, the words `ip` and sysctl take."""
    from ..routing.words import neigh_words, route_words, rule_words

    parts = []
    if program.routes:
        parts.append("".join(
            " ".join(["route", *map(word, route_words(r)), *_in_netns(r.netns)]) + "\n" for r in program.routes
        ))
    if program.neighbours:
        parts.append("".join(
            " ".join(["neigh", *map(word, neigh_words(n)), *_in_netns(n.netns)]) + "\n" for n in program.neighbours
        ))
    if program.rules:
        lines = []
        for rule in program.rules:
            family = ["-6"] if rule.family == 6 and rule.src is None and rule.dst is None else []
            lines.append(" ".join(["rule", *family, *map(word, rule_words(rule)), *_in_netns(rule.netns)]) + "\n")
        parts.append("".join(lines))
    if program.sysctls:
        parts.append("".join(
            " ".join(["sysctl", word(s.key), word(s.value), *_in_netns(s.netns)]) + "\n" for s in program.sysctls
        ))
    return parts


def print_program(program: Program) -> str:
    """The whole spec: namespaces first, then links in their order, then routes, neighbours, rules and sysctls."""
    parts = []
    if program.namespaces:
        parts.append("".join(f"netns {word(ns.name)}{_loopback(ns)}\n" for ns in program.namespaces))
    parts += [print_link(link) for link in program.links]
    parts += print_routing(program)
    return "\n".join(parts)
