"""From a block of documentation to the commands a reader would type.

A code block (or, in running text, a run of command lines between prose) is
one :class:`Snippet`. Reading it:

- prompts are stripped: ``$ ``, ``# ``, ``host:# ``, ``user@host:~$ ``,
  ``[root@host ~]# ``; then ``sudo`` (with its options) and the directory of
  an absolute tool path (``/usr/sbin/brctl``);
- a line ending in ``\\`` continues on the next (a ``> `` continuation prompt
  there is dropped), and here-document bodies are skipped;
- in a block that uses prompts, the lines without one after a command are its
  output, not commands;
- ``# ip link ...`` is a root prompt in documentation but a comment in a shell
  script, and in a script-style code block it is a prompt only when what
  follows reads as a command.

Each :class:`Command` keeps its words with document offsets (see
:mod:`.shellwords`), and enough about where it sits (the text before it on its
line, whether it shares the line with other commands) for ``--fix`` to replace
it in place.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from ..frontends.legacy import registry
from ..frontends.legacy.shell import Redirect, Usage
from ..frontends.legacy.words import Word
from . import shellwords
from .document import Block, Line

# user@host:~/dir$ , [root@host ~]# , host:# , (venv) $ , $ , # ; and as documents write them
# (the kernel's ipvlan.rst, blog posts): bash# , root# , sh-4.2# , guest% , % (csh, zsh)
_PROMPT = re.compile(
    r"(?:\([^)\s]{1,40}\)\s+)?"  # (venv)
    r"(?:\[[^\]\n]{1,60}\]|[A-Za-z0-9_.-]{1,32}@[A-Za-z0-9_.-]{1,64}(?::[^\s$#%]*)?|[A-Za-z0-9_.-]{1,64}:[^\s$#%]*"
    r"|[A-Za-z][A-Za-z0-9_.-]{0,31})?"  # bash# , root# , guest%
    r"[$#%]( |\t|$)"
)
# a list item's marker before a command: a) , (a) , 1. , 2) , - , * , +
_LIST_MARKER = re.compile(r"(?:\(?[a-z]\)|\(?[0-9]{1,3}[.)]|[-*+])[ \t]+")
_CONTINUATION_PROMPT = re.compile(r"> ")
_SUDO_OPTIONS_WITH_VALUE = {"-u", "-g", "-h", "-p", "-C", "-D", "-r", "-t", "-U"}

# The tools whose commands are read: those the legacy frontend has a parser for
# (one list, frontends/legacy/registry.py); everything else is skipped silently.
TOOLS = frozenset(registry.TOOLS)


@dataclass(frozen=True, slots=True)
class Command:
    """One simple command of a snippet, as a reader would type it.

    words:    the command's words, prompt, ``sudo`` and tool directory removed
              (the first word is the bare tool name, its span the whole path)
    redirects: its redirections (``echo +eth0 > /sys/.../slaves``)
    prompted: written after a prompt
    alone:    the only command on its (logical) line, so a fix may turn it
              into several lines
    piped:    its output feeds another command, or it is joined by ``&&``/``||``
    prefix:   the document text before it on its first line (indent, prompt, sudo)
    """

    words: tuple[Word, ...]
    redirects: tuple[Redirect, ...]
    prompted: bool
    alone: bool
    piped: bool
    prefix: str
    section: int  # which recipe of the block: simulation does not carry names across recipes
    start: int  # document offset of its first character (the tool path included)
    end: int  # document offset just past its last word
    usage: Usage | None = None  # how a script uses it, when the shell parser knows

    @property
    def tool(self) -> str:
        return self.words[0].value or ""


@dataclass(frozen=True, slots=True)
class Snippet:
    block: Block
    commands: tuple[Command, ...]


def strip_prompt(text: str) -> tuple[int, bool]:
    """How many leading characters are a prompt, and whether there was one.

    ``#ip link ...`` (no space after the root prompt) counts when what follows
    is a command of a tool that is read.
    """
    lead = len(text) - len(text.lstrip(" \t"))
    m = _PROMPT.match(text, lead)
    if m:
        return m.end(), True
    if _glued_root_prompt(text, lead):
        return lead + 1, True
    return 0, False


def _glued_root_prompt(text: str, lead: int) -> bool:
    return text[lead : lead + 1] == "#" and text[lead + 1 : lead + 2].isalpha() and looks_like_command(text[lead + 1 :])


def list_marker(text: str) -> int:
    """How many leading characters are a list item's marker (``a) ``, ``1. ``, ``- ``) before a command.

    Only when the rest is a command its tool's parser reads without an error:
    ``- ip link set eth0 up`` is a command, ``- ip is the new tool`` is prose.
    """
    lead = len(text) - len(text.lstrip(" \t"))
    m = _LIST_MARKER.match(text, lead)
    if m and looks_like_command(text[m.end() :]) and parses_cleanly(text[m.end() :]):
        return m.end()
    return 0


def starts_list_item(prefix: str) -> bool:
    """The text before a command holds a list item's marker (``1. ``): one item, one line."""
    return _LIST_MARKER.match(prefix.lstrip()) is not None


