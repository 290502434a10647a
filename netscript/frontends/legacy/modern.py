"""Modern commands as a translation writes them, and how they become shell text.

An argument is a list of pieces: literal text we computed (quoted on the way
out) and shell text carried over from the script as written (``"$BR"``,
``${IFACE}``), so the new command expands exactly what the old one did. A
step is one command, or an idempotent creation (``check || create``).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from .words import Dynamic, Lit, Var, Word


@dataclass(frozen=True, slots=True)
class Text:
    """Literal text, quoted for the shell when rendered."""

    value: str


@dataclass(frozen=True, slots=True)
class Shell:
    """Shell text used as written; ``start``/``end`` locate it in the script when it came from there."""

    text: str
    start: int | None = None
    end: int | None = None


Piece = Text | Shell


@dataclass(frozen=True, slots=True)
class Arg:
    """One shell word of a modern command."""
    pieces: tuple[Piece, ...]

    @property
    def literal(self) -> str | None:
        """The value when every piece is literal (what documentation checks show)."""
        out = []
        for p in self.pieces:
            if not isinstance(p, Text):
                return None
            out.append(p.value)
        return "".join(out)


def text(value: str) -> Arg:
    """An argument of literal text."""
    return Arg((Text(value),))


def carried(word: Word) -> Arg:
    """An argument taken over as written in the script."""
    if word.is_literal and word.text == word.value:
        return Arg((Text(word.value),))
    if word.end == word.start:  # made for the translation (``"$1"``), not in the script
        return Arg((Shell(word.text),))
    return Arg((Shell(word.text, word.start, word.end),))


def joined(*pieces: Piece | Word | str) -> Arg:
    """One argument made of several pieces (``eth0.`` + ``$VID``)."""
    out: list[Piece] = []
    for p in pieces:
        if isinstance(p, str):
            out.append(Text(p))
        elif isinstance(p, Word):
            out.extend(carried(p).pieces)
        else:
            out.append(p)
    return Arg(tuple(out))


def value_arg(word: Word, literal: str | None) -> Arg:
    """The argument for a value: our canonical spelling when known, else the word as written."""
    return text(literal) if literal is not None else carried(word)


@dataclass(frozen=True, slots=True)
class Cmd:
    """One simple command."""

    args: tuple[Arg, ...]

    @property
    def words(self) -> list[str] | None:
        """Plain words when every argument is literal."""
        out = []
        for a in self.args:
            word = a.literal
            if word is None:
                return None
            out.append(word)
        return out


def cmd(*args: Arg | str | Word) -> Cmd:
    """A command from literal strings, source words (carried as written) and arguments."""
    out = []
    for a in args:
        if isinstance(a, str):
            out.append(text(a))
        elif isinstance(a, Word):
            out.append(carried(a))
        else:
            out.append(a)
    return Cmd(tuple(out))


@dataclass(frozen=True, slots=True)
class Unless:
    """Run ``act`` unless ``check`` succeeds: a creation made safe to repeat."""

    check: Cmd
    act: Cmd


@dataclass(frozen=True, slots=True)
class Try:
    """Run ``cmd`` and carry on whether or not it works (clearing the way, ``teamd -r``)."""

    cmd: Cmd


@dataclass(frozen=True, slots=True)
class Loop:
    """``body`` once per word the shell splits ``items`` into (a list in a variable).

    ``stop``: stop at the first failure and fail with status 1, as a tool that
    takes its names one by one does (``brctl addif``); the loop runs in a
    subshell so that ``exit`` leaves only the loop. ``needs_one``: fail (status
    1) when the items expand to no word at all, as that tool fails without a name.
    """

    var: str
    items: tuple[Arg, ...]
    body: tuple[Cmd, ...]
    stop: bool = False
    needs_one: bool = False


@dataclass(frozen=True, slots=True)
class Choice:
    """The first command whose test succeeds, else ``otherwise``: what the old tool decided from the link.

    ``cases``: (test, command) pairs, tried in order (``if ...; then ...; elif ...``).
    """

    cases: tuple[tuple[Cmd, Cmd], ...]
    otherwise: Cmd


@dataclass(frozen=True, slots=True)
class Guarded:
    """Tests run as they are, then ``act`` behind the line's prefix: ``if TESTS; then PREFIX ACT; fi``.

    For a runner function that swallows a failure (``do_without_error``): a test
    run through it would always pass. When a test fails, the line succeeds, as
    it did through that function.
    """

    tests: tuple[Cmd, ...]
    act: Cmd


Step = Cmd | Unless | Try | Loop | Choice | Guarded


def link_flag(link, flag: str) -> Cmd:
    """A test that the link shows a flag (``BROADCAST``, ``POINTOPOINT``) in ``ip -o link show``."""
    return cmd("ip", "-o", "link", "show", "dev", link, Arg((Shell("|"),)), "grep", "-qw", flag)


def each_word(var: str, words, make) -> tuple:
    """Steps for names taken one by one, stopping at the first failure (brctl addif/delif).

    Literal or quoted words give plain commands in order; a word like ``$PORTS``,
    which may hold several names or none, gives a loop that stops at the first
    failure with status 1, and fails when there is no name at all. A word that
    runs a command when expanded (``"$(pick_port)"``) is expanded once, by the
    loop, since each name may appear in several commands.
    """
    if not any(w.splits or runs_commands(w) for w in words):
        return tuple(c for w in words for c in make(carried(w)))
    body = make(Arg((Shell(f'"${var}"'),)))
    return (Loop(var, tuple(carried(w) for w in words), tuple(body), stop=True, needs_one=all(w.splits for w in words)),)


def runs_commands(word: Word) -> bool:
    """Whether expanding the word runs something (``$(...)``, backquotes) or assigns (``${X:=y}``).

    Such a word must be expanded once, however many commands the translation uses it in.
    """
    return any(isinstance(p, Dynamic) and any(c in p.text for c in ("$(", "`", "=")) for p in word.parts)


def quoted_path(*pieces: Piece | Word | Arg | str) -> Arg:
    """One argument naming a path built from names: a name that would split is quoted.

    ``/sys/class/net/$BR/bridge`` splits where the old command's ``$BR`` was one
    of its arguments; written ``/sys/class/net/"$BR"/bridge`` it is one word.
    """
    out: list[Piece] = []
    for p in pieces:
        if isinstance(p, str):
            out.append(Text(p))
        elif isinstance(p, Arg):
            out.extend(_unquoted_literal(q) for q in p.pieces)
        elif isinstance(p, Word):
            if p.splits and all(isinstance(q, (Lit, Var)) for q in p.parts) and not any(q in p.text for q in "\\\"'*?["):
                out.extend((Shell('"'), *carried(p).pieces, Shell('"')))  # the word as written, between quotes
            else:
                out.extend(carried(p).pieces)
        else:
            out.append(p)
    return Arg(tuple(out))


def _unquoted_literal(piece: Piece) -> Piece:
    """A name written in single quotes with a ``$`` in it (``'v$x'``) as literal text, rendered by :func:`quote`."""
    if isinstance(piece, Shell) and re.fullmatch(r"'[^']*[$`][^']*'", piece.text):
        return Text(piece.text[1:-1])
    return piece


# How a script tells a link's kind at run time, as the old tools' kernel calls did before
# acting (brctl delbr: EPERM for anything but a bridge; vconfig rem: EINVAL for anything
# but a VLAN; bonding_masters -NAME: ENODEV for anything but a bond). `ip link delete`
# deletes any kind, and `type KIND` does not make it check (iproute2 6.1, checked on
# Linux 6.18 with a veth given as `type bridge`), so the translation checks first.
KIND_TESTS = {
    "bridge": lambda path: ("[", "-d", path("/bridge"), "]"),
    "bond": lambda path: ("[", "-d", path("/bonding"), "]"),
    # a VLAN has no directory of its own in sysfs; its uevent says DEVTYPE=vlan
    "vlan": lambda path: ("grep", "-qx", "DEVTYPE=vlan", path("/uevent")),
}


def is_kind(kind: str, name) -> Cmd:
    """A command that succeeds when the link ``name`` (a Word, Arg or str) is a ``kind``."""
    return cmd(*KIND_TESTS[kind](lambda leaf: quoted_path("/sys/class/net/", name, leaf)))


def per_word(var: str, words, make) -> tuple:
    """Steps for a variable number of names: one command each, or a loop when a word may split.

    ``make(arg)`` builds the commands for one name. A word like ``$SLAVES``
    may hold several names, so the commands run in a ``for`` loop over the
    words as written; quoted or literal words get plain commands.
    """
    if not any(w.splits for w in words):
        return tuple(c for w in words for c in make(carried(w)))
    body = make(Arg((Shell(f'"${var}"'),)))
    return (Loop(var, tuple(carried(w) for w in words), tuple(body)),)


# -- rendering --------------------------------------------------------------


def quote(value: str) -> str:
    """A literal for the shell; a ``$`` or backquote in it escaped between double quotes.

    ``'v$x'`` means the same, but shellcheck takes it for an expansion written
    in the wrong quotes (SC2016), each time a translation names it.
    """
    if "$" in value or "`" in value:
        return '"' + re.sub(r'([\\$`"])', r"\\\1", value) + '"'
    return shlex.quote(value)


def render_piece(piece: Piece, source_text=None) -> str:
    """One piece as shell text (``source_text(start, end)`` gives carried text with nested rewrites)."""
    if isinstance(piece, Text):
        if piece.value in ("[", "]"):  # the test command's brackets: plain words on their own
            return piece.value
        return quote(piece.value) if piece.value else "''"
    if source_text is not None and piece.start is not None:
        return source_text(piece.start, piece.end)
    return piece.text


def render_arg(arg: Arg, source_text=None) -> str:
    """One argument as one shell word."""
    if len(arg.pieces) == 1:
        return render_piece(arg.pieces[0], source_text)
    out = []
    for p in arg.pieces:
        if isinstance(p, Text):
            # a literal glued to shell text: quote only what needs it
            out.append(quote(p.value) if p.value else "")
        else:
            out.append(render_piece(p, source_text))
    return "".join(out)


def render_cmd(c: Cmd, prefix: str = "", source_text=None) -> str:
    """One command as shell text, after ``prefix`` (``sudo ``, ``VAR=x ``)."""
    return prefix + " ".join(render_arg(a, source_text) for a in c.args)


def render_step(step: Step, prefix: str = "", source_text=None, alone: bool = True) -> str:
    """One step as shell text; ``alone=False`` braces compound steps for a chain."""
    if isinstance(step, Cmd):
        return render_cmd(step, prefix, source_text)
    if isinstance(step, Try):
        body = f"{render_cmd(step.cmd, prefix, source_text)} 2>/dev/null || true"
        return body if alone else "{ " + body + "; }"
    if isinstance(step, Loop):
        items = " ".join(render_arg(a, source_text) for a in step.items)
        if not step.stop:
            return f"for {step.var} in {items}; do {_failing_chain([render_cmd(c, prefix, source_text) for c in step.body])}; done"
        body = "; ".join(f"{render_cmd(c, prefix, source_text)} || exit 1" for c in step.body)
        # no word at all leaves the loop variable unset (the subshell starts without it)
        last = f'; [ -n "${{{step.var}-}}" ]' if step.needs_one else ""
        return f"(for {step.var} in {items}; do {body}; done{last})"
    if isinstance(step, Choice):
        branches = [f"if {render_cmd(test, prefix, source_text)}; then {render_cmd(act, prefix, source_text)}" for test, act in step.cases]
        return "; el".join(branches) + f"; else {render_cmd(step.otherwise, prefix, source_text)}; fi"
    if isinstance(step, Guarded):
        tests = " && ".join(render_cmd(t, "", source_text) for t in step.tests)
        return f"if {tests}; then {render_cmd(step.act, prefix, source_text)}; fi"
    body = f"{render_cmd(step.check, prefix, source_text)} >/dev/null 2>&1 || {render_cmd(step.act, prefix, source_text)}"
    return body if alone else "{ " + body + "; }"


def render_steps(steps, *, prefix: str = "", standalone: bool = True, source_text=None, errexit: bool = True,
                 separator: str | None = None) -> str:
    """Shell text for steps that must behave as the one command they replace.

    Several steps run in order and stop at the first failure, which a script
    under ``set -e`` still stops at, as it did on the old command (``errexit``:
    whether ``set -e`` can stop the script there; where it cannot, a plain
    ``a && b`` does the same). Where ``set -e`` is surely on and the steps are
    a statement of their own, each is a statement, joined by ``separator``
    (a newline and the indentation): ``set -e`` stops at the first that fails.
    Anything but a single command is braced unless it is a statement of its
    own, so ``!``, ``|``, redirections and ``&&`` around it keep their meaning.
    """
    if len(steps) == 1:
        text_ = render_step(steps[0], prefix, source_text, alone=True)
        if isinstance(steps[0], (Cmd, Loop, Choice, Guarded)) or standalone:
            return text_
        return "{ " + text_ + "; }"
    if separator is not None and standalone:
        return separator.join(render_step(s, prefix, source_text, alone=True) for s in steps)
    commands = [render_step(s, prefix, source_text, alone=False) for s in steps]
    chain = _failing_chain(commands) if errexit else " && ".join(commands)
    return chain if standalone else "{ " + chain + "; }"


def _failing_chain(commands: list[str]) -> str:
    """Commands in order, stopping at the first failure, which ``set -e`` still sees.

    ``{ a && b; } || false``: a failure inside an && list is exempt from
    ``set -e``, the final ``false`` is not. (``a && b || false`` means the
    same, but reads as if-then-else, as shellcheck's SC2015 points out.)
    """
    if len(commands) == 1:
        return f"{commands[0]} || false"
    return "{ " + " && ".join(commands) + "; } || false"


def show_steps(steps) -> str:
    """The steps on one line, for messages."""
    return render_steps(steps, standalone=True)
