"""Which commands of a code block are alternatives: the branches of a ``case`` or an ``if``.

A reader follows one branch of ``case "$1" in start) ...;; stop) ...;; esac``,
not all of them one after another, and a function's body runs when it is
called, not where it is written. ``--run`` needs to know that, so each command
gets a *path*: the alternatives it sits in, outermost first, as ``(statement,
branch)`` pairs, a statement being its kind and its document offset. Branch 0 is the first branch of a ``case`` or the ``then`` of
an ``if``; a function body is branch -1 (never on the straight line). A
command with an empty path, or only zeros in it, is on the straight line.

The block is read by the shell parser (tree-sitter, as scripts are) only when
it has shell control words at all; a console session with prompts is a
straight line by nature.
"""

from __future__ import annotations

import re

from .document import Block

Path = tuple[tuple[tuple[str, int], int], ...]  # ((kind, document offset), branch), outermost first

_CONTROL = re.compile(r"\b(?:case|if|function)\b|\(\)\s*\{")


def paths(block: Block, starts: list[int]) -> dict[int, Path]:
    """The path of each command (by the document offset of its tool word); () for the straight line."""
    text, where = _joined(block)
    if not starts or not _CONTROL.search(text):
        return dict.fromkeys(starts, ())
    from ..frontends.legacy.shell import parse_tree

    spans: list[tuple[int, int, Path]] = []
    _walk(parse_tree(text).root_node, (), spans, where)
    out = {}
    for start in starts:
        around = [(e - s, p) for s, e, p in spans if s <= start < e]
        out[start] = min(around, key=lambda t: t[0])[1] if around else ()
    return out


def on_straight_line(path: Path) -> bool:
    return all(branch == 0 for _, branch in path)


def _joined(block: Block) -> tuple[str, list[int]]:
    """The block's text, and for each of its UTF-8 bytes the document offset it came from."""
    pieces, where = [], []
    for n, line in enumerate(block.lines):
        if n:
            pieces.append("\n")
            where.append(line.origin(0))
        pieces.append(line.text)
        for k, ch in enumerate(line.text):
            where.extend([line.origin(k)] * len(ch.encode("utf-8")))
    where.append(block.lines[-1].origin(len(block.lines[-1].text)) if block.lines else 0)
    return "".join(pieces), where


def _walk(node, path: Path, spans: list, where: list[int]) -> None:
    kind = node.type
    key = (kind, where[min(node.start_byte, len(where) - 1)])  # the statement, by where it starts in the document
    if kind == "command":
        spans.append((where[min(node.start_byte, len(where) - 1)], where[min(node.end_byte, len(where) - 1)], path))
    if kind == "case_statement":
        items = [c for c in node.children if c.type == "case_item"]
        for c in node.children:
            branch = items.index(c) if c in items else None
            _walk(c, path if branch is None else (*path, (key, branch)), spans, where)
        return
    if kind == "if_statement":
        seen_then, branch = False, 0
        for c in node.children:
            if c.type in ("elif_clause", "else_clause"):
                branch += 1
                _walk(c, (*path, (key, branch)), spans, where)
            elif c.type == "then":
                seen_then = True
            else:  # the condition runs whichever branch follows; the then-part is branch 0
                _walk(c, (*path, (key, 0)) if seen_then else path, spans, where)
        return
    if kind == "function_definition":
        for c in node.children:
            _walk(c, (*path, (key, -1)), spans, where)
        return
    for c in node.children:
        _walk(c, path, spans, where)
