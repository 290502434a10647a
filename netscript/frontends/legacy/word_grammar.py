"""A tool's command syntax, read from its lark grammar over shell words.

Each legacy tool's syntax is written once, in ``grammars/<tool>.lark``: a
LALR grammar whose terminals are whole words. Keywords are the grammar's
string literals (``"addbr"``); every value (a name, a number, an address) is
the one declared terminal ``WORD``, checked afterwards by the tool's module,
so ranges and choices stay where the kinds keep them.

Lark builds the parse table; this module runs it. Importing lark and building
a table costs a process more than translating a small script may take in all
(see bench/latency.py), so the table is built once per grammar text and kept
as JSON in the user's cache directory; a later process loads it without
importing lark. The driver is the textbook LALR loop, with one twist: the
words are turned into terminals by looking at what the parser accepts at that
point. A word is the keyword it spells when that keyword is accepted there,
else a ``WORD`` when a value is; a word that is neither is a :class:`Mismatch`
whose ``expected`` keywords give the did-you-mean. So ``brctl addif br0 show``
enslaves a device named ``show``, while ``brctl show`` is the subcommand.
"""

from __future__ import annotations

import functools
import json
import os
import re
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from ...resources import resource_dir
from .words import Word

# Token, Node and Mismatch are plain slotted classes: a dataclass or a typed NamedTuple costs
# a process 1 ms each to define (code generated, annotations compiled), and this module is
# loaded by every script with a legacy command (bench/latency.py).
VALUE = "WORD"  # the grammar's one terminal that is not a keyword
END = "$END"  # lark's name for the end of the words
_SHIFT, _REDUCE = 0, 1
# Bumped when the cached table's layout changes, so an old cache is not read.
_FORMAT = "5"


class Token:
    """A word as the grammar took it: a keyword's terminal name, or ``WORD``.

    keyword: the keyword as the grammar spells it (``link`` for ``l``); None for a value
    """

    __slots__ = ("keyword", "terminal", "word")

    def __init__(self, terminal: str, word: Word, keyword: str | None = None):
        self.terminal, self.word, self.keyword = terminal, word, keyword

    def __repr__(self) -> str:
        return f"Token({self.terminal!r}, {self.word.text!r})"


class Node:
    """A rule the words matched: its alias (``-> addif``) or its name, and what it is made of.

    Rules whose names start with ``_`` (and lark's own helpers for ``+``, ``*``
    and ``[...]``) are spliced into their parent, as lark's trees do.
    """

    __slots__ = ("children", "name")

    def __init__(self, name: str, children: tuple[Node | Token, ...]):
        self.name, self.children = name, children

    def __repr__(self) -> str:
        return f"Node({self.name!r}, {list(self.children)!r})"

    def values(self) -> list[Word]:
        """Every value word in it, in order."""
        return [t.word for t in self.tokens() if t.terminal == VALUE]

    def parts(self) -> list[Node]:
        """The rules it is made of (``option`` nodes of ``start: option*``), in order."""
        return [c for c in self.children if isinstance(c, Node)]

    def words(self, role: str) -> list[Word]:
        """The value words under every rule named ``role``, in order."""
        return [t.word for t in self._tokens_under(role) if t.terminal == VALUE]

    def word(self, role: str) -> Word | None:
        """The first value word named ``role``, or None when the command has none."""
        found = self.words(role)
        return found[0] if found else None

    def nodes(self, name: str) -> Iterator[Node]:
        """Every rule named ``name`` below this one (itself included), outermost first."""
        if self.name == name:
            yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.nodes(name)

    def tokens(self) -> Iterator[Token]:
        for c in self.children:
            if isinstance(c, Token):
                yield c
            else:
                yield from c.tokens()

    def _tokens_under(self, role: str) -> Iterator[Token]:
        for node in self.nodes(role):
            yield from node.tokens()


