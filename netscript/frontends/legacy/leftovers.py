"""What a translated script still owes to the legacy tools, besides the commands it rewrote.

Two kinds of finding, both at their own line:

- **Checks for a tool** (``[ -x /sbin/brctl ] || exit 1``, ``which brctl >/dev/null``,
  ``test -x $BRCTL``): once the old tool is uninstalled they fail, and the script
  stops or skips its work although it no longer runs that tool. Reported (NS408)
  whenever no command of that tool is left as written, with a fix that checks for
  ``ip`` instead where the check is that simple.
- **Invocations the translation cannot see as commands**: a tool run through a prefix
  variable or one of the script's own functions (``$DEBUG brctl addbr x``, ``run
  brctl addif ...``), a variable that seems to name a tool but is not set to it
  plainly (``TUNCTL=$BINDIR/tunctl``), a bonding sysfs write whose path is computed,
  a tool in a part of the script the parser could not read. Each is left as
  written and counted as left (NS402), so ``--check`` fails while one remains.
"""

from __future__ import annotations

import os
import re

from ...codes import diag
from ...diagnostics import Diagnostic, Edit, Fix
from . import registry
from .constants import fixed_paths, resolved
from .model import CommandLine
from .shell import Script, Site, tools_in_string
from .words import Var

# How a script checks for a tool, as written, and the same check for ip.
_TEST_X = re.compile(r"(?:\[\s+-[xfe]\s+\S+\s+\]|test\s+-[xfe]\s+\S+)")
_LOOKUP = re.compile(r"(which|command\s+-v|type|hash)\s+(\S+)")
IP_CHECK = "command -v ip >/dev/null"


def guard_findings(script: Script, locator, left_by_tool: dict[str, int], tools) -> list[Diagnostic]:
    """NS408 for every check for a legacy tool of which no command is left as written."""
    out = []
    for tool, start, end in _guards(script, tools):
        if left_by_tool.get(tool):
            continue  # the script still runs it: the check still means something
        written = script.text(start, end)
        fix = _ip_check(written)
        out.append(
            diag(
                "NS408",
                f"the script checks for {tool}, which the translated script no longer runs: once {tool} is uninstalled this check fails",
                locator.span(start, end),
                hint=f"check for ip instead ({fix})" if fix else f"drop the check, or check for ip ({IP_CHECK})",
                fix=Fix(description=f"replace with: {fix}", edits=(Edit(start=start, end=end, text=fix),), safe=False) if fix else None,
            )
        )
    return out


def _guards(script: Script, tools):
    """(tool, start, end) of every check for a tool: the scanner's, and `test -x PATH|$ALIAS` commands."""
    seen = set()
    for g in script.guards:
        seen.add((g.start, g.end))
        yield g.tool, g.start, g.end
    for site in script.sites:
        if site.name.value not in ("test", "[") or (site.start, site.end) in seen:
            continue
        words = [w for w in site.args if w.value != "]"]
        if len(words) != 2 or words[0].value not in ("-x", "-f", "-e"):
            continue
        tool = _tool_named(words[1], script, tools)
        if tool:
            yield tool, site.start, site.end


def _tool_named(word, script: Script, tools) -> str | None:
    """The tool a word names: a path to it, or a variable the script sets to it."""
    if word.value is not None:
        base = os.path.basename(word.value)
        return base if base in tools and (word.value == base or word.value.startswith("/")) else None
    parts = word.parts
    if len(parts) == 1 and isinstance(parts[0], Var):
        return script.aliases.get(parts[0].name)
    return None


def _ip_check(written: str) -> str | None:
    """The same check for ip, when the check is just that (`[ -x /sbin/brctl ]`, `which brctl`)."""
    text = " ".join(written.split())
    if _TEST_X.fullmatch(text):
        return IP_CHECK
    m = _LOOKUP.fullmatch(text)
    if m:
        return f"{m.group(1)} ip"
    return None


def unseen_invocations(script: Script, locator, tools) -> list[Diagnostic]:
    """NS402 for each legacy tool the script runs in a way the translation cannot rewrite."""
    out = []
    paths = fixed_paths(script, script.text(0, len(script.source)))
    for site in script.sites:
        if site.tool is not None and site.tool not in ("echo", "printf"):
            continue
        how = _unseen(site, script, tools, paths)
        if how is None:
            continue
        tool, through = how
        out.append(
            diag(
                "NS402",
                f"left as written ({tool} runs through {through}, which netscript does not rewrite): {_shown(script, site)}",
                locator.span(site.start, site.end),
                hint="use ip link ... type bond there by hand" if tool == BOND_WRITE else f"call {tool}'s modern equivalent there by hand",
            )
        )
    for start, end in script.errors:
        found = sorted(set(tools_in_string(script.text(start, end), tools)))
        if found:
            out.append(
                diag(
                    "NS402",
                    f"left as written: {', '.join(found)} in a part of the script the shell parser could not read",
                    locator.span(start, end),
                )
            )
    return out


# a computed path that names the bonding driver's files (`$SYSFS/$BOND/bonding/$KEY`, `$BONDING_MASTERS`)
BOND_WRITE = "a bonding sysfs write"


def _unseen(site: Site, script: Script, tools, paths) -> tuple[str, str] | None:
    """(tool, how it is run) for a command that runs a legacy tool the scanner did not see."""
    name = site.name
    runner = name.value is None or name.value in script.functions
    if runner and site.args:
        first = site.args[0].value
        base = os.path.basename(first) if first else ""
        if first and base in tools and (first == base or first.startswith("/")):
            return base, f"{name.text}" if name.value is None else f"the function {name.value}"
    if name.value is None and len(name.parts) == 1 and isinstance(name.parts[0], Var):
        var = name.parts[0].name
        named = [t for t in re.split(r"[^a-z0-9]+", var.lower()) if t in tools]
        if named:
            return named[0], f"${var} (not set to it plainly)"
    redirects = resolved(site.redirects, paths, site.start)
    if site.tool in ("echo", "printf") and not registry.TOOLS[site.tool].accepts(CommandLine(site.tool, site.args, site.start, site.end, redirects, name)):
        from .sysfs_bonding import RUNTIME_PATH  # loaded already: accepts is its

        for r in site.redirects:
            if r.writes_stdout and r.target is not None and r.target.value is None and RUNTIME_PATH.search(r.target.text.strip("\"'")):
                return BOND_WRITE, f"the computed path {r.target.text}"
    return None


def _shown(script: Script, site: Site) -> str:
    return " ".join(script.text(site.name.start, site.stmt_end).replace("\\\n", " ").split())
