"""DSL text -> statements of words, with exact positions and comments kept.

The lark grammar (``grammars/netscript.lark``) only gives the text its shape.
This module turns lark's tree into plain :class:`Statement` values and lark's
exceptions into diagnostics with a caret-friendly span, so nothing above it
ever sees lark.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from ..codes import diag
from ..diagnostics import Diagnostic, Span
from ..resources import resource_dir


@dataclass(frozen=True, slots=True)
class Word:
    text: str  # the value, with quotes removed and escapes resolved
    raw: str  # as written
    span: Span
    quoted: bool = False


@dataclass(slots=True)
class Statement:
    words: list[Word]
    block: list["Statement"] | None
    span: Span
    block_span: Span | None = None


@dataclass(slots=True)
class Comment:
    text: str
    line: int
    col: int


@dataclass(slots=True)
class SyntaxTree:
    statements: list[Statement]
    comments: list[Comment] = field(default_factory=list)


class DSLSyntaxError(Exception):
    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


# lark calls lexer callbacks on a parser built once; parse() swaps this list.
_comment_sink: list = []


def _collect_comment(token):
    _comment_sink.append(Comment(str(token), token.line, token.column))
    return token


@functools.lru_cache(maxsize=1)
def _parser():
    import lark

    grammar = (resource_dir("grammars") / "netscript.lark").read_text(encoding="utf-8")
    return lark.Lark(
        grammar,
        parser="lalr",
        strict=True,
        propagate_positions=True,
        maybe_placeholders=False,
        lexer_callbacks={"COMMENT": _collect_comment},
    )


def unquote(raw: str) -> str:
    body = raw[1:-1]
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            out.append({"n": "\n", "t": "\t"}.get(nxt, nxt))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _word(token, path: str) -> Word:
    raw = str(token)
    span = Span(path=path, line=token.line, col=token.column, end_line=token.end_line, end_col=token.end_column)
    if token.type == "STRING":
        return Word(unquote(raw), raw, span, quoted=True)
    return Word(raw, raw, span)


def _statements(children, path: str) -> list[Statement]:
    out = []
    for node in children:
        if getattr(node, "data", None) != "statement":
            continue
        words, block, block_span = [], None, None
        for child in node.children:
            if getattr(child, "data", None) == "block":
                block = _statements(child.children, path)
                m = child.meta
                block_span = Span(path=path, line=m.line, col=m.column, end_line=m.end_line, end_col=m.end_column)
            else:
                words.append(_word(child, path))
        m = node.meta
        span = Span(path=path, line=m.line, col=m.column, end_line=m.end_line, end_col=m.end_column)
        out.append(Statement(words, block, span, block_span))
    return out


def parse(text: str, path: str) -> SyntaxTree:
    """Parse DSL text; raises :class:`DSLSyntaxError` with a located diagnostic."""
    import lark

    global _comment_sink
    comments: list[Comment] = []
    _comment_sink = comments
    try:
        tree = _parser().parse(text)
    except lark.exceptions.UnexpectedInput as e:
        raise DSLSyntaxError(_syntax_diagnostic(e, text, path)) from None
    finally:
        _comment_sink = []
    return SyntaxTree(_statements(tree.children, path), comments)


def _unclosed_brace(text: str) -> tuple[int, int] | None:
    """(line, col) of the innermost '{' left open, skipping strings and comments."""
    stack, line, col, i = [], 1, 1, 0
    in_string = in_comment = False
    while i < len(text):
        c = text[i]
        if c == "\n":
            line, col, in_comment, in_string = line + 1, 1, False, False
            i += 1
            continue
        if in_comment:
            pass
        elif in_string:
            if c == "\\":
                i, col = i + 1, col + 1
            elif c == '"':
                in_string = False
        elif c == "#":
            in_comment = True
        elif c == '"':
            in_string = True
        elif c == "{":
            stack.append((line, col))
        elif c == "}" and stack:
            stack.pop()
        i, col = i + 1, col + 1
    return stack[-1] if stack else None


def _syntax_diagnostic(e, text: str, path: str) -> Diagnostic:
    import lark

    line, col = getattr(e, "line", 1), getattr(e, "column", 1)
    if line is None or line < 1:  # end of input
        line = text.count("\n") + 1
        col = len(text) - (text.rfind("\n") + 1) + 1
    span = Span(path=path, line=line, col=col, end_line=line, end_col=col + 1)
    hint = None
    if isinstance(e, lark.exceptions.UnexpectedCharacters):
        char = text[e.pos_in_stream] if e.pos_in_stream < len(text) else ""
        if char == '"':
            message = "unterminated string: a quoted word must end on the same line"
            hint = 'close it with " (write \\" for a quote inside)'
        elif char == "'":
            message = "single quotes are not part of the language"
            hint = 'quote with double quotes: "name"'
        elif char == "\\":
            message = "a backslash outside quotes must end the line (line continuation)"
        else:
            message = f"unexpected character {char!r}"
    elif isinstance(e, lark.exceptions.UnexpectedToken):
        tok = e.token
        if tok.type == "$END":
            opened = _unclosed_brace(text)
            message = "unexpected end of file: this '{' is never closed"
            hint = "add the missing '}'"
            if opened:
                span = Span(path=path, line=opened[0], col=opened[1], end_line=opened[0], end_col=opened[1] + 1)
        elif tok.type == "RBRACE":
            message = "'}' without a matching '{'"
        elif tok.type == "LBRACE":
            message = "'{' must follow the words of a statement on the same line"
            hint = "write `bridge br0 {` rather than a '{' on a line of its own or after another block"
        else:
            message = f"unexpected {str(tok)!r}"
            if "_NL" in e.expected or "SEMICOLON" in e.expected:
                hint = "a block must be followed by the end of the line or ';'"
    else:
        message = "unexpected end of file"
    return diag("NS103", message, span, hint=hint)
