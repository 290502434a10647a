"""A shell script's syntax tree, from mvdan/sh's parser (``shfmt --to-json -ln bash``).

mvdan/sh reads everything ``bash -n`` accepts in the scripts we measured
(tree-sitter-bash left ERROR nodes in a tenth of them and dropped commands
silently in others), and gives a typed tree whose positions are byte offsets.
The tree is the JSON shfmt prints, as dicts, with every position (``Pos``,
``End``, ``OpPos``...) turned into its byte offset, or None where absent.

One shfmt process per script: the tree of the last script read is kept, so
the scanner, the platform branches and the function spans share it.

Where shfmt cannot read a line, that line is blanked (each of its bytes
becomes a space, so every offset stays) and the script is read again: the
commands after it are still found, and the lines left out are reported as
unreadable, one region per line.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass

import click

# A script whose every line shfmt refuses is not worth reading again and again.
MAX_RETRIES = 64

_ERROR_AT = re.compile(rb"^(?:[^\n:]*:)?(\d+):(\d+): (.*)$", re.MULTILINE)


class ShellParserMissing(click.ClickException):
    """shfmt is not installed: nothing can read a script (exit 2, with what to install)."""

    exit_code = 2


@dataclass(frozen=True)
class Tree:
    """A parsed script: the ``File`` node, and the lines that were left out (byte ranges)."""

    root: dict
    unreadable: tuple[tuple[int, int], ...] = ()


@functools.lru_cache(maxsize=1)
def shfmt_path() -> str:
    """The shfmt binary: where pip put this Python's scripts (shfmt-py installs it there), else on PATH."""
    for scripts in _script_dirs():
        beside = os.path.join(scripts, "shfmt")
        if os.path.isfile(beside) and os.access(beside, os.X_OK):
            return beside
    found = shutil.which("shfmt")
    if found:
        return found
    raise ShellParserMissing("reading shell scripts needs shfmt (mvdan/sh), which is not installed: pip install shfmt-py")


def _script_dirs():
    yield os.path.dirname(sys.executable)  # the usual place, found without sysconfig's cost
    import sysconfig

    yield sysconfig.get_path("scripts")


def parse(text: str) -> Tree:
    """The syntax tree of ``text``; never raises for bad shell (unreadable lines are left out)."""
    return _parse_bytes(text.encode("utf-8"))


# shfmt takes a carriage return for a blank; bash takes it for a character of the
# word it touches (`\rbrctl` is not brctl, `do\r` is not `do`). shfmt gets '.' in
# its place, which is what bash makes of it: a character of a word, never a name's.
# Offsets stay the same, and words are read from the real bytes.
_CR_AS_BASH_READS_IT = bytes.maketrans(b"\r", b".")


@functools.lru_cache(maxsize=1)
def _parse_bytes(src: bytes) -> Tree:
    work = bytearray(src.translate(_CR_AS_BASH_READS_IT))
    unreadable: list[tuple[int, int]] = []
    for _ in range(MAX_RETRIES):
        try:
            root, line = _run_shfmt(bytes(work))
        except RecursionError:  # nested deeper than the JSON decoder goes: nothing is read
            return Tree(_empty(len(src)), tuple(_lines(src, 0)))
        if root is not None:
            return Tree(root, tuple(sorted(unreadable)))
        start, end = _line_span(src, line)
        if start >= len(src) or not work[start:end].strip():
            break  # no progress: the problem is not on a line of its own
        work[start:end] = b" " * (end - start)
        unreadable.append((start, end))
    # give up on the rest: from the first line still in the way to the end
    start = _line_span(src, line)[0] if line is not None else 0
    start = min(start, len(src))
    work[start:] = bytes(b if b == 0x0A else 0x20 for b in work[start:])
    unreadable += [r for r in _lines(src, start) if r not in unreadable]
    try:
        root, _ = _run_shfmt(bytes(work))
    except RecursionError:
        root = None
    if root is None:  # the lines kept still do not parse together: nothing is read
        return Tree(_empty(len(src)), tuple(_lines(src, 0)))
    return Tree(root, tuple(sorted(unreadable)))


def _run_shfmt(src: bytes) -> tuple[dict | None, int | None]:
    """(tree, None), or (None, the 1-based line shfmt stopped at)."""
    done = subprocess.run([shfmt_path(), "--to-json", "-ln", "bash"], input=src, capture_output=True, check=False)
    if done.returncode == 0:
        return json.loads(done.stdout, object_hook=_offsets), None
    m = _ERROR_AT.search(done.stderr)
    return None, int(m.group(1)) if m else 1


def _offsets(node: dict):
    """A position (``{"Offset", "Line", "Col"}``) becomes its byte offset; None when it is not there."""
    if len(node) == 3 and "Offset" in node and "Col" in node:
        return node["Offset"] if node["Line"] else None
    return node


def _line_span(src: bytes, line: int | None) -> tuple[int, int]:
    """Byte range of a 1-based line, without its newline."""
    start = 0
    for _ in range((line or 1) - 1):
        nl = src.find(b"\n", start)
        if nl < 0:
            return len(src), len(src)
        start = nl + 1
    end = src.find(b"\n", start)
    return start, len(src) if end < 0 else end


def _lines(src: bytes, start: int):
    """Byte ranges of the non-blank lines from ``start`` on."""
    while start < len(src):
        end = src.find(b"\n", start)
        end = len(src) if end < 0 else end
        if src[start:end].strip():
            yield start, end
        start = end + 1


def _empty(size: int) -> dict:
    return {"Type": "File", "Pos": 0, "End": size, "Stmts": []}


# -- walking the tree --------------------------------------------------------


class Frame:
    """Where a node sits: the node holding it (and that node's kind), the field it is in,
    whether it is the last item of that field, and the holder's own frame."""

    __slots__ = ("node", "kind", "field", "last", "up")

    def __init__(self, node: dict, kind: str, field: str, last: bool, up: Frame | None):
        self.node, self.kind, self.field, self.last, self.up = node, kind, field, last, up


# The kind of a node whose JSON has no "Type": from the field that holds it.
_STATEMENT_FIELDS = {"Stmts", "Cond", "Then", "Do", "Body", "Stmt"}
# Data, not code: a here-document's body, comments.
_SKIPPED_FIELDS = {"Hdoc", "Comments", "Last"}


def kind_of(node: dict, holder_kind: str, field: str) -> str:
    if "Type" in node:
        return node["Type"]
    if field in _STATEMENT_FIELDS or (holder_kind == "BinaryCmd" and field in ("X", "Y")):
        return "Stmt"
    if field == "Else":
        return "IfClause"  # elif and else are if clauses (an else has no Cond)
    if field == "Items" and holder_kind == "CaseClause":
        return "CaseItem"
    if field == "Assigns" or (field == "Args" and holder_kind == "DeclClause"):
        return "Assign"
    if field == "Redirs":
        return "Redirect"
    return field


def walk(root: dict):
    """Every node under ``root`` as (node, kind, frame), in source order, parents first.

    Iterative: a list of 5,000 ``&&`` nests as deep, and Python's stack is not that deep.
    """
    stack = [(root, root.get("Type", "File"), None)]
    while stack:
        node, kind, frame = stack.pop()
        yield node, kind, frame
        children = []
        for field, value in node.items():
            if field in _SKIPPED_FIELDS:
                continue
            if isinstance(value, dict):
                children.append((value, kind_of(value, kind, field), Frame(node, kind, field, True, frame)))
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                last = len(value) - 1
                for i, item in enumerate(value):
                    children.append((item, kind_of(item, kind, field), Frame(node, kind, field, i == last, frame)))
        stack.extend(reversed(children))
