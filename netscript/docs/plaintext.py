"""Plain text: the runs of lines that look like commands.

Running text has no code-block markup, so a line counts as a command only
with real evidence: a prompt (``$ ``, ``# ``, ``host:# ``) or ``sudo``, or
indentation, before one of the tools that are read. A run of such lines is
one snippet; inside it, lines right after a prompted command are its output;
a blank line followed by prose ends the run.

Shell scripts are read here too, whole: every line is a command line and
``#`` always starts a comment.
"""

from __future__ import annotations

from .document import Block, Document, Line
from .formats import is_skip_marker
from .shellwords import ends_with_continuation
from .snippet import list_marker, looks_like_command, parses_cleanly, strip_prompt


def _command_line(text: str) -> bool:
    cut, prompted = strip_prompt(text)
    body = text[cut:]
    if prompted:
        return looks_like_command(body)
    indented = text[:1] in (" ", "\t")
    stripped = body.lstrip()
    if (indented or stripped.startswith("sudo ")) and looks_like_command(stripped):
        return True
    # an article whose code blocks were flattened: `brctl addbr br0` at the start of a
    # line is a command when its tool's parser reads it without a complaint; prose that
    # starts with a tool's name ("ip addresses are ...") does not parse
    if list_marker(text):
        return True  # `a) ip link add ...`, `1. brctl addbr br0`: a list of commands
    return not indented and looks_like_command(stripped) and parses_cleanly(stripped)


def blocks(doc: Document) -> list[Block]:
    lines = doc.lines()
    out: list[Block] = []
    run: list[Line] = []
    pending_blank = False
    previous = ""
    skip = False

    def close():
        nonlocal run, skip
        if run and not skip:
            out.append(Block(tuple(run), kind="text"))
        run, skip = [], False

    continued = False
    for line in lines:
        text = line.text
        if continued:
            run.append(line)
            continued = ends_with_continuation(text)
            continue
        if not text.strip():
            pending_blank = True
            continue
        if _command_line(text):
            if not run:
                skip = is_skip_marker(previous)
            run.append(line)
            continued = ends_with_continuation(text)
        elif run and not pending_blank and (strip_prompt(text)[1] or not _prose(text)):
            pass  # output of the command above, or a command of another tool: the run goes on
        elif run:
            close()
        pending_blank = False
        previous = text
    close()
    return out


def _prose(text: str) -> bool:
    """A sentence rather than command output: several words, letters first."""
    words = text.split()
    return len(words) >= 4 and text.lstrip()[:1].isalpha() and text.rstrip()[-1:] in ".:;,!?"


def script_blocks(doc: Document) -> list[Block]:
    """A shell script is one block: every line a command line."""
    return [Block(tuple(doc.lines()), kind="code", language="bash")]