class Mismatch:
    """Where the words stop being a command of the tool.

    word:     the word no accepted terminal matches; None when the words ended too soon
    expected: the keywords accepted there, as written (empty when only a value was)
    value:    whether a value was accepted there
    complete: whether the words could have ended there
    said:     the keywords read before it, as the grammar spells them (``("port", "add")``)
    after:    the word read last before it (None at the first word)
    """

    __slots__ = ("after", "complete", "expected", "said", "value", "word")

    def __init__(self, word: Word | None, expected: tuple[str, ...], value: bool, complete: bool, said: tuple[str, ...], after: Word | None = None):
        self.word, self.expected, self.value, self.complete, self.said, self.after = word, expected, value, complete, said, after

    def __repr__(self) -> str:
        return f"Mismatch(at {self.word.text if self.word else 'the end'!r}, expected {self.expected!r})"

    @property
    def extra(self) -> bool:
        """The command was whole before this word (the tool ignores or refuses the rest)."""
        return self.word is not None and not self.expected and not self.value and self.complete


class WordGrammar:
    """One tool's parse table, and the usage lines of its grammar."""

    def __init__(self, table: dict):
        self.states: list[dict[str, list[int]]] = table["states"]
        self.rules: list[tuple[str, int, str | None]] = [tuple(r) for r in table["rules"]]  # type: ignore[misc]
        self.start: int = table["start"]
        self.end: int = table["end"]
        self.keywords: dict[str, str] = table["keywords"]  # terminal -> the word it is
        self.by_word = {word: terminal for terminal, word in self.keywords.items()}
        # keywords written "add"i, which the tool compares with strcasecmp
        self.by_folded = {self.keywords[t].lower(): t for t in table["folded"]}
        self.order: list[str] = table["order"]  # the keywords' terminals, in the grammar's order
        self.usage_lines: list[tuple[str, str, list[str]]] = [tuple(u) for u in table["usage"]]  # type: ignore[misc]

    def parse(self, words: Sequence[Word], abbreviated: bool = False, operands: Sequence[Word] = ()) -> Node | Mismatch:
        """The words as the grammar's ``start``, or where and why they are not one.

        abbreviated: where no value can stand, a word that is no keyword stands for
        the first keyword accepted there, in the grammar's order, that it is a prefix
        of, as iproute2's matches() reads (``ip l s`` is ``ip link set``). Where a
        name can stand, only a whole keyword is one: ``ip link set br up`` names br.
        operands: words getopt handed over as operands, never an option (a keyword
        starting with ``-``): ``tunctl -- -d`` has the operand -d.
        """
        plain = {id(w) for w in operands}
        states = [self.start]
        values: list[Node | Token] = []
        said: list[str] = []
        last: Word | None = None
        for word in [*words, None]:
            terminal = self._terminal(word, states, abbreviated, id(word) in plain)
            if terminal is None:
                return self._mismatch(word, states, said, last)
            while True:
                kind, arg = self.states[states[-1]][terminal]  # _terminal made sure it is taken
                if kind == _SHIFT:
                    states.append(arg)
                    assert word is not None  # the end is never shifted
                    values.append(Token(terminal, word, self.keywords.get(terminal)))
                    if terminal in self.keywords:
                        said.append(self.keywords[terminal])
                    last = word
                    break
                origin, size, alias = self.rules[arg]
                children = values[len(values) - size :] if size else []
                del values[len(values) - size :]
                del states[len(states) - size :]
                values.append(Node(alias or origin, _spliced(children)))
                if origin == "start" and terminal == END:
                    result = values[-1]
                    assert isinstance(result, Node)
                    return result
                states.append(self.states[states[-1]][origin][1])
        raise AssertionError("the end of the words is always accepted or refused")

    def usage_for(self, said: Sequence[str]) -> str:
        """The usage lines of the alternatives that begin with the keywords ``said``, joined by `` | ``.

        Options (keywords starting with ``-``) are left out on both sides: they come
        before the command, in any number.
        """
        said = [k for k in said if not k.startswith("-")]
        return " | ".join(
            line for _, line, keywords in self.usage_lines
            if not line.startswith("-") and [k for k in keywords if not k.startswith("-")][: len(said)] == said
        )

    def options(self) -> dict[str, tuple[str, bool]]:
        """The tool's options, for getopt: each spelling (``-t``, ``--team-dev``) -> its alias, and whether it takes a value.

        An option is an alternative of the grammar that is one keyword starting
        with ``-`` and at most one value after it (``"-t" device -> name``).
        """
        out = {}
        for alias, line, keywords in self.usage_lines:
            words = line.split()
            if len(keywords) == 1 and words[0] == keywords[0] and keywords[0].startswith("-") and len(words) <= 2:
                out[keywords[0]] = (alias, len(words) == 2)
        return out

    def _terminal(self, word: Word | None, states: list[int], abbreviated: bool, operand: bool) -> str | None:
        """The terminal the word is at this point: a keyword the parser takes here, else a value."""
        if word is None:
            return END if self._takes(states, END) else None
        value = word.value
        keyword = self.by_word.get(value) or self.by_folded.get(value.lower()) if value is not None else None
        if keyword is not None and operand and self.keywords[keyword].startswith("-"):
            keyword = None
        if keyword is not None and self._takes(states, keyword):
            return keyword
        if self._takes(states, VALUE):
            return VALUE
        if abbreviated and value:
            taken = [t for t in self.order if self._takes(states, t)]
            return abbreviation(value, taken, lambda t: self.keywords[t])
        return None

    def _takes(self, states: list[int], terminal: str) -> bool:
        """Whether the parser shifts ``terminal`` here, after the reductions it leads to.

        An LALR state that reduces may list a lookahead that the state the reduction
        goes to refuses (LALR merges the lookaheads of alike states): asking the top
        state alone would take ``mode`` for a keyword after ``type bond``.
        """
        stack = list(states)
        while True:
            action = self.states[stack[-1]].get(terminal)
            if action is None:
                return False
            kind, arg = action
            if kind == _SHIFT:
                return True
            origin, size, _ = self.rules[arg]
            del stack[len(stack) - size :]
            if origin == "start" and terminal == END:
                return True
            stack.append(self.states[stack[-1]][origin][1])

    def _mismatch(self, word: Word | None, states: list[int], said: list[str], after: Word | None) -> Mismatch:
        actions = self.states[states[-1]]
        expected = tuple(self.keywords[t] for t in actions if t in self.keywords and self._takes(states, t))
        return Mismatch(word, expected, self._takes(states, VALUE), self._takes(states, END), tuple(said), after)


