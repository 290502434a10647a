"""Branches of a script that run on another system: left as they are.

A portable script picks its commands by platform::

    case "$(uname)" in
        Linux)   ifconfig eth0 up ;;
        FreeBSD) ifconfig em0 up ;;     # FreeBSD's own ifconfig: not legacy there
    esac

A ``case`` whose patterns name systems other than Linux (FreeBSD, Darwin, OSX, *BSD,
SunOS...) is a platform switch, whatever its word (``$(uname)``, ``$(uname -s)``,
``"$OS"``). The bodies of its items whose every pattern names another system never
run on Linux, so their commands stay as written; so does a ``*)`` default when another
item of the case is for Linux. An item that also matches Linux runs here and is
translated as usual.

This reads the syntax tree that :func:`.syntax.parse` gives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import syntax

# Pattern words naming systems other than Linux (uname -s values and common spellings),
# matched as the whole pattern but for globs, quotes and a version (`darwin*`, `MINGW32*`).
OTHER_SYSTEMS = re.compile(
    r"(?:free|open|net)?bsd|dragonfly|darwin|osx|macos|sunos|solaris|illumos|aix|hp-?ux|irix"
    r"|(?:cygwin|mingw|msys)(?:nt)?|windows(?:nt)?|win|haiku|minix|qnx",
    re.IGNORECASE,
)
LINUX = re.compile(r"(?:gnu/)?linux\w*", re.IGNORECASE)  # Linux, linux-gnu ($OSTYPE), GNU/Linux
_GLOB_OR_VERSION = re.compile(r"[*?\[\]\"'0-9._-]")


@dataclass(frozen=True)
class Branch:
    """The body of a case item that runs only on other systems."""

    start: int
    end: int
    patterns: str  # as written (`FreeBSD|*BSD`)


def _kind(pattern: str) -> str:
    """'linux', 'other' (another system), 'any' (a bare glob) or 'unknown' for one case pattern."""
    bare = _GLOB_OR_VERSION.sub("", pattern)
    if LINUX.fullmatch(bare):
        return "linux"
    if OTHER_SYSTEMS.fullmatch(bare):
        return "other"
    if not bare and pattern.strip("\"'") and set(pattern.strip("\"'")) <= set("*?"):
        return "any"
    return "unknown"


def other_system_branches(text: str) -> list[Branch]:
    """The case-item bodies of ``text`` that run only on systems other than Linux."""
    src = text.encode("utf-8")
    found: list[Branch] = []
    for node in syntax.parse(text).of_kind("CaseClause"):
        items = []
        for item in node.get("Items") or ():
            patterns = item.get("Patterns") or []
            if not patterns:
                continue
            close = src.find(b")", patterns[-1]["End"])  # the `)` after the last pattern
            if close < 0:
                continue
            kinds = {_kind(src[p["Pos"] : p["End"]].decode("utf-8", "replace")) for p in patterns}
            written = src[item["Pos"] : close].decode("utf-8", "replace").strip()
            items.append((kinds, close + 1, item["End"], written))
        if not any(kinds == {"other"} for kinds, *_ in items):
            continue  # not a platform switch
        has_linux = any("linux" in kinds for kinds, *_ in items)
        for kinds, start, end, written in items:
            if kinds == {"other"} or (kinds == {"any"} and has_linux):
                found.append(Branch(start, end, written))
    return found


def branch_of(branches: list[Branch], start: int) -> Branch | None:
    """The other-system branch a command starting at ``start`` is in, if any."""
    return next((b for b in branches if b.start <= start < b.end), None)
