"""Which sysctl keys the kernel has, read from /proc/sys where the check runs.

A per-interface key (``net.ipv6.conf.LINK.accept_ra``) is looked up under
``conf/default``: the link may not exist yet, and every link gets the keys
``default`` has. A machine without /proc/sys/net (a container without it, a
non-Linux host) cannot say, and then nothing is reported.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from ..ir.routing import Sysctl

PROC_SYS = Path("/proc/sys")


def key_problem(sysctl: Sysctl, root: Path = PROC_SYS) -> tuple[str, str | None] | None:
    """(why the kernel has no such key, a did-you-mean) or None when it has it (or cannot tell)."""
    if not (root / "net").is_dir():
        return None
    parts = list(sysctl.path)
    if sysctl.link is not None:
        parts[3] = "default"
    found = root.joinpath(*parts)
    if found.is_file():
        return None
    if found.is_dir():
        return (f"{sysctl.key} is a group of settings, not one setting", None)
    # the deepest directory that exists, and what is in it, for the did-you-mean
    depth = 0
    while depth < len(parts) - 1 and root.joinpath(*parts[: depth + 1]).is_dir():
        depth += 1
    here = root.joinpath(*parts[:depth])
    names = sorted(p.name for p in here.iterdir()) if here.is_dir() else []
    close = difflib.get_close_matches(parts[depth], names, n=1, cutoff=0.6)
    hint = None
    if close:
        shown = list(sysctl.path[:depth]) + [close[0]]
        hint = "did you mean " + repr(".".join(p.replace(".", "/") for p in shown)) + "?"
    return (f"the kernel has no sysctl {sysctl.key} (no {'/'.join(['/proc/sys', *sysctl.path])})", hint)
