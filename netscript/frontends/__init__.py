"""Frontends: every way into the IR.

``load(path)`` picks the frontend for a file and returns the Program with the
diagnostics met while reading it. Frontends register here by file kind; the
CLI never imports a frontend directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic
from ..source import Source, SourceError, read

if TYPE_CHECKING:
    from ..ir.model import Program  # the readers bring it: translating to modern commands needs no IR

__all__ = ["Loaded", "SourceError", "load", "load_source", "register_reader"]


@dataclass
class Loaded:
    program: Program | None  # None: the input could not be used at all
    diagnostics: list[Diagnostic] = field(default_factory=list)
    source: Source | None = None
    fatal: bool = False  # unusable input (syntax error, unreadable): exit 2


def _read_dsl(source: Source) -> Loaded:
    from . import dsl

    try:
        program, diagnostics = dsl.parse(source.text, source.path)
    except dsl.DSLSyntaxError as e:
        return Loaded(None, [e.diagnostic], source, fatal=True)
    return Loaded(program, diagnostics, source)


def _read_shell(source: Source) -> Loaded:
    from .legacy.reader import read_script

    return read_script(source)


# extension -> reader(Source) -> Loaded; other frontends add theirs.
READERS = {".ns": _read_dsl, ".sh": _read_shell, ".bash": _read_shell}


def register_reader(extension: str, reader) -> None:
    READERS[extension] = reader


def reader_for(path: str):
    for ext, reader in READERS.items():
        if path.endswith(ext):
            return reader
    return _read_dsl


def load_source(source: Source) -> Loaded:
    return reader_for(source.path)(source)


def load(path: str) -> Loaded:
    """Read one input file into a Program (never raises for bad input)."""
    try:
        source = read(path)
    except SourceError as e:
        return Loaded(None, [e.diagnostic], None, fatal=True)
    return load_source(source)
