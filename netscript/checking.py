"""`netscript check`: read inputs, validate them, report; never touches the system.

Directories are searched for the files a reader is registered for. Each
input gives a :class:`Result`; the CLI prints them together.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from .diagnostics import Diagnostic
from .source import Source


@dataclass
class Result:
    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    source: Source | None = None
    fatal: bool = False


def expand(paths) -> list[str]:
    """Files named, and the files with a known extension below directories named."""
    from .frontends import READERS

    out = []
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if any(name.endswith(ext) for ext in READERS):
                        out.append(os.path.join(root, name))
        else:
            out.append(path)
    return out


def check_file(path: str) -> Result:
    from .frontends import load
    from .validate import validate

    loaded = load(path)
    result = Result(path, list(loaded.diagnostics), loaded.source, loaded.fatal)
    if loaded.program is not None:
        result.diagnostics += validate(loaded.program)
    return result


def check_paths(paths) -> list[Result]:
    return [check_file(p) for p in expand(paths)]
