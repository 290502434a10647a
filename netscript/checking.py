"""`netscript check`: read inputs, validate them, report; never touches the system.

Each input is read by what it is (see :mod:`netscript.docs.formats`): a
``.ns`` spec is parsed and validated; a shell script, Markdown,
reStructuredText, a man page or plain text has its network commands checked
(:mod:`netscript.docs`). Directories are searched for the files those
readers are for. Each input gives a :class:`Result`; the CLI prints them
together. ``--fix`` and ``--run`` are the only ways this module writes a
file or touches a (throwaway) network namespace.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from . import collector
from .diagnostics import Diagnostic
from .source import Source

# Below a directory, the files worth reading (named files are always read).
DOCUMENT_SUFFIXES = (".sh", ".bash", ".md", ".markdown", ".rst", ".txt")
_MAN_PAGE = re.compile(r"\.[1-9][a-z]{0,3}(\.gz)?$")


@dataclass
class Result:
    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    source: Source | None = None
    fatal: bool = False
    fixed: int = 0  # edits written by --fix


def _wanted(name: str, readers) -> bool:
    bare = name[:-3] if name.endswith(".gz") else name
    return any(name.endswith(ext) for ext in readers) or bare.endswith(DOCUMENT_SUFFIXES) or bool(_MAN_PAGE.search(name))


def expand(paths) -> list[str]:
    """Files named, and the files with a known extension below directories named."""
    from .frontends import READERS

    out = []
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if _wanted(name, READERS):
                        out.append(os.path.join(root, name))
        else:
            out.append(path)
    return out


def check_file(path: str, *, fix: bool = False, run: bool = False) -> Result:
    with collector.paused():
        return _check_file(path, fix=fix, run=run)


def _check_file(path: str, *, fix: bool, run: bool) -> Result:
    from .docs.formats import detect
    from .frontends import load_source
    from .source import SourceError, read

    try:
        source = read(path)
    except SourceError as e:
        return Result(path, [e.diagnostic], None, fatal=True)
    fmt = detect(path, source.text)
    if fmt == "dsl":
        from .validate import validate

        loaded = load_source(source)
        result = Result(path, list(loaded.diagnostics), loaded.source, loaded.fatal)
        if loaded.program is not None:
            result.diagnostics += validate(loaded.program)
        return result

    from .docs.checker import check_document

    result = Result(path, check_document(source, fmt), source)
    if run:
        from .docs.run import run_document

        result.diagnostics += run_document(source, fmt)
    if fix and path != "-":
        from .docs.fix import fix_file

        result.fixed = fix_file(path, result.diagnostics)
    return result


def check_paths(paths, *, fix: bool = False, run: bool = False) -> list[Result]:
    return [check_file(p, fix=fix, run=run) for p in expand(paths)]
