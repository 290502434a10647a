"""Shell words from tree-sitter-bash nodes: quote removal, and what expands at run time.

``make_word(node, source)`` turns one argument node into a :class:`~.words.Word`:
its text as written, its parts (literal text, ``$NAME`` placeholders, other
expansions) and whether the shell may split it into several words (an unquoted
expansion or glob).
"""

from __future__ import annotations

from .words import Dynamic, Lit, Part, Var, Word

_GLOB = set("*?[{")


def _unescape_word(text: str) -> tuple[str, bool]:
    """An unquoted word's value (backslashes removed) and whether it has glob characters."""
    if "\\" not in text and not _GLOB.intersection(text) and not text.startswith("~"):
        return text, False  # the common case: the word is its value (and shares its text)
    out, glob, i = [], False, 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            if text[i + 1] != "\n":
                out.append(text[i + 1])
            i += 2
            continue
        if ch in _GLOB or (ch == "~" and i == 0):
            glob = True
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


def _expansion_part(node, src: bytes) -> Part:
    text = node_text(node, src)
    if node.type == "simple_expansion":
        names = [c for c in node.children if c.type == "variable_name"]
        if names:
            return Var(node_text(names[0], src))
        return Dynamic(text)
    if node.type == "expansion":
        inner = [c for c in node.children if c.type not in ("${", "}")]
        if len(inner) == 1 and inner[0].type == "variable_name":
            return Var(node_text(inner[0], src))
    return Dynamic(text)


def _parts(node, src: bytes, quoted: bool = False) -> tuple[list[Part], bool]:
    """The parts of a word node and whether it may split into several words."""
    t = node.type
    text = node_text(node, src)
    if t in ("word", "number"):
        if quoted:
            return [Lit(text)], False
        value, glob = _unescape_word(text)
        return ([Dynamic(text)], True) if glob else ([Lit(value)], False)
    if t == "raw_string":
        return [Lit(text[1:-1])], False
    if t == "string":
        parts: list[Part] = []
        pos = node.start_byte + 1
        for child in node.children:
            if child.type == '"':
                continue
            if child.start_byte > pos:  # text tree-sitter leaves between children
                parts.append(Lit(_unescape_dquoted(src[pos : child.start_byte].decode("utf-8", "replace"))))
            if child.type == "string_content":
                parts.append(Lit(_unescape_dquoted(node_text(child, src))))
            else:
                parts.append(_expansion_part(child, src))
            pos = child.end_byte
        if node.end_byte - 1 > pos:
            parts.append(Lit(_unescape_dquoted(src[pos : node.end_byte - 1].decode("utf-8", "replace"))))
        return parts, False
    if t in ("simple_expansion", "expansion"):
        part = _expansion_part(node, src)
        return [part], not quoted
    if t == "concatenation":
        parts, splits = [], False
        for child in node.children:
            p, s = _parts(child, src, quoted)
            parts += p
            splits |= s
        # `{a,b}` comes out as a concatenation of words: brace expansion
        if any(c.type == "word" and node_text(c, src) == "{" for c in node.children):
            return [Dynamic(text)], True
        return parts, splits
    # command and process substitution, arithmetic, $'...', brace expressions
    return [Dynamic(text)], not quoted and t not in ("ansi_c_string", "translated_string")


def make_word(node, src: bytes) -> Word:
    """A :class:`Word` from a tree-sitter argument node."""
    if node.type == "word":  # most words: one literal, no need to merge parts
        text = node_text(node, src)
        value, glob = _unescape_word(text)
        parts = (Dynamic(text),) if glob else (Lit(value),)
        return Word(text=text, parts=parts, start=node.start_byte, end=node.end_byte, splits=glob)
    parts, splits = _parts(node, src)
    merged: list[Part] = []
    for p in parts:
        if merged and isinstance(p, Lit) and isinstance(merged[-1], Lit):
            merged[-1] = Lit(merged[-1].value + p.value)
        else:
            merged.append(p)
    return Word(text=node_text(node, src), parts=tuple(merged), start=node.start_byte, end=node.end_byte, splits=splits)


def node_text(node, src: bytes) -> str:
    return src[node.start_byte : node.end_byte].decode("utf-8", "replace")
