"""`netscript fmt`: the canonical layout of a DSL file, comments kept.

Works on the syntax tree, not the IR, so nothing the user wrote is lost:
statements and settings stay in their order, comments stay where they were.
What changes is layout only:

- one statement per line, blocks opened on the statement's line and indented
  by four spaces, ``;`` replaced by line breaks, empty blocks dropped;
- single spaces between words, quotes only where a word needs them;
- at most one blank line in a row, none at the start or end.

``parse(fmt(x)) == parse(x)`` for every x that parses. Where the layout
would change what a spec says (the empty block of ``netns x { }``, an error,
would be dropped and leave the valid ``netns x``), the text is not formatted:
:class:`FormatRefused` carries the errors the layout would hide.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from . import collector
from .backends.dsl import _PLAIN, INDENT
from .codes import diag
from .diagnostics import Diagnostic
from .frontends import dsl_syntax
from .frontends.dsl import check_nesting
from .frontends.dsl_syntax import Comment, Statement, Word


def _word(w: Word) -> str:
    if not w.quoted:
        return w.text
    netns = dsl_syntax.string_netns(w.raw)
    suffix = "" if netns is None else "@" + netns
    # A quoted word stays quoted if unquoting would change how it reads.
    if _PLAIN.fullmatch(w.text) and "@" not in w.text[1:]:
        return w.text + suffix
    quoted = w.text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return '"' + quoted + '"' + suffix


class _Formatter:
    def __init__(self, comments: list[Comment], statements: list[Statement]) -> None:
        # A comment after a word on the same line trails that word's statement;
        # any other comment stands on its own line.
        self.trailing: dict[int, list[str]] = {}
        standalone: list[Comment] = []
        owner_by_line: dict[int, list[tuple[int, Statement]]] = {}
        for st in _walk(statements):
            for w in st.words:
                owner_by_line.setdefault(w.span.line, []).append((w.span.col, st))
        for c in comments:
            before = [(col, st) for col, st in owner_by_line.get(c.line, []) if col < c.col]
            if before:
                st = max(before, key=lambda x: x[0])[1]
                self.trailing.setdefault(id(st), []).append(c.text.rstrip())
            else:
                standalone.append(c)
        # taken from the front, one by one: a deque, as a list's pop(0) moves all the others
        self.standalone = deque(sorted(standalone, key=lambda c: (c.line, c.col)))
        self.lines: list[str] = []
        self.last_line = 0  # last source line emitted

    def gap(self, line: int) -> None:
        if self.lines and line > self.last_line + 1 and self.lines[-1] != "" and not self.lines[-1].endswith("{"):
            self.lines.append("")

    def comments_before(self, line: int, depth: int) -> None:
        while self.standalone and self.standalone[0].line < line:
            c = self.standalone.popleft()
            self.gap(c.line)
            self.lines.append(INDENT * depth + c.text.rstrip())
            self.last_line = c.line

    def statements(self, statements: list[Statement], depth: int) -> None:
        for st in statements:
            self.comments_before(st.span.line, depth)
            self.gap(st.span.line)
            head = INDENT * depth + " ".join(_word(w) for w in st.words)
            trail = self.trailing.get(id(st))
            if st.block:
                self.lines.append(head + " {" + ("  " + " ".join(trail) if trail else ""))
                self.last_line = st.words[-1].span.line
                self.statements(st.block, depth + 1)
                # both readers give a block the span from its `{` to its `}`
                assert st.block_span is not None and st.block_span.end_line is not None
                end = st.block_span.end_line
                self.comments_before(end, depth + 1)
                self.lines.append(INDENT * depth + "}")
                self.last_line = end
            else:
                self.lines.append(head + ("  " + " ".join(trail) if trail else ""))
                self.last_line = st.words[-1].span.line


def _walk(statements: list[Statement]) -> Iterator[Statement]:
    for st in statements:
        yield st
        if st.block:
            yield from _walk(st.block)


class FormatRefused(Exception):
    """The canonical layout would read differently from the text: nothing to write."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__(diagnostics[0].message)
        self.diagnostics = diagnostics


def format_text(text: str, path: str = "<string>") -> str:
    """The canonical form of DSL text.

    Raises DSLSyntaxError if it does not parse, FormatRefused if the
    canonical form would not say what the text says.
    """
    with collector.paused():
        check_nesting(text, path)
        tree = dsl_syntax.parse(text, path)
        f = _Formatter(tree.comments, tree.statements)
        f.statements(tree.statements, 0)
        f.comments_before(10**12, 0)
        while f.lines and f.lines[-1] == "":
            f.lines.pop()
        out = "\n".join(f.lines) + "\n" if f.lines else ""
        if out != text:
            _same_meaning(text, out, path, tree)
    return out


def _same_meaning(before: str, after: str, path: str, tree: dsl_syntax.SyntaxTree) -> None:
    """Raise FormatRefused unless ``after`` reads as ``before`` does, findings included."""
    from collections import Counter

    from .frontends import dsl

    program, found = dsl.read(tree, path)  # `before` as read already
    try:
        program_after, found_after = dsl.parse(after, path)
    except dsl.DSLSyntaxError as e:
        program_after, found_after = None, [e.diagnostic]
    left = Counter((d.code, d.message) for d in found_after)
    hidden = []
    for d in found:
        if left[d.code, d.message]:
            left[d.code, d.message] -= 1
        else:
            hidden.append(d)
    if hidden:
        raise FormatRefused(hidden)
    if program_after != program or +left:
        first = tree.statements[0].span if tree.statements else None
        raise FormatRefused([diag("NS103", "fmt would change what this spec says; it is left as it is", first)])
