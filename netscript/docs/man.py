"""Man pages (roff source): example blocks and the EXAMPLES section.

What counts as an example:

- no-fill regions, ``.nf`` ... ``.fi`` and ``.EX`` ... ``.EE`` (a paragraph
  macro also ends one, as in groff's man macros): each output line is a line
  of a code block;
- in a section whose title contains EXAMPLE, each paragraph at the left
  margin: filled, so its text lines join into one command until a ``.br``
  (``ip link add name tun1 type ipip remote 192.168.1.1`` on one source line
  and ``local 192.168.1.2 ttl 225`` on the next are one command); paragraphs
  indented with ``.RS`` are the examples' descriptions and are not read;
- anywhere else in filled text, a line that starts with a prompt and a
  command (``$ ip link ...``, ``# brctl ...``; gcloud-style pages put their
  examples in ``.RS`` blocks so) and the lines after it up to the end of the
  paragraph or the ``.RE``: a session, read as a console block is (lines
  without a prompt are continuations or output). In an EXAMPLES paragraph a
  prompt starts a new command line.

Text is de-escaped (``\\-`` is ``-``, ``\\fB`` is dropped, ``\\(aq`` is ``'``)
with every character remembering its offset in the source, so diagnostics
point into the roff. ``--fix`` writes back with :func:`escape`.
"""

from __future__ import annotations

import re

from .document import Block, Document, Line
from .formats import is_skip_marker
from .snippet import looks_like_command, strip_prompt

PARAGRAPH = {"PP", "LP", "P", "SH", "SS", "TP", "IP", "HP", "TQ", "SY", "YS"}
FONT_JOINED = {"BI", "BR", "IB", "IR", "RB", "RI"}  # alternating fonts: arguments run together
FONT_SPACED = {"B", "I", "SM", "SB", "CW"}

_SPECIAL = {
    "aq": "'", "dq": '"', "cq": "'", "oq": "'", "lq": '"', "rq": '"', "em": "-", "en": "-",
    "hy": "-", "mi": "-", "ti": "~", "ha": "^", "at": "@", "sl": "/", "rs": "\\", "ba": "|",
    "lB": "[", "rB": "]", "lC": "{", "rC": "}", "la": "<", "ra": ">", "bu": "*", "pl": "+",
    "eq": "=", "sh": "#", "Do": "$", "dollar": "$",
}


def escape(text: str) -> str:
    """Text as roff source for a no-fill block: backslashes and hyphens escaped."""
    return text.replace("\\", "\\e").replace("-", "\\-")


def unescape(line: Line) -> Line:
    """Roff escapes resolved; each character keeps the offset of the escape it came from."""
    text, origins = line.text, line.origins
    out: list[str] = []
    where: list[int] = []
    i = 0

    def emit(s: str, at: int):
        for ch in s:
            out.append(ch)
            where.append(origins[at])

    while i < len(text):
        ch = text[i]
        if ch != "\\":
            emit(ch, i)
            i += 1
            continue
        nxt = text[i + 1 : i + 2]
        if nxt == "":
            i += 1  # an escaped newline: the line continues (handled by the caller)
            continue
        if nxt in "-e\\":
            emit("-" if nxt == "-" else "\\", i)
            i += 2
        elif nxt in "&|^%c)":
            i += 2  # zero-width
        elif nxt in " ~0":
            emit(" ", i)
            i += 2
        elif nxt == '"':
            break  # comment to the end of the line
        elif nxt in "fFsn*gkmV":
            j = i + 2
            if nxt == "s" and j < len(text) and text[j] in "+-":
                j += 1
            if j < len(text) and text[j] == "(":
                j += 3
            elif j < len(text) and text[j] == "[":
                close = text.find("]", j)
                j = len(text) if close < 0 else close + 1
            else:
                while nxt == "s" and j < len(text) and text[j].isdigit():
                    j += 1
                if nxt != "s":
                    j += 1
            i = j
        elif nxt == "(":
            emit(_SPECIAL.get(text[i + 2 : i + 4], ""), i)
            i += 4
        elif nxt == "[":
            close = text.find("]", i)
            close = len(text) if close < 0 else close
            emit(_SPECIAL.get(text[i + 2 : close], ""), i)
            i = close + 1
        elif nxt in "NwhvlLoDbxXuRZzAB":
            # escapes with a quoted argument: \N'65', \h'1m'; none prints command text
            if text[i + 2 : i + 3] in ("'", '"'):
                quote = text[i + 2]
                close = text.find(quote, i + 3)
                i = len(text) if close < 0 else close + 1
            else:
                i += 2
        else:
            emit(nxt, i + 1)
            i += 2
    where.append(origins[min(i, len(origins) - 1)])
    return Line("".join(out), tuple(where))


def _prompted(text: str) -> bool:
    """``$ ip link ...``: a prompt, then a command of a tool that is read."""
    cut, prompted = strip_prompt(text)
    return prompted and looks_like_command(text[cut:])