def abbreviation(word: str, choices: Sequence[str], spelled=lambda c: c) -> str | None:
    """The first of ``choices`` that ``word`` is a prefix of, as iproute2's matches() takes it; None for ''."""
    if not word:
        return None
    return next((c for c in choices if spelled(c).startswith(word)), None)


def _spliced(children: list[Node | Token]) -> tuple[Node | Token, ...]:
    out: list[Node | Token] = []
    for c in children:
        if isinstance(c, Node) and c.name.startswith("_"):
            out.extend(c.children)
        else:
            out.append(c)
    return tuple(out)


# -- loading ------------------------------------------------------------------


@functools.cache
def grammar(tool: str) -> WordGrammar:
    """``grammars/<tool>.lark``'s parse table: from the cache, or built by lark (and cached)."""
    text = (resource_dir("grammars") / f"{tool}.lark").read_text(encoding="utf-8")
    # the text's checksum and length name its table (zlib, not hashlib: OpenSSL costs 20 ms to load)
    data = f"{_FORMAT}\0{text}".encode()
    key = f"{zlib.crc32(data):08x}{len(data):x}"
    cached = _cache_dir() / f"{tool}-{key}.json"
    try:
        return WordGrammar(json.loads(cached.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError):
        pass
    table = build_table(text)
    _store(cached, json.dumps(table, separators=(",", ":")))
    _prune(cached.parent, tool)
    return WordGrammar(table)


# Tables kept per tool: one per grammar version in use (a venv and a checkout of another
# version each have theirs, and would rebuild in turn if only one were kept); older ones go.
KEPT_VERSIONS = 4


def _prune(directory: Path, tool: str) -> None:
    """Remove all but the KEPT_VERSIONS newest tables of ``tool``: each grammar change leaves one behind."""
    try:
        tables = sorted(directory.glob(f"{tool}-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in tables[KEPT_VERSIONS:]:
            old.unlink(missing_ok=True)
    except OSError:  # (another process pruned first)
        pass


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "netscript" / "grammars"


def _store(path: Path, text: str) -> None:
    """Write the cache file whole or not at all; a cache that cannot be written is only slower."""
    import tempfile  # here: only a process that builds a table writes one

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except OSError:
        pass


def build_table(text: str) -> dict:
    """The LALR table of a grammar over words, as JSON-able data (lark imported here only)."""
    import lark
    from lark.lexer import Lexer

    class _Words(Lexer):  # never runs: the words arrive as terminals already (WordGrammar.parse)
        def __init__(self, conf):
            pass

        def lex(self, data):  # pragma: no cover - lark asks for it, nothing calls it
            raise NotImplementedError

    parser = lark.Lark(text, parser="lalr", lexer=_Words, strict=True)
    table = parser.parser.parser.parser.parse_table
    rules = list(parser.rules)
    index = {id(r): i for i, r in enumerate(rules)}
    states: list[dict[str, list[int]]] = [{} for _ in range(len(table.states))]
    for state, actions in table.states.items():
        for symbol, (action, arg) in actions.items():
            if action.name == "Shift":
                states[state][symbol] = [_SHIFT, arg]
            else:
                states[state][symbol] = [_REDUCE, index[id(arg)]]
    keywords = {str(t.name): str(t.pattern.value) for t in parser.terminals if t.pattern.type == "str"}
    folded = [str(t.name) for t in parser.terminals if t.pattern.type == "str" and "i" in t.pattern.flags]
    # each keyword's terminal, by where the grammar first writes it (its string, not comments)
    code = "\n".join(line.split("//")[0] for line in text.splitlines())
    by_word = {word: name for name, word in keywords.items()}
    order = list(dict.fromkeys(by_word[m[1]] for m in re.finditer(r'"([^"]*)"i?', code) if m[1] in by_word))
    return {
        "states": states,
        "order": order,
        "rules": [[str(r.origin.name), len(r.expansion), str(r.alias) if r.alias else None] for r in rules],
        "start": table.start_states["start"],
        "end": table.end_states["start"],
        "keywords": keywords,
        "folded": folded,
        "usage": usage_lines(text),
    }


# (compiled when a table is built, by re's cache: a process that loads a table never needs them)
_RULE = r"^[?!]?(?P<name>\w+)\s*:(?P<body>.*)$"
_SYMBOL = r'"(?P<keyword>[^"]*)"i?|(?P<rule>\w+)(?P<repeat>[+*]?)|(?P<other>[\[\]()|])'


def _alternatives(text: str) -> list[tuple[str, str | None]]:
    """Every alternative of every rule, as (its body, its alias or None), in the grammar's order."""
    rules: list[str] = []
    for line in text.splitlines():
        line = line.split("//")[0].strip()
        if not line or line.startswith("%"):
            continue
        m = re.match(_RULE, line)
        if m:
            rules.append(m["body"])
        elif rules:
            rules[-1] += " " + line
    out: list[tuple[str, str | None]] = []
    for body in rules:
        depth, start, quoted = 0, 0, False
        for i, c in enumerate(body + "|"):
            if c == '"':
                quoted = not quoted
            elif quoted:
                continue
            elif c in "([":
                depth += 1
            elif c in ")]":
                depth -= 1
            elif c == "|" and depth == 0:
                alternative, _, alias = body[start:i].partition("->")
                out.append((alternative.strip(), alias.strip() or None))
                start = i + 1
    return out


def usage_lines(text: str) -> list[tuple[str, str, list[str]]]:
    """Each aliased alternative of the grammar as (alias, usage line, its keywords in order).

    ``"addif" bridge device+`` reads ``addif <bridge> <device>...``;
    ``[x]`` stays optional, ``(a | b)`` is a choice, ``x*`` is ``[<x>...]``.
    """
    out: list[tuple[str, str, list[str]]] = []
    for body, alias in _alternatives(text):
        if alias is None:
            continue
        parts, keywords = [], []
        for s in re.finditer(_SYMBOL, body):
            if s["keyword"] is not None:
                parts.append(s["keyword"])
                keywords.append(s["keyword"])
            elif s["rule"]:
                name = f"<{s['rule']}>"
                parts.append({"+": f"{name}...", "*": f"[{name}...]"}.get(s["repeat"], name))
            else:
                parts.append(s["other"])
        line = " ".join(parts).replace("[ ", "[").replace(" ]", "]").replace("( ", "{").replace(" )", "}").replace(" | ", "|")
        out.append((alias, line, keywords))
    return out
