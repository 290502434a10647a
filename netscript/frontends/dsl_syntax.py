"""DSL text -> statements of words, with exact positions and comments kept.

The language is defined by its lark grammar, ``grammars/netscript.lark``.
:func:`parse` reads it with a scanner of its own: one regular expression and
one pass, without importing lark, because building the grammar's parser
costs a process 0.3 s and importing lark alone more than `netscript check`
of a small spec may take in all (a cached or standalone lark parser still
pays the import). :func:`parse_with_grammar` reads the same text through
the grammar itself; tests/test_dsl_syntax.py holds the two to the same
statements, positions, comments and diagnostics, so the scanner cannot
drift from the grammar. Either way, nothing above this module sees lark.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..codes import diag
from ..diagnostics import Diagnostic, Span
from ..ir.make import positional

if TYPE_CHECKING:
    import lark


@dataclass(frozen=True, slots=True)
class Word:
    text: str  # the value, with quotes removed and escapes resolved
    raw: str  # as written
    span: Span
    quoted: bool = False


@dataclass(slots=True)
class Statement:
    words: list[Word]
    block: list[Statement] | None
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


# the scanner makes a Span and a Word for every word of the text, and a Span for every
# statement and block: the cheaper constructors
_span = positional(Span)
_word = positional(Word)


class DSLSyntaxError(Exception):
    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def string_netns(raw: str) -> str | None:
    """The namespace of a quoted word written ``"name"@ns`` (None without one)."""
    close = raw.rindex('"')
    return raw[close + 2 :] if close + 1 < len(raw) else None


def unquote(raw: str) -> str:
    body = raw[1 : raw.rindex('"')]  # "name"@ns: the namespace is string_netns()'s
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


# -- the scanner --------------------------------------------------------------

# The grammar's terminals, each as the grammar spells it, after the blanks it
# ignores. Every terminal starts with characters no other one starts with, so
# which one matches never depends on the parser's state (lark's contextual
# lexer finds the same tokens). Whatever none of them matches is `bad`.
# `words` is a run of such tokens, read in one step: plain words one space
# apart, then perhaps a '{', then perhaps the end of the line (the usual line:
# `veth v0 {`, `up`, `ports a b c`). A scan costs by the token: 6,800 lines
# of bench/topology.py 100 900 were 16,300 tokens, and are 7,700 (16.3 -> 14.9 ms).
_TOKEN = re.compile(
    "[ \t\f]*(?:"
    r"""(?P<words>[^\s"'{};#\\]+(?: [^\s"'{};#\\]+)*)(?:[ \t\f]*(?P<open>\{))?(?P<eol>[ \t\f]*\r?\n)?"""
    r"|(?P<nl>(?:\r?\n)+)"
    r"""|(?P<string>"(?:[^"\\\n]|\\[^\n])*"(?:@[^\s"'{};#\\]+)?)"""
    r"|(?P<lbrace>\{)"
    r"|(?P<rbrace>\})"
    r"|(?P<semicolon>;)"
    r"|(?P<comment>#[^\n]*)"
    r"|(?P<continuation>\\\r?\n)"
    "|(?P<bad>[^ \t\f]))"
)


def parse(text: str, path: str) -> SyntaxTree:
    """Parse DSL text; raises :class:`DSLSyntaxError` with a located diagnostic.

    A statement is words, then optionally a block of statements in braces;
    statements are separated by new lines or ';' (grammars/netscript.lark).
    """
    comments: list[Comment] = []
    return SyntaxTree(list(statements(text, path, comments)), comments)


def statements(
    text: str, path: str, comments: list[Comment] | None = None, max_depth: int | None = None
) -> Iterator[Statement]:
    """:func:`parse`'s statements, each given as soon as it ends, with its block.

    A reader that takes them one at a time holds one statement's words at a
    time, not the whole file's (a spec of 100,000 links: some 100 MB less).
    The comments met go to ``comments``. A syntax error is raised when the
    scan reaches it, after the statements before it; with ``max_depth``, a
    '{' that opens a block nested deeper is one (:func:`too_deep`), so no
    statement given holds one.
    """
    depth_limit = max_depth if max_depth is not None else len(text)  # (more than there can be)
    block: list[Statement] = []  # statements of the block being read (at the top, none are kept)
    open_blocks: list[tuple[list[Statement], list[Word], int, int]] = []  # (outer, words, '{' line, col)
    words: list[Word] | None = None  # of the statement being read
    after_block = False  # a block just closed: only a separator, '}' or the end may follow
    line, line_start = 1, 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "words" or kind == "open" or kind == "eol":  # (lastgroup names the last of them that matched)
            # its words, '{' and new line, read as the string, lbrace and nl branches read theirs;
            # after_block is False here, or its first word is the error
            col = m.start("words") - line_start + 1
            if words is None:
                words = []
            for raw in m["words"].split(" "):
                if after_block:
                    raise DSLSyntaxError(_unexpected("token", raw, Span(path=path, line=line, col=col), separator=True))
                end = col + len(raw)
                words.append(_word(raw, raw, _span(path, line, col, line, end), False))
                col = end + 1
            if m.start("open") >= 0:
                col = m.end("open") - line_start
                if len(open_blocks) == depth_limit:
                    raise DSLSyntaxError(too_deep(_span(path, line, col, line, col + 1), depth_limit))
                open_blocks.append((block, words, line, col))
                block, words = [], None
            if kind == "eol":
                if words is not None:
                    if open_blocks:
                        block.append(_statement(words, None, None, path))
                    else:
                        yield _statement(words, None, None, path)
                    words = None
                line += 1
                line_start = m.end()
        elif kind == "string":
            raw = m.group(kind)
            end = m.end()
            col = end - len(raw) - line_start + 1
            if after_block:
                raise DSLSyntaxError(_unexpected("token", raw, Span(path=path, line=line, col=col), separator=True))
            word = _word(unquote(raw), raw, _span(path, line, col, line, end - line_start + 1), True)
            if words is None:
                words = [word]
            else:
                words.append(word)
        elif kind == "nl" or kind == "continuation":
            if kind == "nl":
                if words is not None:
                    if open_blocks:
                        block.append(_statement(words, None, None, path))
                    else:
                        yield _statement(words, None, None, path)
                    words = None
                after_block = False
                line += m.group(kind).count("\n")
            else:
                line += 1
            line_start = m.end()
        elif kind == "semicolon":
            if words is not None:
                if open_blocks:
                    block.append(_statement(words, None, None, path))
                else:
                    yield _statement(words, None, None, path)
                words = None
            after_block = False
        elif kind == "lbrace":
            col = m.end() - line_start
            if words is None:
                raise DSLSyntaxError(_unexpected("{", "{", Span(path=path, line=line, col=col)))
            if len(open_blocks) == depth_limit:
                raise DSLSyntaxError(too_deep(_span(path, line, col, line, col + 1), depth_limit))
            open_blocks.append((block, words, line, col))
            block, words = [], None
        elif kind == "rbrace":
            col = m.end() - line_start
            if not open_blocks:
                raise DSLSyntaxError(_unexpected("}", "}", Span(path=path, line=line, col=col)))
            if words is not None:
                block.append(_statement(words, None, None, path))
            inner = block
            block, words, open_line, open_col = open_blocks.pop()
            block_span = _span(path, open_line, open_col, line, col + 1)
            if open_blocks:
                block.append(_statement(words, inner, block_span, path))
            else:
                yield _statement(words, inner, block_span, path)
            words, after_block = None, True
        elif kind == "comment":
            raw = m.group(kind)
            if comments is not None:
                comments.append(Comment(raw, line, m.end() - len(raw) - line_start + 1))
        else:
            at = m.end() - 1
            raise DSLSyntaxError(_bad_character(text[at], Span(path=path, line=line, col=at - line_start + 1)))
    if open_blocks:
        _, _, open_line, open_col = open_blocks[-1]
        raise DSLSyntaxError(_unexpected("end", "", Span(path=path, line=open_line, col=open_col)))
    if words is not None:
        yield _statement(words, None, None, path)


def _statement(words: list[Word], block, block_span: Span | None, path: str) -> Statement:
    first, last = words[0].span, block_span or words[-1].span
    span = _span(path, first.line, first.col, last.end_line, last.end_col)
    return Statement(words, block, span, block_span)


# -- what a syntax error says (both readers) ------------------------------------


def _bad_character(char: str, at: Span) -> Diagnostic:
    """A character no token of the language starts with."""
    hint = None
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
    return diag("NS103", message, _one_column(at), hint=hint)


def _unexpected(token: str, raw: str, at: Span, separator: bool = False) -> Diagnostic:
    """A token where the grammar has no place for it: "end" (of the file), "{", "}" or another "token".

    The end of the file is unexpected inside a block, and ``at`` is then the
    '{' left open; ``separator``: a new line or ';' would have been accepted
    there (as after a block).
    """
    hint = None
    if token == "end":
        message = "unexpected end of file: this '{' is never closed"
        hint = "add the missing '}'"
    elif token == "}":
        message = "'}' without a matching '{'"
    elif token == "{":
        message = "'{' must follow the words of a statement on the same line"
        hint = "write `bridge br0 {` rather than a '{' on a line of its own or after another block"
    else:
        message = f"unexpected {raw!r}"
        if separator:
            hint = "a block must be followed by the end of the line or ';'"
    return diag("NS103", message, _one_column(at), hint=hint)


def too_deep(at: Span, max_depth: int) -> Diagnostic:
    """The '{' at ``at`` opens a block deeper than ``max_depth`` (the DSL's reader takes 2)."""
    return diag(
        "NS103",
        f"blocks nest at most {max_depth} deep (a link's block, a veth peer's block inside it)",
        at,
        hint="close the block above with '}' before opening this one",
    )


def _one_column(at: Span) -> Span:
    return Span(path=at.path, line=at.line, col=at.col, end_line=at.line, end_col=at.col + 1)


# -- the grammar itself ---------------------------------------------------------------


# lark calls lexer callbacks on a parser built once; parse_with_grammar() swaps this list.
_comment_sink: list = []


def _collect_comment(token):
    _comment_sink.append(Comment(str(token), token.line, token.column))
    return token


@functools.lru_cache(maxsize=1)
def _grammar_parser():
    import lark

    from ..resources import resource_dir

    grammar = (resource_dir("grammars") / "netscript.lark").read_text(encoding="utf-8")
    return lark.Lark(
        grammar,
        parser="lalr",
        strict=True,
        propagate_positions=True,
        maybe_placeholders=False,
        lexer_callbacks={"COMMENT": _collect_comment},
    )


def parse_with_grammar(text: str, path: str) -> SyntaxTree:
    """:func:`parse` by lark from grammars/netscript.lark: the definition :func:`parse` is held to.

    Slow (lark builds the parser on first use, 0.3 s); for tests, and for
    trying a change to the grammar.
    """
    import lark

    global _comment_sink
    comments: list[Comment] = []
    _comment_sink = comments
    try:
        tree = _grammar_parser().parse(text)
    except lark.exceptions.UnexpectedInput as e:
        raise DSLSyntaxError(_grammar_error(e, text, path)) from None
    finally:
        _comment_sink = []
    return SyntaxTree(_grammar_statements(tree.children, path), comments)


def _grammar_statements(children, path: str) -> list[Statement]:
    out = []
    for node in children:
        if getattr(node, "data", None) != "statement":
            continue
        words, block, block_span = [], None, None
        for child in node.children:
            if getattr(child, "data", None) == "block":
                block = _grammar_statements(child.children, path)
                m = child.meta
                block_span = Span(path=path, line=m.line, col=m.column, end_line=m.end_line, end_col=m.end_column)
            else:
                raw = str(child)
                span = Span(path=path, line=child.line, col=child.column, end_line=child.end_line,
                            end_col=child.end_column)
                quoted = child.type == "STRING"
                words.append(Word(unquote(raw) if quoted else raw, raw, span, quoted))
        m = node.meta
        span = Span(path=path, line=m.line, col=m.column, end_line=m.end_line, end_col=m.end_column)
        out.append(Statement(words, block, span, block_span))
    return out


def _grammar_error(e: lark.exceptions.UnexpectedInput, text: str, path: str) -> Diagnostic:
    import lark

    at = Span(path=path, line=e.line, col=e.column)
    if isinstance(e, lark.exceptions.UnexpectedCharacters):
        return _bad_character(e.char, at)
    if not isinstance(e, lark.exceptions.UnexpectedToken):
        raise e  # lark's LALR parser raises nothing else
    kind = {"$END": "end", "LBRACE": "{", "RBRACE": "}"}.get(e.token.type, "token")
    if kind == "end":
        at = _unclosed_brace(text, path)
    return _unexpected(kind, str(e.token), at, separator="_NL" in e.expected or "SEMICOLON" in e.expected)


def _unclosed_brace(text: str, path: str) -> Span:
    """The innermost '{' left open, skipping strings and comments (the way the lexer reads them)."""
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
    if not stack:  # not from this grammar: point at the end
        line, col = text.count("\n") + 1, len(text) - (text.rfind("\n") + 1) + 1
    else:
        line, col = stack[-1]
    return Span(path=path, line=line, col=col)
