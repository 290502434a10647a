"""Variables a script sets once to a fixed path: ``SYSFS=/sys/class/net``, ``BONDING_MASTERS=$SYSFS/bonding_masters``.

``echo "+$BOND" > "$BONDING_MASTERS"`` writes the bonding driver's file when
the variable can only hold that path: it is set by one statement of the script
itself (not in a function, a branch or a loop), to text that expands to the
same thing every time, before the write, and nowhere else (no other
assignment, ``read``, ``for``, ``${X:=...}``, ``unset`` or ``export``).
"""

from __future__ import annotations

import dataclasses
import re

from .shell import Assignment, Redirect, Script
from .words import Lit, Var


def fixed_paths(script: Script, source: str) -> dict[str, tuple[str, int]]:
    """Variable -> (the path it holds, where it is set), for the variables set once to a fixed path."""
    out: dict[str, tuple[str, int]] = {}
    for item in script.top_level:
        if not isinstance(item, Assignment) or item.value is None or not _set_once(item.name, source):
            continue
        parts = []
        for p in item.value.parts:
            if isinstance(p, Lit):
                parts.append(p.value)
            elif isinstance(p, Var) and p.name in out:
                parts.append(out[p.name][0])
            else:
                break
        else:
            value = "".join(parts)
            if value.startswith("/") and not re.search(r"[\s*?\[]", value):
                out[item.name] = (value, item.start)
    return out


def _set_once(name: str, source: str) -> bool:
    n = re.escape(name)
    assignments = re.findall(rf"(?<![\w$]){n}\+?=", source)
    others = re.search(rf"\b(?:for|read|unset|export|local|declare|typeset|readonly)\b[^\n;]*(?<![\w$]){n}\b|\$\{{{n}:?[=?]", source)
    return len(assignments) == 1 and others is None


def resolved(redirects: tuple[Redirect, ...], paths: dict[str, tuple[str, int]], at: int) -> tuple[Redirect, ...]:
    """The redirections with each variable holding a fixed path (set before ``at``) replaced by the path."""
    out = []
    for r in redirects:
        target = r.target
        if target is not None and any(isinstance(p, Var) and p.name in paths and paths[p.name][1] < at for p in target.parts):
            parts = tuple(Lit(paths[p.name][0]) if isinstance(p, Var) and p.name in paths and paths[p.name][1] < at else p for p in target.parts)
            r = dataclasses.replace(r, target=dataclasses.replace(target, parts=parts))
        out.append(r)
    return tuple(out)
