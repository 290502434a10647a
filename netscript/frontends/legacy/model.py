"""What a per-tool parser takes and gives back.

The layer every consumer shares (script translation here, documentation
checking later)::

    CommandLine (tool + words with spans)
        -> tool.parse(line) -> Parsed (a LegacyCommand, or notes saying why not)
        -> command.modern(context) -> Rewrite (modern commands) | Keep (left, and why)
        -> command.effects(context) -> [Effect] (IR edits, see .effects)

A command that changes how later lines read (``vconfig set_name_type``)
records it in ``Context.state``; consumers pass one context through a
script in order.

Notes carry byte spans; :class:`Locator` turns them into diagnostics with
line and column once the caller knows the file.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field

from ...codes import diag
from ...diagnostics import Diagnostic, Fix, Severity, Span
from .shell import BlockId, Redirect, Usage
from .words import Word


@dataclass(frozen=True, slots=True)
class CommandLine:
    """One legacy command: the tool, its arguments, its redirections, where it is."""

    tool: str
    args: tuple[Word, ...]
    start: int = 0
    end: int = 0
    redirects: tuple[Redirect, ...] = ()
    name: Word | None = None  # the command word as written, when the caller has it


@dataclass(frozen=True, slots=True)
class Note:
    """A finding about a legacy command, located by byte offsets."""

    code: str
    message: str
    start: int
    end: int
    hint: str | None = None
    severity: Severity | None = None  # None: the code's registered severity


def note_at(word_or_line, code: str, message: str, hint: str | None = None, severity: Severity | None = None) -> Note:
    """A note spanning a word or a whole command line."""
    return Note(code, message, word_or_line.start, word_or_line.end, hint, severity)


@dataclass(frozen=True)
class Options:
    """How to translate (the CLI's flags)."""

    team_as_bond: bool = False
    idempotent: bool = False


@dataclass
class Context:
    """What a command's modern form depends on besides its own words."""

    usage: Usage = Usage.NONE
    options: Options = field(default_factory=Options)
    # State carried from earlier lines of the same script (vconfig's name type).
    state: dict = field(default_factory=dict)
    # Where the command sits: the statement lists around it (innermost first) and the
    # one it is an unconditional statement of (None: in a condition, list or pipeline).
    # The defaults describe one straight line of commands (a documentation snippet), list 0.
    blocks: tuple[BlockId | int, ...] = (0,)
    statement_of: BlockId | int | None = 0
    # The words before the command: `VAR=x` assignments and wrappers (`sudo -u bob`, `ip netns exec NS`).
    prefix: tuple = ()
    # A script runs the translation, so it may ask the kernel first where the old tool's result
    # depended on what is there (a port's master, a link's flags); a document shows the command
    # a reader types.
    in_script: bool = False

    def remember(self, key: str, value) -> None:
        """Record a setting later lines depend on, with where it holds."""
        self.state[key] = (value, self.statement_of)

    def recalled(self, key: str, default):
        """A recorded setting if it surely holds here; ``default`` if never set; None if unsure."""
        if key not in self.state:
            return default
        value, block = self.state[key]
        return value if block is not None and block in self.blocks else None


@dataclass(frozen=True)
class Rewrite:
    """The modern commands that do what the legacy one did."""

    steps: tuple  # of modern.Cmd / modern.Unless, run in order, stopping at the first failure; () drops the command
    summary: str  # what happened, for the report (`brctl addbr -> ip link add`)
    notes: tuple[Note, ...] = ()
    hint: str | None = None  # how the modern command still differs, if it does
    absorbs: int | None = None  # start of a redirection the rewrite takes over (`echo X > /sys/...`)
    helpers: tuple[str, ...] = ()  # shell functions the steps call, defined once in the script (.helpers)


@dataclass(frozen=True)
class Keep:
    """The legacy command stays as written."""

    reason: str
    suggestion: str | None = None  # the modern command to use by hand
    notes: tuple[Note, ...] = ()
    code: str = "NS402"


@dataclass
class Parsed:
    """A parser's result: the command when it makes sense, and what was wrong with it."""

    command: object | None  # a LegacyCommand: .tool, .line, .modern(ctx), .effects()
    notes: list[Note] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.command is not None


@dataclass(frozen=True)
class Locator:
    """Byte offsets of one file -> spans with 1-based line and column (in characters)."""

    path: str
    source: bytes

    def span(self, start: int, end: int) -> Span:
        """The span between two byte offsets."""
        line, col = self.position(start)
        end_line, end_col = self.position(end)
        return Span(path=self.path, line=line, col=col, end_line=end_line, end_col=end_col)

    @functools.cached_property
    def _line_starts(self) -> list[int]:
        return [0, *(m.end() for m in re.finditer(b"\n", self.source))]

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in characters) of a byte offset."""
        # the file's line starts once, searched per offset: counting from the top each
        # time made translating 100k lines take 121 s (16 s so)
        line = bisect.bisect_right(self._line_starts, offset)
        line_start = self._line_starts[line - 1]
        col = len(self.source[line_start:offset].decode("utf-8", "replace")) + 1
        return line, col

    def diagnostic(self, note: Note, fix: Fix | None = None) -> Diagnostic:
        """A note as a diagnostic of this file."""
        return diag(note.code, note.message, self.span(note.start, note.end), hint=note.hint, fix=fix, severity=note.severity)
