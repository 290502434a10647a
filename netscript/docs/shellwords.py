"""Split one documented command line into shell commands and words.

Documentation is not always valid shell (``ip link set <dev> up`` is a
redirection to bash), so this is a small lexer of its own rather than a shell
parser: it knows quotes, escapes, ``$NAME``/``${NAME}``/``$(...)``, the list
and pipe operators, redirections and comments, and reads ``<dev>`` as a
placeholder. Every word keeps the document offsets of its first and last
character (through :class:`~netscript.docs.document.Line` origins), so the
legacy parsers' findings land on the right column of the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..frontends.legacy.shell import Redirect
from ..frontends.legacy.words import Dynamic, Lit, Part, Var, Word
from . import placeholders
from .document import Line

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ANGLE_WORD = re.compile(r"<[A-Za-z][A-Za-z0-9 _./|:-]{0,40}>")
_OPERATORS = ("&&", "||", ";;", ";", "|&", "|", "&")
_REDIRECT = re.compile(r"(?:[0-9]?>>|[0-9]?>&[0-9-]?|&>>?|[0-9]?>\|?|[0-9]?<(?!<)|<<<)")


@dataclass
class RawCommand:
    """One simple command of a line: its words, redirections and how it is joined to others."""

    words: list[Word] = field(default_factory=list)
    redirects: list[Redirect] = field(default_factory=list)
    before: str = ""  # the operator joining it to the previous command ("" at the start)
    after: str = ""  # the operator joining it to the next one ("" at the end)
    background: bool = False


@dataclass
class Lexed:
    commands: list[RawCommand]
    heredoc: str | None = None  # a here-document delimiter: the following lines are its body


class _Lexer:
    def __init__(self, line: Line):
        self.line = line
        self.text = line.text
        self.i = 0
        self.commands: list[RawCommand] = [RawCommand()]
        self.heredoc: str | None = None

    @property
    def current(self) -> RawCommand:
        return self.commands[-1]

    def run(self) -> Lexed:
        text = self.text
        pending: tuple[str, int | None, int] | None = None  # operator, fd, start
        while self.i < len(text):
            ch = text[self.i]
            if ch in " \t":
                self.i += 1
                continue
            if ch == "#":
                break  # a comment runs to the end of the line
            if text.startswith("&>", self.i):
                m = _REDIRECT.match(text, self.i)
                assert m is not None  # `&>` is one of the redirections
                pending = (m.group(0), None, self.line.origin(self.i))
                self.i = m.end()
                continue
            op = next((o for o in _OPERATORS if text.startswith(o, self.i)), None)
            if op:
                self.i += len(op)
                self.current.after = op
                self.commands.append(RawCommand(before=op))
                continue
            if text.startswith("<<", self.i) and not text.startswith("<<<", self.i):
                m = re.match(r"<<-?\s*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\1", text[self.i :])
                if m:
                    self.heredoc = m.group(2)
                    self.i += m.end()
                    continue
            if ch in "<>&0123456789" and not _ANGLE_WORD.match(text, self.i):
                m = _REDIRECT.match(text, self.i)
                if m and (ch not in "0123456789" or self._at_word_start()):
                    op = m.group(0)
                    fd = int(op[0]) if op[0].isdigit() else None
                    op = op[1:] if fd is not None else op
                    start = self.line.origin(self.i)
                    self.i = m.end()
                    if re.search(r">&[0-9-]?$", op):
                        self.current.redirects.append(Redirect(op, fd, None, start, self.line.origin(self.i)))
                    else:
                        pending = (op, fd, start)
                    continue
            if ch in "()":
                self.i += 1
                continue
            before = self.i
            word = self.word()
            if self.i == before:
                self.i += 1  # a stray `<` or `>` that is neither placeholder nor redirection
                continue
            if pending is not None:
                op, fd, start = pending
                self.current.redirects.append(Redirect(op, fd, word, start, word.end))
                pending = None
            else:
                self.current.words.append(word)
        commands = [c for c in self.commands if c.words or c.redirects]
        return Lexed(commands, self.heredoc)

    def _at_word_start(self) -> bool:
        return self.i == 0 or self.text[self.i - 1] in " \t;|&("

    # -- one word ----------------------------------------------------------

    def word(self) -> Word:
        text, start = self.text, self.i
        parts: list[Part] = []
        literal: list[str] = []
        splits = False

        def flush():
            if literal:
                parts.extend(placeholders.split_literal("".join(literal)))
                literal.clear()

        while self.i < len(text):
            ch = text[self.i]
            if ch in " \t;|&()>":
                break
            if ch == "<":
                m = _ANGLE_WORD.match(text, self.i)
                if not m:
                    break
                literal.append(m.group(0))
                self.i = m.end()
                continue
            if ch == "\\":
                if self.i + 1 < len(text):
                    literal.append(text[self.i + 1])
                self.i += 2
                continue
            if ch == "'":
                end = text.find("'", self.i + 1)
                end = len(text) if end < 0 else end
                flush()
                parts.append(Lit(text[self.i + 1 : end]))
                self.i = end + 1
                continue
            if ch == '"':
                flush()
                parts.extend(self.double_quoted())
                continue
            if ch == "$":
                flush()
                part = self.expansion()
                splits = True
                parts.append(part)
                continue
            if ch == "`":
                end = text.find("`", self.i + 1)
                end = len(text) if end < 0 else end
                flush()
                parts.append(Dynamic(text[self.i : end + 1]))
                self.i = end + 1
                splits = True
                continue
            if ch in "*?[":
                splits = True  # a glob: the shell may make it several words
            literal.append(ch)
            self.i += 1
        flush()
        self.i = min(self.i, len(text))  # a trailing backslash or an unclosed quote ends the line
        return Word(
            text=text[start : self.i],
            parts=tuple(_merge(parts)),
            start=self.line.origin(start),
            end=self.line.origin(self.i - 1) + len(text[self.i - 1].encode("utf-8")) if self.i > start else self.line.origin(start),
            splits=splits,
        )

    def double_quoted(self) -> list[Part]:
        text = self.text
        self.i += 1
        parts: list[Part] = []
        buf: list[str] = []
        while self.i < len(text) and text[self.i] != '"':
            ch = text[self.i]
            if ch == "\\" and self.i + 1 < len(text) and text[self.i + 1] in '"\\$`':
                buf.append(text[self.i + 1])
                self.i += 2
            elif ch == "$":
                if buf:
                    parts.extend(placeholders.split_literal("".join(buf)))
                    buf.clear()
                parts.append(self.expansion())
            elif ch == "`":
                end = text.find("`", self.i + 1)
                end = len(text) if end < 0 else end
                parts.append(Dynamic(text[self.i : end + 1]))
                self.i = end + 1
            else:
                buf.append(ch)
                self.i += 1
        if buf:
            parts.extend(placeholders.split_literal("".join(buf)))
        self.i += 1  # the closing quote
        return parts

    def expansion(self) -> Part:
        """``$NAME``, ``${NAME}`` (placeholders) or anything else after ``$`` (dynamic)."""
        text, start = self.text, self.i
        nxt = text[start + 1 : start + 2]
        if nxt == "{":
            end = text.find("}", start)
            end = len(text) - 1 if end < 0 else end
            self.i = end + 1
            inner = text[start + 2 : end]
            return Var(inner) if _NAME.fullmatch(inner) else Dynamic(text[start : end + 1])
        if nxt == "(":
            depth, j = 0, start + 1
            while j < len(text):
                if text[j] == "(":
                    depth += 1
                elif text[j] == ")":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            self.i = j + 1
            return Dynamic(text[start : self.i])
        m = _NAME.match(text, start + 1)
        if m:
            self.i = m.end()
            return Var(m.group(0))
        self.i = start + 2 if nxt else start + 1
        return Dynamic(text[start : self.i])


def _merge(parts: list[Part]) -> list[Part]:
    """Join neighbouring literal parts, so a word that is all literal has one value."""
    out: list[Part] = []
    for p in parts:
        if out and isinstance(p, Lit) and isinstance(out[-1], Lit):
            out[-1] = Lit(out[-1].value + p.value)
        else:
            out.append(p)
    return out


def lex(line: Line) -> Lexed:
    """The simple commands of one logical line (continuations already joined)."""
    return _Lexer(line).run()


def ends_with_continuation(text: str) -> bool:
    """True when a line ends with an unescaped backslash outside quotes."""
    stripped = text.rstrip(" \t")
    if not stripped.endswith("\\"):
        return False
    n = len(stripped) - len(stripped.rstrip("\\"))
    return n % 2 == 1