# A command's words that are not its tool's (an unknown subcommand or option, missing or extra
# words): what prose that starts with a tool's name gets. Any other error is about a value.
SYNTAX_CODES = frozenset({"NS403", "NS404"})


def parses_cleanly(text: str) -> bool:
    """One command of a tool that is read, whose words its parser takes: a value the tool or
    the kernel would refuse (``vconfig add eth0 5000``) still makes it a command, to be reported."""
    from ..frontends.legacy.model import CommandLine

    lexed = shellwords.lex(Line.verbatim(text, 0))
    if len(lexed.commands) != 1 or lexed.commands[0].before or lexed.commands[0].after:
        return False
    words = _drop_sudo(lexed.commands[0].words)
    if len(words) < 2 or any(w.value is None for w in words):
        return False
    tool = _bare_tool(words[0])
    if tool.value is None:
        return False
    parsed = registry.parse_line(CommandLine(tool.value, tuple(words[1:]), tool.start, words[-1].end, (), tool))
    if parsed is None or any(n.code in SYNTAX_CODES for n in parsed.notes):
        return False
    return parsed.ok or bool(parsed.notes)


def _tool_word(word: Word) -> str | None:
    value = word.value
    if value is None:
        return None
    return os.path.basename(value) if value.startswith("/") else value


def _drop_sudo(words: list[Word]) -> list[Word]:
    """The words after ``sudo`` and its options (``sudo -E``, ``sudo -u root``)."""
    if not words or _tool_word(words[0]) != "sudo":
        return words
    i = 1
    while i < len(words) and (words[i].value or "").startswith("-"):
        i += 2 if words[i].value in _SUDO_OPTIONS_WITH_VALUE else 1
    return words[i:]


def _bare_tool(word: Word) -> Word:
    """The first word with its directory removed from the value, span kept."""
    name = _tool_word(word)
    if name is None or name == word.value:
        return word
    return Word(text=word.text, parts=(type(word.parts[0])(name),), start=word.start, end=word.end)


def looks_like_command(text: str) -> bool:
    """True when a line, prompt removed, starts with one of the tools that are read."""
    lexed = shellwords.lex(Line.verbatim(text, 0))
    if not lexed.commands:
        return False
    words = _drop_sudo(lexed.commands[0].words)
    return bool(words) and _tool_word(words[0]) in TOOLS


@dataclass
class _LogicalLine:
    line: Line  # continuations joined, prompt removed
    prompted: bool
    prefix: str
    section: int  # recipes in one block that a blank line and a comment heading set apart


def _prompted_command(text: str) -> bool:
    """A line with a prompt: evidence that the block is a session of commands and their output.

    ``#ip`` is not: without the space it is as likely a command commented out.
    """
    cut, prompted = strip_prompt(text)
    if not prompted or _glued_root_prompt(text, len(text) - len(text.lstrip(" \t"))):
        return False
    return text.lstrip()[:1] == "$" or looks_like_command(text[cut:])


