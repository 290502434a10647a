"""Shell words as a legacy command line has them: text as written, value when known.

A :class:`Word` is what every per-tool parser takes. It remembers the exact
text (quotes, ``$VAR``, escapes), so a translation can carry an argument over
as written, and its literal value when the shell would not expand anything,
so a parser can check ranges and compute units. The span is a pair of byte
offsets into the source; the caller turns them into line and column.

Words come from :mod:`.shell_words` (mvdan/sh's syntax tree, for scripts) or from
:func:`words_from_values` (already split text, e.g. a documentation snippet).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Lit:
    """Text the shell passes through unchanged."""

    value: str


@dataclass(frozen=True, slots=True)
class Var:
    """A plain parameter expansion, ``$NAME`` or ``${NAME}``: a placeholder with a name."""

    name: str


@dataclass(frozen=True, slots=True)
class Dynamic:
    """Anything else computed at run time: ``$(...)``, ``${X:-y}``, ``$1``, globs."""

    text: str


Part = Lit | Var | Dynamic


@dataclass(frozen=True, slots=True)
class Word:
    """One shell word of a command line.

    text:   exactly as written in the source
    parts:  what it is made of, in order
    start:  byte offset of its first byte in the source
    end:    byte offset just after it
    splits: an unquoted expansion or glob, which may become zero or several words
    """

    text: str
    parts: tuple[Part, ...]
    start: int = 0
    end: int = 0
    splits: bool = False

    @property
    def value(self) -> str | None:
        """The literal value, or None when the word expands at run time."""
        out = []
        for p in self.parts:
            if not isinstance(p, Lit):
                return None
            out.append(p.value)
        return "".join(out)

    @property
    def is_literal(self) -> bool:
        return self.value is not None

    def resolve(self, env: dict[str, str]) -> str | None:
        """The value with plain ``$NAME`` parts looked up in ``env``; None if anything is unknown."""
        out = []
        for p in self.parts:
            if isinstance(p, Lit):
                out.append(p.value)
            elif isinstance(p, Var) and p.name in env:
                out.append(env[p.name])
            else:
                return None
        return "".join(out)

    def shown(self) -> str:
        """How to show the word in a message: its value when literal, else as written."""
        value = self.value
        return value if value is not None else self.text


def literal_word(value: str, start: int = 0, end: int | None = None) -> Word:
    """A word whose text is its value (no quoting needed, or the caller does not care)."""
    return Word(text=value, parts=(Lit(value),), start=start, end=start + len(value.encode()) if end is None else end)


def words_from_values(values, start: int = 0) -> list[Word]:
    """Words from already split literal values, laid out one space apart from ``start``.

    For callers that have no shell source (tests, documentation snippets split
    elsewhere): the spans are consistent but point into an imagined line.
    """
    out, offset = [], start
    for v in values:
        w = literal_word(v, offset)
        out.append(w)
        offset = w.end + 1
    return out
