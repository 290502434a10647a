"""One diagnostic record for every stage, rendered for people or machines.

Every frontend, the validator, the planner and the backends report problems as
:class:`Diagnostic` values with a stable code from :mod:`netscript.codes`, so a
finding looks the same whether it came from the DSL, a legacy shell script or a
Markdown snippet:

    path:line:col: severity: message [CODE]
"""

from __future__ import annotations

import enum
import io
import json
from dataclasses import dataclass, field


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True, kw_only=True)
class Span:
    """Where something came from: 1-based line and column, end exclusive."""

    path: str
    line: int
    col: int
    end_line: int | None = None
    end_col: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Edit:
    """Replace the text between two byte offsets of the file."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Fix:
    """A suggested change: a human description plus the edits that make it."""

    description: str
    edits: tuple[Edit, ...] = ()
    safe: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class Diagnostic:
    code: str
    severity: Severity
    message: str
    span: Span | None = None
    hint: str | None = None
    fix: Fix | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def as_dict(self) -> dict:
        span = self.span
        out = {
            "path": span.path if span else None,
            "line": span.line if span else None,
            "column": span.col if span else None,
            "end_line": span.end_line if span else None,
            "end_column": span.end_col if span else None,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
        }
        if self.hint:
            out["hint"] = self.hint
        if self.fix:
            out["fix"] = self.fix.description
        return out


def sort_key(d: Diagnostic) -> tuple:
    s = d.span
    return (s.path if s else "", s.line if s else 0, s.col if s else 0, d.code)


def has_errors(diagnostics) -> bool:
    return any(d.is_error for d in diagnostics)


@dataclass
class SourceCache:
    """Keeps the text of files so that text diagnostics can show a caret line.

    Lines are counted as every frontend counts them, at ``\\n`` only (a
    ``\\f``, ``\\v``, lone ``\\r`` or U+2028 is a character of its line),
    and each file is split once, however many diagnostics it has.
    """

    texts: dict[str, str] = field(default_factory=dict)
    _lines: dict[str, tuple[str, list[str]]] = field(default_factory=dict, repr=False)

    def line(self, path: str, line: int) -> str | None:
        text = self.texts.get(path)
        if text is None:
            return None
        cached = self._lines.get(path)
        if cached is None or cached[0] is not text:
            cached = (text, text.split("\n"))
            self._lines[path] = cached
        lines = cached[1]
        if 1 <= line <= len(lines):
            return lines[line - 1].removesuffix("\r")
        return None


# The echoed source line: at most this many columns, around the caret.
ECHO_WIDTH = 200
ECHO_BEFORE = 80  # columns kept left of the caret when the line is cut
# Text format: the same finding (path, code, message) shown this often, then counted.
REPEAT_LIMIT = 20

# Characters a terminal would act on rather than show: one column each, visible.
_SHOWN = dict.fromkeys((*range(0x09, 0x0E), 0x85, 0x2028, 0x2029), " ")
_SHOWN.update({c: "?" for c in (*range(0x20), *range(0x7F, 0xA0)) if c not in _SHOWN})
# In a message, hint or fix (which may quote the source), only a new line or a tab is kept.
_SHOWN_IN_TEXT = {c: r for c, r in _SHOWN.items() if c not in (0x09, 0x0A)}


def _shown(text: str) -> str:
    return text if text.isprintable() else text.translate(_SHOWN_IN_TEXT)


def _indented(text: str) -> str:
    """A hint or fix of several lines (a command replaced by several), its later lines indented
    under it, so that no line of a finding starts where a new finding would."""
    return text.replace("\n", "\n        ")


def echo_lines(src: str, col: int, width: int = 1) -> tuple[str, str]:
    """The source line as shown (cut to ECHO_WIDTH columns around ``col``) and its caret line."""
    start = 0
    if len(src) > ECHO_WIDTH:
        start = min(max(0, col - 1 - ECHO_BEFORE), len(src) - ECHO_WIDTH)
    shown = src[start : start + ECHO_WIDTH].translate(_SHOWN)
    lead = "..." if start > 0 else ""
    tail = "..." if start + ECHO_WIDTH < len(src) else ""
    at = max(0, col - 1 - start)
    carets = max(1, min(width, len(shown) - at))
    return lead + shown + tail, " " * (len(lead) + at) + "^" * carets


def render_text(diagnostics, sources: SourceCache | None = None) -> str:
    """Render for people: one line each, with the source line and a caret when known.

    A finding repeated more than REPEAT_LIMIT times in one file (same code
    and message) is shown that often, then counted in one line.
    """
    counts: dict[tuple, int] = {}
    for d in diagnostics:
        key = (d.span.path if d.span else None, d.code, d.message)
        counts[key] = counts.get(key, 0) + 1
    seen: dict[tuple, int] = {}
    out = []
    for d in diagnostics:
        key = (d.span.path if d.span else None, d.code, d.message)
        n = seen[key] = seen.get(key, 0) + 1
        if n > REPEAT_LIMIT:
            if n == REPEAT_LIMIT + 1:
                where = f"{d.span.path}: " if d.span else ""
                more = counts[key] - REPEAT_LIMIT
                out.append(_shown(f"{where}... {more} more like the above [{d.code}] (--format json lists every one)"))
            continue
        where = f"{d.span}: " if d.span else ""
        out.append(_shown(f"{where}{d.severity.value}: {d.message} [{d.code}]"))
        if d.span and sources is not None:
            src = sources.line(d.span.path, d.span.line)
            if src is not None:
                width = 1
                if d.span.end_line == d.span.line and d.span.end_col:
                    width = max(1, d.span.end_col - d.span.col)
                shown, caret = echo_lines(src, d.span.col, width)
                out.append(f"    {shown}")
                out.append(f"    {caret}")
        if d.hint:
            out.append(f"    hint: {_indented(_shown(d.hint))}")
        if d.fix:
            out.append(f"    fix: {_indented(_shown(d.fix.description))}")
    return "\n".join(out) + ("\n" if out else "")


def render_json(diagnostics, level: int = 0) -> str:
    """A JSON array of the diagnostics, as ``json.dumps(..., indent=2)`` lays it out.

    Encoded one diagnostic at a time: a few hundred thousand findings cost
    their text, not a dict and dozens of string pieces each held at once.
    ``level`` indents the array as a value nested that deep in a document.
    """
    out = io.StringIO()
    write_json(diagnostics, out, level)
    return out.getvalue()


def write_json(diagnostics, stream, level: int = 0) -> None:
    """:func:`render_json` written to ``stream`` as it is made: memory for one diagnostic at a time."""
    if not diagnostics:
        stream.write("[]\n")
        return
    pad = "  " * (level + 1)
    stream.write("[\n")
    for n, d in enumerate(diagnostics):
        stream.write((",\n" if n else "") + pad + json.dumps(d.as_dict(), indent=2).replace("\n", "\n" + pad))
    stream.write("\n" + "  " * level + "]\n")


def summary(diagnostics) -> str:
    counts = dict.fromkeys(Severity, 0)
    for d in diagnostics:
        counts[d.severity] += 1
    return ", ".join(f"{counts[s]} {s.value}{'' if counts[s] == 1 else 's'}" for s in Severity)
