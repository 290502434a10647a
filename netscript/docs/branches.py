"""Which commands of a code block are alternatives: the branches of a ``case`` or an ``if``.

A reader follows one branch of ``case "$1" in start) ...;; stop) ...;; esac``,
not all of them one after another, and a function's body runs when it is
called, not where it is written. ``--run`` needs to know that, so each command
gets a *path*: the alternatives it sits in, outermost first, as ``(statement,
branch)`` pairs, a statement being its kind and its document offset. Branch 0 is the first branch of a ``case`` or the ``then`` of
an ``if``; a function body is branch -1 (never on the straight line). A
command with an empty path, or only zeros in it, is on the straight line.

The block is read by the shell parser (mvdan/sh's tree, as scripts are) only
when it has shell control words at all; a console session with prompts is a
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
    spans = _command_spans(text, where)
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


def _command_spans(text: str, where: list[int]) -> list[tuple[int, int, Path]]:
    """(start, end, path) in the document of every simple command of ``text``."""
    from ..frontends.legacy import syntax

    def at(offset: int) -> int:
        return where[min(offset, len(where) - 1)]

    spans: list[tuple[int, int, Path]] = []
    path_of: dict[int, Path] = {}  # id of a node -> its path (walk() gives holders first)
    case_item: dict[int, int] = {}  # id of a case item -> its branch
    if_branch: dict[int, tuple[tuple[str, int], int]] = {}  # id of an if, elif or else -> (the first if, branch)
    for node, kind, frame in syntax.walk(syntax.parse(text).root):
        path: Path = ()
        if frame is not None:
            holder = frame.node
            path = path_of[id(holder)]
            if frame.kind == "CaseClause" and frame.field == "Items":  # the statement, by where it starts in the document
                path = (*path, ((frame.kind, at(holder["Pos"])), case_item[id(node)]))
            elif frame.kind == "IfClause" and frame.field in ("Cond", "Then"):
                # the first if's condition runs whichever branch follows; an elif's only when its branch is tried
                first_if, branch = if_branch[id(holder)]
                if frame.field == "Then" or branch:
                    path = (*path, (first_if, branch))
            elif frame.kind == "FuncDecl":
                path = (*path, ((frame.kind, at(holder["Pos"])), -1))
        path_of[id(node)] = path
        if kind == "CallExpr":
            spans.append((at(node["Pos"]), at(node["End"]), path))
        elif kind == "CaseClause":
            for branch, item in enumerate(node.get("Items") or ()):
                case_item[id(item)] = branch
        elif kind == "IfClause" and id(node) not in if_branch:  # a first if: its elif and else follow in Else
            first_if, clause, branch = ("IfClause", at(node["Pos"])), node, 0
            while clause is not None:
                if_branch[id(clause)] = (first_if, branch)
                clause, branch = clause.get("Else"), branch + 1
    return spans
