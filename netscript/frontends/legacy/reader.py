"""A straight-line shell script (legacy tools and/or iproute2) -> a Program.

What lets ``netscript check old.sh``, ``netscript apply old.sh`` and
``netscript translate --to dsl`` treat a script as a spec. Only a straight
line of commands has one end state: any ``if``, loop, function, pipeline or
``&&`` list (``CMD || true`` aside) makes the script say *why* it cannot
become a spec, at the construct. Variables the script sets to literals
(``BR=br0``) are followed; any other ``$VAR`` is an error.
"""

from __future__ import annotations

import dataclasses

from ...codes import diag
from ...diagnostics import Diagnostic
from ...source import Source
from .. import Loaded
from . import registry
from .model import CommandLine, Context, Locator, Options
from .program import Builder
from .shell import Assignment, Flow, Site, scan
from .words import Lit, Word

# Commands a network script runs that change nothing a spec describes.
HARMLESS = frozenset(
    {"set", "echo", "printf", "true", ":", "sleep", "modprobe", "logger", "exit", "export", "udevadm", "sync", "wait", "shift", "umask", "cd"}
)


def read_script(source: Source, options: Options | None = None) -> Loaded:
    """Read a shell script as a spec (never raises for bad input)."""
    options = options or Options()
    script = scan(source.text, registry.TOOLS)
    locator = Locator(source.path, script.source)
    diagnostics: list[Diagnostic] = []
    if script.errors:
        start, end = script.errors[0]
        hint = "the script has CR LF line ends, and bash reads a CR as part of a word (`do\\r`): convert it with dos2unix" if "\r\n" in source.text else None
        return Loaded(None, [diag("NS103", "the shell parser cannot read this part of the script", locator.span(start, end), hint=hint)], source, fatal=True)
    flows = [item for item in script.top_level if isinstance(item, Flow)]
    if flows:
        first = flows[0]
        more = f" (and {len(flows) - 1} more)" if len(flows) > 1 else ""
        diagnostics.append(
            diag(
                "NS409",
                f"control flow here ({first.what}){more}: only a straight-line script has one end state a spec can declare",
                locator.span(first.start, first.end),
                hint="use `netscript translate` to modernise the commands in place, or write the spec by hand",
            )
        )
        return Loaded(None, diagnostics, source)
    builder = Builder(source.path, locator.span)
    env: dict[str, str] = {}
    context = Context(options=options)
    ok = True
    for item in script.top_level:
        if isinstance(item, Assignment):
            value = item.value.resolve(env) if item.value is not None else ""
            if value is None:
                env.pop(item.name, None)
            else:
                env[item.name] = value
            continue
        ok &= _command(item, env, context, builder, locator, diagnostics)
    diagnostics += [locator.diagnostic(n) for n in builder.notes]
    if not ok:
        return Loaded(None, diagnostics, source)
    return Loaded(builder.program(), diagnostics, source)


def _command(site: Site, env, context, builder: Builder, locator: Locator, out: list) -> bool:
    words = [_resolved(w, env) for w in (site.name, *site.args)]
    unknown = next((w for w in words if w.value is None), None)
    if unknown is not None:
        names = ", ".join(sorted({f"${p.name}" for p in unknown.parts if hasattr(p, "name")})) or unknown.text
        out.append(diag("NS414", f"{names}: the script does not set it, so a spec cannot know its value", locator.span(unknown.start, unknown.end)))
        return False
    name = words[0].value
    assert name is not None  # every word's value is known here (checked above)
    tool = site.tool or _tool_of(name)
    line = CommandLine(tool or name, tuple(words[1:]), site.start, site.end, site.redirects, words[0])
    module = registry.module_for(line) if tool else None
    if module is None:
        if words[0].value not in HARMLESS:
            text = locator.source[site.start : site.end].decode("utf-8", "replace")
            builder.apply(_located_unexpressible(site, f"{words[0].value} is not a network command netscript knows"), text)
        return True
    parsed = module.parse(line)
    out += [locator.diagnostic(n) for n in parsed.notes if n.message]
    if not parsed.ok:
        return not any(n.severity is None and n.code in ("NS403", "NS404", "NS405", "NS412") for n in parsed.notes)
    netns = site.netns.resolve(env) if site.netns is not None else None
    text = locator.source[site.start : site.end].decode("utf-8", "replace")
    context.blocks, context.statement_of = site.blocks, site.statement_of
    for effect in parsed.command.effects(context):
        effect = dataclasses.replace(effect, start=site.start, end=site.end, netns=effect.netns if effect.netns is not None else netns)
        builder.apply(effect, text)
    return True


def _resolved(word: Word, env) -> Word:
    value = word.resolve(env)
    if value is None or word.is_literal:
        return word
    return dataclasses.replace(word, parts=(Lit(value),), splits=False)


def _tool_of(value: str | None) -> str | None:
    from .shell import tool_of

    return tool_of(value, registry.TOOLS)


def _located_unexpressible(site: Site, reason: str):
    from .effects import Unexpressible

    return Unexpressible(reason, start=site.start, end=site.end)
