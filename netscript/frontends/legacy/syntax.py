"""A shell script's syntax tree, from mvdan/sh's parser (``shfmt --to-json -ln bash``).

mvdan/sh read every one of the ~120 real scripts of issue 11 that ``bash -n``
accepts (tree-sitter-bash left ERROR nodes in a tenth of them and dropped
commands silently in others), and gives a typed tree whose positions are byte
offsets. What it still refuses is rare (``((cmd) )``, which bash reads as a
subshell in a subshell once arithmetic fails) and is handled below.
The tree is the JSON shfmt prints, as dicts, with every position (``Pos``,
``End``, ``OpPos``...) turned into its byte offset, or None where absent.

One shfmt process per script (per few thousand lines of a long one): the tree
of the last script read is kept, so the scanner, the platform branches and
the function spans share it.

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

from ... import collector

# A script whose every line shfmt refuses is not worth reading again and again.
MAX_RETRIES = 64
# shfmt --to-json holds its whole output, about 70 KB a line of script, in memory (a
# 20,000-line script took 1.3 GB): a long script is read in pieces of about this many
# lines, each cut where the text before the cut parses on its own (a cut inside an if,
# a string or a here-document does not, and no line ending in a backslash is cut).
PIECE_LINES = 3000
MAX_PIECE_LINES = 4 * PIECE_LINES  # past this, a piece that does not parse has lines shfmt cannot read
# shfmt's address space: a piece of MAX_PIECE_LINES lines needs about 1 GB. A longer rest
# of a script with lines shfmt cannot read may not fit; it is then reported unreadable.
SHFMT_MEMORY = 3 << 30

_ERROR_AT = re.compile(rb"^(?:[^\n:]*:)?(\d+):(\d+): (.*)$", re.MULTILINE)


class ShellParserMissing(click.ClickException):
    """shfmt is not installed: nothing can read a script (exit 2, with what to install)."""

    exit_code = 2


@dataclass(frozen=True)
class Tree:
    """A parsed script: the ``File`` node, and the lines that were left out (byte ranges)."""

    root: dict
    unreadable: tuple[tuple[int, int], ...] = ()

    def of_kind(self, kind: str) -> list[dict]:
        """The nodes of one ``Type`` (``FuncDecl``, ``CaseClause``...), in source order."""
        return self._by_kind.get(kind, [])

    @functools.cached_property
    def _by_kind(self) -> dict[str, list[dict]]:
        # one pass for every reader that wants a few kinds, without walk()'s frames
        found: dict[str, list[dict]] = {}
        stack = [self.root]
        while stack:
            node = stack.pop()
            kind = node.get("Type")
            if kind is not None:
                found.setdefault(kind, []).append(node)
            for field, value in node.items():
                if type(value) is dict:
                    if "ValuePos" not in value and field not in _SKIPPED_FIELDS:
                        stack.append(value)
                elif type(value) is list and value and type(value[0]) is dict and field not in _SKIPPED_FIELDS:
                    stack.extend(reversed(value))
        for nodes in found.values():
            nodes.sort(key=lambda n: n["Pos"])
        return found


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
    work = src.translate(_CR_AS_BASH_READS_IT)
    line_starts = [0] + [m.end() for m in re.finditer(b"\n", work) if m.end() < len(work)]
    stmts: list = []
    unreadable: list[tuple[int, int]] = []
    first = 0  # the first line of the next piece (0-based)
    while first < len(line_starts):
        size = PIECE_LINES
        while True:
            last = first + size
            if last + PIECE_LINES // 2 >= len(line_starts) or size > MAX_PIECE_LINES:
                # the rest of the script: near its end, or with lines shfmt cannot read (a shorter piece
                # could cut a here-document whose text would then be read as commands)
                end, last = len(work), len(line_starts)
                found, left_out = _read_piece(src, work, line_starts[first], end)
                break
            end = line_starts[last]
            if work.endswith(b"\\\n", 0, end):
                size += 1  # the line goes on: never cut there
                continue
            try:
                root = _run_shfmt(_piece(work, line_starts[first], end))[0]
            except RecursionError:  # too deep for the JSON decoder: see how the longer piece fares
                root = None
            if root is not None:  # what comes before the cut is whole: the cut is between statements
                found, left_out = root.get("Stmts") or [], []
                break
            size *= 2  # inside an if, a string, a here-document... or a line shfmt cannot read
        stmts += found
        unreadable += left_out
        first = last
    return Tree({"Type": "File", "Pos": 0, "End": len(src), "Stmts": stmts}, tuple(sorted(unreadable)))


def _piece(work: bytes | bytearray, start: int, end: int) -> bytes:
    """The text from ``start`` to ``end``, after as many bytes and newlines as come before it:
    shfmt gives its offsets and lines as the script's own."""
    lines = work.count(b"\n", 0, start)
    return b" " * (start - lines) + b"\n" * lines + bytes(work[start:end])