def _arguments(line: Line, start: int) -> list[Line]:
    """A request's arguments: space separated, double quotes group (``""`` is a quote)."""
    text = line.text
    args: list[Line] = []
    i = start
    while i < len(text):
        while i < len(text) and text[i] in " \t":
            i += 1
        if i >= len(text) or text.startswith('\\"', i):
            break
        if text[i] == '"':
            j = i + 1
            chars: list[int] = []
            while j < len(text):
                if text[j] == '"':
                    if text[j + 1 : j + 2] == '"':
                        chars.append(j)
                        j += 2
                        continue
                    break
                chars.append(j)
                j += 1
            args.append(Line("".join(text[k] for k in chars), tuple(line.origins[k] for k in chars) + (line.origin(j),)))
            i = j + 1
        else:
            j = i
            while j < len(text) and text[j] not in " \t":
                j += 1
            args.append(line[i:j])
            i = j
    return args


def _join(pieces: list[Line], spaced: bool) -> Line:
    if not pieces:
        return Line("", (0,))
    out = [pieces[0]]
    for p in pieces[1:]:
        if spaced:
            out.append(Line(" ", (p.origin(0), p.origin(0))))
        out.append(p)
    return Line.joined(out)


class _Reader:
    def __init__(self, doc: Document):
        self.doc = doc
        self.blocks: list[Block] = []
        self.section = ""
        self.nofill = False
        self.indent = 0  # .RS depth
        self.current: list[Line] = []  # no-fill lines, or finished filled lines
        self.filling: list[Line] = []  # text lines of the filled line being built
        self.skip_next = False
        self.skip_this = False
        self.tag_pending = False  # after .TP the next line is the tag; then comes the body
        self.in_body = False  # the indented body of .TP/.IP: a description, not read
        self.session = False  # inside filled text, after a `$ COMMAND` line: lines taken as they are

    @property
    def in_examples(self) -> bool:
        return "EXAMPLE" in self.section.upper()

    # -- building blocks ---------------------------------------------------

    def break_line(self):
        if self.filling:
            self.current.append(_join(self.filling, spaced=True))
            self.filling = []

    def end_block(self):
        self.break_line()
        lines = [line for line in self.current if line.text.strip()]
        if lines and not self.skip_this:
            self.blocks.append(Block(tuple(lines), kind="code", filled=not self.nofill))
        self.current = []
        self.skip_this = False
        self.session = False

    def start_block(self):
        self.skip_this, self.skip_next = self.skip_next, False

    # -- input -------------------------------------------------------------

    def text_line(self, line: Line):
        line = unescape(line)
        if self.nofill:
            self.current.append(line)
        elif self.tag_pending:
            self.tag_pending = False
            self.in_body = True
            if self.in_examples and self.indent == 0:
                self.current.append(line)
                self.end_block()
                self.start_block()
        elif self.in_examples and self.indent == 0 and not self.in_body:
            if not line.text.strip():
                self.end_block()
                self.start_block()
            elif line.text[:1] in " \t" or _prompted(line.text):
                self.break_line()
                self.filling.append(line)
            else:
                self.filling.append(line)
        elif self.session or _prompted(line.text):
            self.break_line()
            self.session = True
            self.current.append(line)

    def request(self, line: Line):
        text = line.text
        m = re.match(r"[.'][ \t]*([A-Za-z]{1,3}|\\\")", text)
        if not m:
            return
        name = m.group(1)
        if name == '\\"':
            if is_skip_marker(text):
                self.skip_next = True
            return
        if name in ("nf", "EX"):
            self.end_block()
            self.nofill = True
            self.start_block()
        elif name in ("fi", "EE"):
            self.end_block()
            self.nofill = False
        elif name in PARAGRAPH:
            self.end_block()
            self.nofill = False
            self.tag_pending = name in ("TP", "TQ")
            self.in_body = name == "IP"
            self.indent = 0 if name in ("SH", "SS") else self.indent
            if name == "SH":
                self.section = " ".join(a.text for a in _arguments(unescape(line), m.end()))
            self.start_block()
        elif name == "RS":
            if not self.nofill:
                self.end_block()
            self.indent += 1
            self.start_block()
        elif name == "RE":
            if not self.nofill:
                self.end_block()
            self.indent = max(0, self.indent - 1)
            self.start_block()
        elif name == "br":
            self.break_line()
        elif name == "sp":
            if self.nofill:
                self.current.append(Line("", (line.origin(0),)))
            else:
                self.end_block()
                self.start_block()
        elif name in FONT_JOINED or name in FONT_SPACED:
            args = _arguments(line, m.end())
            joined = _join(args, spaced=name in FONT_SPACED)
            self.text_line(joined)

    def read(self) -> list[Block]:
        for line in self.doc.lines():
            if line.text[:1] in (".", "'"):
                self.request(line)
            else:
                self.text_line(line)
        self.end_block()
        return self.blocks


def blocks(doc: Document) -> list[Block]:
    return _Reader(doc).read()
