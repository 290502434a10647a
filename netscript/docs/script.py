"""A shell script as one snippet, read by the shell parser rather than line by line.

Documents are read line by line (prompts, output, continuations); a script is
real shell, where a quoted teamd config spans lines and a command may sit in a
function, a loop or an ``if``. So its commands come from the legacy frontend's
mvdan/sh (shfmt) scan, each with its exact span and how its result is used.

Only the script's own top-level statements are simulated together: a command
inside a branch or a loop may run once, never or many times, so it is checked
on its own (its syntax, its modern equivalent) but never paired with others.
"""

from __future__ import annotations

from ..frontends.legacy import registry
from ..frontends.legacy.shell import Site, scan
from ..frontends.legacy.words import Lit, Word
from .document import Block, Document
from .snippet import TOOLS, Command, Snippet


def _literal(text: str, start: int, end: int) -> Word:
    return Word(text=text, parts=(Lit(text),), start=start, end=end)


def _command(site: Site, tool: str, section: int) -> Command:
    name = site.name
    words = [_literal(tool, name.start, name.end), *site.args]
    if site.netns is not None:
        # shown to the command reader as the `ip netns exec NS ...` it was
        ns = site.netns
        words = [_literal("ip", ns.start, ns.start), _literal("netns", ns.start, ns.start),
                 _literal("exec", ns.start, ns.start), ns, *words]
    end = max([site.end] + [r.target.end for r in site.redirects if r.target])
    return Command(
        words=tuple(words),
        redirects=tuple(site.redirects),
        prompted=False,
        alone=site.standalone,
        piped=not site.standalone,
        prefix="",
        section=section,
        start=name.start,
        end=end,
        usage=site.usage,
    )


def read_script(doc: Document, block: Block) -> Snippet:
    script = scan(doc.text, registry.TOOLS)
    commands, inner = [], 1
    for site in sorted(script.sites, key=lambda s: s.start):
        tool = site.tool
        if tool is None or tool not in TOOLS:
            continue
        if site.top_level:
            section = 0
        else:
            section, inner = inner, inner + 1
        commands.append(_command(site, tool, section))
    return Snippet(block, tuple(commands))
