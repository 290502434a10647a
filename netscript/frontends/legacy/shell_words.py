"""Shell words from mvdan/sh ``Word`` nodes (:mod:`.syntax`): quote removal, and what expands at run time.

``make_word(node, source)`` turns one word node into a :class:`~.words.Word`:
its text as written, its parts (literal text, ``$NAME`` placeholders, other
expansions) and whether the shell may split it into several words (an unquoted
expansion or glob).
"""

from __future__ import annotations

import re

from .words import Dynamic, Lit, Part, Var, Word

_GLOB = set("*?[{")
# What makes an unquoted word a pattern or a brace expansion: `*`, `?`, a `[...]` class,
# `{a,b}` or `{1..3}` (a lone `[` or `{}` stays a word, as bash has it: `[ -x f ]`, `xargs -I{}`).
_EXPANDS = re.compile(r"[*?]|\[.+\]|\{[^{}]*(?:,|\.\.)[^{}]*\}", re.DOTALL)
_ESCAPED = re.compile(r"\\.", re.DOTALL)


def _unescape_word(text: str, at_start: bool = True) -> tuple[str, bool]:
    """An unquoted word's value (backslashes removed) and whether the shell expands it (glob, braces, ``~``).

    ``~`` counts only at the word's start (``at_start``: this text begins the word).
    """
    tilde = at_start and text.startswith("~")
    if "\\" not in text and not _GLOB.intersection(text) and not tilde:
        return text, False  # the common case: the word is its value (and shares its text)
    glob = tilde or bool(_EXPANDS.search(_ESCAPED.sub("_", text)))
    if "\\" not in text:
        return text, glob
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            if text[i + 1] != "\n":
                out.append(text[i + 1])
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out), glob


def _unescape_dquoted(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text) and text[i + 1] in '$`"\\\n':
            if text[i + 1] != "\n":
                out.append(text[i + 1])
            i += 2
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


# `$NAME`, `${NAME}`, `$1`, `${10}`: a placeholder a caller may look up ($_ and $? are the shell's own)
_PLAIN_PARAM = re.compile(r"[A-Za-z][A-Za-z0-9_]*|_[A-Za-z0-9_]+|[0-9]+")
_PARAM_KEYS = {"Type", "Pos", "End", "Dollar", "Rbrace", "Short", "Param"}


def _expansion_part(node: dict, src: bytes) -> Part:
    """A ``ParamExp``: Var for a plain ``$NAME`` / ``${NAME}``, else Dynamic."""
    param = node.get("Param")
    if param is not None and node.keys() <= _PARAM_KEYS and _PLAIN_PARAM.fullmatch(param.get("Value", "")):
        return Var(param["Value"])
    return Dynamic(node_text(node, src))


def _parts(parts: list, src: bytes, quoted: bool = False) -> tuple[list[Part], bool]:
    """The parts of a word (or of a double-quoted string) and whether it may split into several words."""
    out: list[Part] = []
    splits = False
    for i, part in enumerate(parts):
        kind = part["Type"]
        text = node_text(part, src)
        if kind == "Lit":
            if quoted:
                out.append(Lit(_unescape_dquoted(text)))
                continue
            value, glob = _unescape_word(text, at_start=i == 0)
            out.append(Dynamic(text) if glob else Lit(value))
            splits |= glob
        elif kind == "SglQuoted":
            out.append(Dynamic(text) if part.get("Dollar") else Lit(text[1:-1]))  # $'...' has escapes
        elif kind == "DblQuoted":
            if part.get("Dollar"):  # $"...": translated at run time
                out.append(Dynamic(text))
            else:
                inner, _ = _parts(part.get("Parts") or [], src, quoted=True)
                out += inner or [Lit("")]
        elif kind == "ParamExp":
            out.append(_expansion_part(part, src))
            splits |= not quoted
        else:  # command and process substitution, arithmetic, extended globs
            out.append(Dynamic(text))
            splits |= not quoted
    return out, splits


def make_word(node: dict, src: bytes) -> Word:
    """A :class:`Word` from a ``Word`` node."""
    text = node_text(node, src)
    parts = node.get("Parts") or []
    if len(parts) == 1 and parts[0]["Type"] == "Lit":  # most words: one literal
        value, glob = _unescape_word(text)
        return Word(text=text, parts=(Dynamic(text),) if glob else (Lit(value),), start=node["Pos"], end=node["End"], splits=glob)
    found, splits = _parts(parts, src)
    merged: list[Part] = []
    for p in found:
        if merged and isinstance(p, Lit) and isinstance(merged[-1], Lit):
            merged[-1] = Lit(merged[-1].value + p.value)
        else:
            merged.append(p)
    return Word(text=text, parts=tuple(merged), start=node["Pos"], end=node["End"], splits=splits)


def node_text(node: dict, src: bytes) -> str:
    return src[node["Pos"] : node["End"]].decode("utf-8", "replace")