def logical_lines(block: Block, *, script: bool) -> list[_LogicalLine]:
    """The command lines of a block: prompts stripped, continuations joined, output dropped.

    script: the block is a shell script (``#`` always starts a comment, nothing is output).
    In a block where commands follow prompts, lines without a prompt are output.
    """
    lines = list(block.lines)
    # with prompts, the lines without one are output; a console block without any prompt
    # (`.. code-block:: console` listing commands) is read like an untagged block
    console = not script and any(_prompted_command(line.text) for line in lines)
    out: list[_LogicalLine] = []
    heredoc: str | None = None
    section, after_blank = 0, True
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        text = line.text
        if heredoc is not None:
            if text.strip() == heredoc:
                heredoc = None
            continue
        if not text.strip():
            after_blank = True
            continue
        blank_before, after_blank = after_blank, False
        cut, prompted = (0, False) if script else strip_prompt(text)
        if not script and not prompted:
            cut = list_marker(text)
            prompted = console and cut > 0  # `1. ip link ...` is no output line
        comment = text.lstrip()[:1] == "#" and (script or (prompted and not looks_like_command(text[cut:])))
        if comment:
            if blank_before and out:
                section += 1  # "# Alternatively, ..." after a blank line: another recipe
            continue
        if console and not prompted:
            continue  # output of the command above
        pieces, prefix = [line[cut:]], text[:cut]
        # Only a line's own end says whether it continues; joined once at the end.
        while shellwords.ends_with_continuation(pieces[-1].text) and i < len(lines):
            pieces[-1] = pieces[-1].strip_end()[:-1]
            nxt = lines[i]
            i += 1
            skip = len(nxt.text) - len(nxt.text.lstrip(" \t"))
            m = _CONTINUATION_PROMPT.match(nxt.text, skip)
            if m and console:
                skip = m.end()
            pieces += [Line(" ", (nxt.origin(0), nxt.origin(0))), nxt[skip:]]
        body = Line.joined(pieces)
        out.append(_LogicalLine(body, prompted, prefix, section))
        heredoc = shellwords.lex(body).heredoc
    return out


def read(block: Block, *, script: bool = False) -> Snippet:
    """The commands of a block, in order."""
    commands: list[Command] = []
    for logical in logical_lines(block, script=script):
        lexed = shellwords.lex(logical.line)
        simple = lexed.commands
        for raw in simple:
            words = _drop_sudo(raw.words)
            if not words:
                continue
            tool = _tool_word(words[0])
            if tool not in TOOLS:
                continue
            if any(_is_grammar(w) for w in words):
                continue  # a synopsis (`ip link add [ name NAME ] ...`), not a command
            words = [_bare_tool(words[0]), *words[1:]]
            end = max([w.end for w in words] + [r.target.end for r in raw.redirects if r.target])
            start = words[0].start
            commands.append(
                Command(
                    words=tuple(words),
                    redirects=tuple(raw.redirects),
                    prompted=logical.prompted,
                    alone=len(simple) == 1,
                    piped=bool(raw.after in ("|", "|&", "&&", "||") or raw.before in ("|", "|&", "&&", "||")),
                    prefix=_prefix_text(logical, start),
                    section=logical.section,
                    start=start,
                    end=end,
                )
            )
    return Snippet(block, tuple(commands))


def _is_grammar(word: Word) -> bool:
    """Synopsis notation: optional parts, alternatives, repetition."""
    text = word.text
    return text in ("[", "]", "{", "}", "...", "\u2026") or "..." in text or (text.startswith("[") and text.endswith("]"))


def _prefix_text(logical: _LogicalLine, start: int) -> str:
    """The text from the start of the command's document line up to the command."""
    line = logical.line
    for k in range(len(line.origins)):
        if line.origins[k] == start:
            return logical.prefix + line.text[:k]
    return logical.prefix
