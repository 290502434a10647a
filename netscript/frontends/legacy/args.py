"""Helpers every per-tool parser uses: arity, did-you-mean, names, run-time values."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ...names import interface_name_problem
from .model import CommandLine, Keep, Note, note_at
from .words import Word

if TYPE_CHECKING:
    from . import effects as fx
    from .word_grammar import Mismatch


def did_you_mean(word: str, candidates) -> str | None:
    """A hint naming the closest candidate, or None when nothing is close."""
    import difflib  # here: only a mistyped word pays for it

    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else None


def unknown(tool: str, word: Word, candidates, what: str = "subcommand") -> Note:
    """NS403 at the word, with a did-you-mean or the list of what exists."""
    hint = did_you_mean(word.shown(), candidates) or f"{tool} {what}s: {', '.join(sorted(candidates))}"
    return note_at(word, "NS403", f"{tool} has no {what} {word.shown()!r}", hint)


def refused(tool: str, line: CommandLine, read: Mismatch) -> Note:
    """Why the tool refuses its words, from where its grammar stopped reading them.

    An unknown word is NS403 at the word, with a did-you-mean from the keywords the
    grammar accepted there; a word only known at run time where a keyword belongs is
    NS402; too few or too many words are NS404 with the usage line, or NS402 when a
    word the shell may split makes the count unknown.
    """
    from .word_grammar import grammar

    word = read.word
    usage = lambda: f"{tool} {grammar(tool).usage_for(read.said)}"
    if word is not None and not read.extra:
        if word.value is None:
            return note_at(word, "NS402", f"the subcommand {word.text} is only known at run time")
        # `teamdctl team0 port ad`: "teamdctl port has no subcommand 'ad'"
        return unknown(" ".join((tool, *read.said)), word, [k for k in read.expected if not k.startswith("-")] or read.expected)
    split = splitting_word(line.args)
    if split is not None:
        return note_at(line, "NS402", keep_for_splitting(split, usage()).reason)
    if word is None:
        return note_at(line, "NS404", f"missing argument: {usage()}")
    return note_at(line, "NS404", f"too many arguments: {usage()}")


def splitting_word(words) -> Word | None:
    """The first word the shell may split into several (or none): its count is unknown."""
    return next((w for w in words if w.splits), None)


def keep_for_splitting(word: Word, usage: str) -> Keep:
    """Leave a command whose argument count depends on word splitting."""
    return Keep(
        reason=f"the number of arguments depends on how {word.text} splits",
        suggestion=f"quote {word.text} or give the arguments separately: {usage}",
    )


def name_note(word: Word) -> Note | None:
    """An error when a literal interface name is one the kernel refuses."""
    value = word.value
    if value is None:
        return None
    problem = interface_name_problem(value)
    return note_at(word, "NS405", problem) if problem else None


def literal_names(*words: Word | None) -> list[str] | None:
    """The values of the words, or None when one is only known at run time."""
    out = []
    for w in words:
        if w is None:
            continue
        if w.value is None:
            return None
        out.append(w.value)
    return out


def unexpressible_names(*words: Word | None) -> list[fx.Effect]:
    """The effect of a command whose names are only known at run time."""
    from . import effects as fx  # here: translating to modern commands never asks for effects

    dynamic = [w.text for w in words if w is not None and w.value is None]
    return [fx.Unexpressible(f"{', '.join(dynamic)} only known at run time")]


ON_WORDS = ("on", "yes", "1")
OFF_WORDS = ("off", "no", "0")


def on_off(word: Word) -> bool | None:
    """brctl's reading of a switch (on/yes/1, off/no/0); None when it is neither."""
    v = word.value
    if v in ON_WORDS:
        return True
    if v in OFF_WORDS:
        return False
    return None


def case_map(word: Word, mapping: dict[str, str]) -> str:
    """Shell text choosing a value at run time: ``$(case WORD in on|yes) echo 1 ;; ... esac)``.

    An unknown value gives an empty argument, which the modern command
    refuses, so the command still fails where the old one did.
    """
    by_result: dict[str, list[str]] = {}
    for given, result in mapping.items():
        by_result.setdefault(result, []).append(given)
    arms = " ".join(f"{'|'.join(g)}) echo {r} ;;" for r, g in by_result.items())
    return f'"$(case {word.text} in {arms} esac)"'


def getopt(tool: str, words: Sequence[Word]) -> tuple[list[Word], list[Word], Note | None]:
    """The words as getopt(3) hands them over: the options, one word each, and the operands.

    getopt_long permutes: ``tunctl -t tap0 x -b`` reads as ``-t tap0 -b x``. A cluster
    (``-bt tap0``) becomes one word per option, an attached value (``-ttap0``,
    ``--team-dev=x``) a word of its own after its option, each with the span of the
    word it came from. Which options exist and which take a value is the tool's
    grammar's (``option: "-t" device -> name``); a note instead when an option is
    unknown or lacks its value. The grammar reads ``[*options, *operands]``, told
    that the operands are never options (``tunctl -- -d``).
    """
    from .word_grammar import grammar
    from .words import Lit

    known = grammar(tool).options()
    options: list[Word] = []
    operands: list[Word] = []

    def part(text: str, of: Word) -> Word:
        return Word(text=text, parts=(Lit(text),), start=of.start, end=of.end) if text != of.value else of

    def unknown_option(w: Word) -> Note:
        long = w.value is not None and w.value.startswith("--")
        return unknown(tool, w, sorted(o for o in known if o.startswith("--") or not long), "option")

    i = 0
    while i < len(words):
        w = words[i]
        v = w.value
        i += 1
        if v is None or not v.startswith("-") or v == "-":
            operands.append(w)
            continue
        if v == "--":
            operands += words[i:]
            break
        spelled = [v.partition("=")[0]] if v.startswith("--") else [f"-{c}" for c in v[1:]]
        for n, option in enumerate(spelled):
            if option not in known:
                return options, operands, unknown_option(w)
            options.append(part(option, w))
            if not known[option][1]:
                continue
            attached = v.partition("=")[2] if v.startswith("--") else v[n + 2 :]
            if attached or (v.startswith("--") and "=" in v):
                options.append(Word(text=attached, parts=(Lit(attached),), start=w.end - len(attached.encode()), end=w.end))
            elif i < len(words):
                options.append(words[i])
                i += 1
            else:
                return options, operands, note_at(w, "NS404", f"{tool} option {option} needs a value")
            break
    return options, operands, None


def loop_hint(ports, hint: str | None = None) -> str | None:
    """Say why a loop appeared, and how to get plain commands instead."""
    split = [p.text for p in ports if p.splits]
    if not split:
        return hint
    loop = f"{', '.join(split)} may hold several names, hence the loop; quote it if it holds one"
    return f"{loop}; {hint}" if hint else loop