def _read_piece(src: bytes, work: bytes, start: int, end: int) -> tuple[list, list[tuple[int, int]]]:
    """The statements from ``start`` to ``end``, blanking each line shfmt cannot read (and listing it)."""
    piece = bytearray(_piece(work, start, end))
    unreadable: list[tuple[int, int]] = []
    line = None
    for _ in range(MAX_RETRIES):
        try:
            root, line = _run_shfmt(bytes(piece))
        except RecursionError:  # nested deeper than the JSON decoder goes: nothing is read
            return [], list(_lines(src, start, end))
        if root is not None:
            return root.get("Stmts") or [], unreadable
        if line is None:
            break  # shfmt died without saying where
        at, to = _line_span(src, line)
        if at < start or at >= end or not piece[at:to].strip():
            break  # no progress: the problem is not on a line of its own
        stop = _belonging(src, at, to, end)
        piece[at:stop] = re.sub(rb"[^\n]", b" ", bytes(piece[at:stop]))
        unreadable += _lines(src, at, stop)
    # give up on the rest of the piece: from the first line still in the way to its end
    at = max(start, min(_line_span(src, line)[0], end)) if line is not None else start
    piece[at:] = re.sub(rb"[^\n]", b" ", bytes(piece[at:]))
    seen = set(unreadable)
    unreadable += [r for r in _lines(src, at, end) if r not in seen]
    try:
        root, _ = _run_shfmt(bytes(piece))
    except RecursionError:
        root = None
    if root is None:  # the lines kept still do not parse together: nothing is read
        return [], list(_lines(src, start, end))
    return root.get("Stmts") or [], unreadable


_HEREDOC = re.compile(rb"<<(-?)\s*(['\"]?)\\?([A-Za-z_][A-Za-z0-9_]*)\2")
_COMMENT = re.compile(rb"(?:^|[ \t;])#.*")


def _belonging(src: bytes, at: int, to: int, end: int) -> int:
    """Where the text that goes with the unreadable line ``at..to`` ends.

    Its continuation lines (a backslash at the end), the body of a here-document it
    opens and the rest of a string it leaves open are not commands: left out with it,
    they are never read as commands once the line is blanked.
    """

    def following(pos: int) -> tuple[int, int]:
        nxt = src.find(b"\n", pos + 1, end)
        return pos + 1, end if nxt < 0 else nxt

    stop = to
    while src[at:stop].endswith(b"\\") and stop < end:
        stop = following(stop)[1]
    written = _COMMENT.sub(b"", src[at:stop].replace(b"<<<", b"").replace(b"\\\n", b""))
    for tabs, _, word in _HEREDOC.findall(written):
        while stop < end:
            line_at, stop = following(stop)
            if (src[line_at:stop].lstrip(b"\t") if tabs else src[line_at:stop]) == word:
                break
    for quote in (b'"', b"'"):
        if (written.count(quote) - written.count(b"\\" + quote)) % 2:  # left open: the string goes on
            while stop < end:
                line_at, stop = following(stop)
                if src[line_at:stop].count(quote) % 2:
                    break
    return stop


def _run_shfmt(src: bytes) -> tuple[dict | None, int | None]:
    """(tree, None), or (None, the 1-based line shfmt stopped at; None if it did not say)."""
    proc = subprocess.Popen([shfmt_path(), "--to-json", "-ln", "bash"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _cap_memory(proc.pid)
    out, errors = proc.communicate(src)
    if proc.returncode == 0 and out:
        with collector.paused():  # a tree of hundreds of thousands of dicts, no cycle among them
            return json.loads(out, object_hook=_offsets), None
    m = _ERROR_AT.search(errors)
    return None, int(m.group(1)) if m else None


def _cap_memory(pid: int) -> None:
    """shfmt's JSON grows with the square of the nesting: `a && a && ...` 3,000 times took 7.5 GB.
    Past SHFMT_MEMORY it stops (out of memory), and the piece counts as unreadable."""
    try:
        import resource

        resource.prlimit(pid, resource.RLIMIT_AS, (SHFMT_MEMORY, SHFMT_MEMORY))
    except (ImportError, AttributeError, OSError):  # not Linux, or it has already exited
        pass


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


def _lines(src: bytes, start: int, stop: int):
    """Byte ranges of the non-blank lines from ``start`` to ``stop``."""
    while start < stop:
        end = src.find(b"\n", start, stop)
        end = stop if end < 0 else end
        if src[start:end].strip():
            yield start, end
        start = end + 1


# -- walking the tree --------------------------------------------------------


class Frame:
    """Where a node sits: the node holding it (and that node's kind), the field it is in,
    whether it is the last item of that field, and the holder's own frame."""

    __slots__ = ("field", "kind", "last", "node", "up")

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

    Literals (``Lit`` and names, which hold no node) are not visited. Iterative: a
    list of 5,000 ``&&`` nests as deep, and Python's stack is not that deep.
    """
    stack: list[tuple[dict, str, Frame | None]] = [(root, root.get("Type", "File"), None)]
    while stack:
        node, kind, frame = stack.pop()
        yield node, kind, frame
        children: list[tuple[dict, str, Frame | None]] = []
        for field, value in node.items():
            if type(value) is dict:
                if "ValuePos" not in value and field not in _SKIPPED_FIELDS:
                    children.append((value, kind_of(value, kind, field), Frame(node, kind, field, True, frame)))
            elif type(value) is list and value and type(value[0]) is dict and field not in _SKIPPED_FIELDS:
                inside = Frame(node, kind, field, False, frame)  # shared by all but the last item
                last = len(value) - 1
                for i, item in enumerate(value):
                    if "ValuePos" not in item:
                        where = inside if i < last else Frame(node, kind, field, True, frame)
                        children.append((item, kind_of(item, kind, field), where))
        stack.extend(reversed(children))
