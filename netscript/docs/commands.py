"""One documented command through the legacy frontend's grammars.

This is the one place documentation checking meets the per-tool parsers of
:mod:`netscript.frontends.legacy` (brctl, vconfig, ifenslave, tunctl,
teamd/teamdctl, bonding sysfs writes, and ``ip``/``bridge``): the same
grammars, codes and modern equivalents a shell script gets. A command gives:

- the parser's findings (unknown subcommand with a did-you-mean, missing
  arguments, values out of range, invalid teamd JSON...), at the word;
- for a legacy command, a warning with the modern equivalent, and a fix when
  the modern text can be written into the document;
- its effects on the network, for :mod:`.simulate`.

Tools the legacy frontend does not know (yet) are skipped silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..codes import diag
from ..diagnostics import Diagnostic, Severity
from ..frontends.legacy import effects as fx
from ..frontends.legacy import registry
from ..frontends.legacy.model import CommandLine, Context, Keep, Options, Rewrite
from ..frontends.legacy.modern import show_steps
from ..frontends.legacy.shell import Usage
from . import fix as fixes
from .document import Block, Document
from .simulate import Step
from .snippet import TOOLS, Command

# Findings about scripts only: how a script converts values at run time (a
# placeholder in a document is not converted by anything), and
# NS410 is about what a spec (`translate --to dsl`) can hold, not about the command.
SCRIPT_ONLY = frozenset({"NS407", "NS410"})


@dataclass
class Interpretation:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    step: Step | None = None  # None: nothing known about what it does


def _unwrap_netns(command: Command) -> tuple[list, str | None]:
    """``ip netns exec NS TOOL ...`` -> (TOOL's words, NS); other commands as they are."""
    words = list(command.words)
    values = [w.value for w in words]
    if values[:3] == ["ip", "netns", "exec"] and len(words) > 4 and values[3] is not None:
        inner = words[4:]
        tool = (inner[0].value or "").rsplit("/", 1)[-1]
        if tool in TOOLS:
            return inner, values[3]
    return words, None


def _usage(command: Command) -> Usage:
    if command.usage is not None:
        return command.usage
    if command.piped:
        return Usage.STATUS_TESTED
    return Usage.NONE


def _sysfs_without_redirect(command: Command, doc: Document) -> Diagnostic | None:
    """``echo +eth0 /sys/class/net/bond0/bonding/slaves``: the ``>`` is missing."""
    if command.tool != "echo" or command.redirects or len(command.words) < 3:
        return None
    last = command.words[-1]
    if (last.value or "").startswith("/sys/class/net/"):
        return diag(
            "NS607",
            f"echo prints {last.value} instead of writing to it: the `>` is missing",
            doc.span(last.start, last.end),
            hint=f"echo {' '.join(w.text for w in command.words[1:-1])} > {last.text}",
        )
    return None


def interpret(command: Command, doc: Document, block: Block, state: dict) -> Interpretation:
    """Parse one command with its tool's grammar; what it means, and what is wrong with it."""
    result = Interpretation()
    missing = _sysfs_without_redirect(command, doc)
    if missing is not None:
        result.diagnostics.append(missing)
        return result
    words, netns = _unwrap_netns(command)
    tool = (words[0].value or "").rsplit("/", 1)[-1]
    line = CommandLine(tool, tuple(words[1:]), words[0].start, command.end, command.redirects, words[0])
    module = registry.TOOLS.get(tool)
    if module is None or not registry.accepts(module, line):
        return result
    parsed = module.parse(line)
    for note in parsed.notes:
        if note.message and note.code not in SCRIPT_ONLY:
            result.diagnostics.append(
                diag(note.code, note.message, doc.span(note.start, note.end), hint=note.hint, severity=note.severity)
            )
    if not parsed.ok:
        return result
    result.step = Step(tool, fx.located(parsed.command.effects(), line, netns))
    if getattr(module, "LEGACY", True):
        outcome = parsed.command.modern(Context(_usage(command), Options(), state))
        result.diagnostics += _legacy_finding(command, words, outcome, doc, block)
    return result


def _one_line(text: str, width: int = 100) -> str:
    """A command as one line of a message: a quoted config spanning lines is folded and cut."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


def _legacy_finding(command: Command, words, outcome, doc: Document, block: Block) -> list[Diagnostic]:
    shown = _one_line(" ".join([w.text for w in words] + [r.operator + " " + r.target.text for r in command.redirects if r.target]))
    span = doc.span(words[0].start, command.end)
    out = [
        diag(n.code, n.message, doc.span(n.start, n.end), hint=n.hint, severity=n.severity)
        for n in getattr(outcome, "notes", ())
        if n.message and n.code not in SCRIPT_ONLY
    ]
    if isinstance(outcome, Keep):
        hint = f"modern equivalent: {outcome.suggestion}" if outcome.suggestion else None
        out.append(diag("NS402", f"legacy command: {shown} ({outcome.reason})", span, hint=hint, severity=Severity.WARNING))
        return out
    assert isinstance(outcome, Rewrite)
    edit = fixes.replacement(command, outcome, doc, block) if block.fixable else None
    fix = None
    if edit is not None:
        modern = fixes.shown(outcome, doc)
        fix = fixes.make_fix(edit, f"replace with: {modern}")
    elif fixes.renderable(outcome):  # not fixable here (a filled man paragraph): the same text
        modern = fixes.shown(outcome, doc)
    elif doc.format == "shell":  # a script keeps its $VARS
        modern = show_steps(outcome.steps)
    else:  # a value computed at run time from a placeholder: say what, not how
        modern = outcome.summary.split("->", 1)[-1].strip()
    out.append(
        diag(
            "NS401",
            f"legacy command: {shown}; modern equivalent: {modern}",
            span,
            hint=outcome.hint,
            fix=fix,
        )
    )
    return out
