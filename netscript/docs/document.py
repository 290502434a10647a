"""A document being checked, and pieces of its text that remember where they came from.

Every extractor (Markdown, reStructuredText, man pages, plain text) hands the
snippet reader :class:`Line` values rather than plain strings. A Line is text
as a command would see it (a man page's ``\\-`` already read as ``-``) plus,
for every character, the byte offset in the document (as UTF-8) it came from.
Byte offsets are what the legacy parsers' words and notes carry and what a
Fix's edits hold; :meth:`Document.span` turns them into line and column. That one map is
what lets a diagnostic about the fifth word of a joined, de-escaped,
prompt-stripped command point at the right line and column of the file, and
lets ``--fix`` replace exactly the bytes of a command and nothing else.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from ..diagnostics import Span


@dataclass(frozen=True, slots=True)
class Line:
    """Text plus the document byte offset of each character.

    ``origins`` has one entry more than ``text``: where the text ends, so an
    empty slice at the end of a line still has a position. For text taken as
    it is from ASCII it is a ``range`` (a few bytes, not one int per character).
    """

    text: str
    origins: tuple[int, ...] | range

    @classmethod
    def verbatim(cls, text: str, start: int) -> Line:
        """A slice of the document taken as it is, its first character at byte ``start``."""
        if text.isascii():
            return cls(text, range(start, start + len(text) + 1))
        origins, at = [], start
        for ch in text:
            origins.append(at)
            at += len(ch.encode("utf-8"))
        origins.append(at)
        return cls(text, tuple(origins))

    def __getitem__(self, index: slice) -> Line:
        start, stop, _ = index.indices(len(self.text))
        return Line(self.text[start:stop], self.origins[start : stop + 1])

    def __len__(self) -> int:
        return len(self.text)

    def __add__(self, other: Line) -> Line:
        return Line(self.text + other.text, (*self.origins[:-1], *other.origins))

    @classmethod
    def joined(cls, pieces: list[Line]) -> Line:
        """The pieces one after another (as ``a + b + ...``, in one step rather than one per piece)."""
        if len(pieces) == 1:
            return pieces[0]
        origins = [o for p in pieces for o in p.origins[:-1]]
        origins.append(pieces[-1].origins[-1])
        return cls("".join(p.text for p in pieces), tuple(origins))

    def origin(self, index: int) -> int:
        return self.origins[min(max(index, 0), len(self.origins) - 1)]

    def strip_end(self) -> Line:
        return self[: len(self.text.rstrip())]



@dataclass(frozen=True, slots=True)
class Block:
    """A piece of a document that may hold commands.

    kind:     "code" for a code block (fenced, literal, .nf/.EX), "text" for a
              run of command-looking lines in running text
    language: the block's tag (``bash``, ``console``, ``netscript``...), or ""
    fixable:  ``--fix`` may rewrite commands in it
    filled:   a man page's filled paragraph: lines join unless broken by ``.br``
    """

    lines: tuple[Line, ...]
    kind: str = "code"
    language: str = ""
    fixable: bool = True
    filled: bool = False


@dataclass
class Document:
    """The text of one input file and the format it was read as."""

    path: str
    text: str
    format: str  # markdown, rst, man, text, shell
    data: bytes = field(default=b"", repr=False)  # the text as UTF-8
    _line_starts: list[int] = field(default_factory=list, repr=False)  # byte offsets

    def __post_init__(self):
        self.data = self.text.encode("utf-8")
        starts = [0]
        at = self.data.find(b"\n")
        while at >= 0:
            starts.append(at + 1)
            at = self.data.find(b"\n", at + 1)
        self._line_starts = starts

    def lines(self) -> list[Line]:
        """Every line of the document, without its line end."""
        out = []
        for n, start in enumerate(self._line_starts):
            end = self._line_starts[n + 1] - 1 if n + 1 < len(self._line_starts) else len(self.data)
            raw = self.data[start:end]
            if raw.endswith(b"\r"):
                raw = raw[:-1]
            out.append(Line.verbatim(raw.decode("utf-8"), start))
        if out and out[-1].text == "" and self.data.endswith(b"\n"):
            out.pop()
        return out

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in characters) of a byte offset."""
        n = bisect.bisect_right(self._line_starts, offset) - 1
        start = self._line_starts[n]
        return n + 1, len(self.data[start:offset].decode("utf-8", "replace")) + 1

    def span(self, start: int, end: int | None = None) -> Span:
        line, col = self.position(start)
        if end is None:
            return Span(path=self.path, line=line, col=col)
        end_line, end_col = self.position(end)
        return Span(path=self.path, line=line, col=col, end_line=end_line, end_col=end_col)

    def slice(self, start: int, end: int) -> str:
        return self.data[start:end].decode("utf-8", "replace")
