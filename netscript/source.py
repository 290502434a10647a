"""Reading input files: whatever the bytes, a text or one clear diagnostic."""

from __future__ import annotations

import io
import os
import sys
import zlib
from dataclasses import dataclass

from .codes import diag
from .diagnostics import Diagnostic, Span


@dataclass(frozen=True)
class Source:
    path: str
    text: str


class SourceError(Exception):
    """Input that cannot be used at all (exit 2)."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


# The most a gzipped input may hold: man pages are kilobytes; a 99 KB file can
# hold 100 MB of one repeated byte, and reading that whole took gigabytes.
GZIP_LIMIT = 16 * 1024 * 1024


def _gunzip(data: bytes, path: str) -> bytes:
    """The decompressed bytes, read in bounded pieces and refused past GZIP_LIMIT."""
    import gzip  # here: only a gzipped input (a man page) pays for it

    where = Span(path=path, line=1, col=1)
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as f:
            out = f.read(GZIP_LIMIT + 1)
    except (OSError, EOFError, zlib.error) as e:
        raise SourceError(diag("NS102", f"cannot decompress gzip data: {e}", where)) from None
    if len(out) > GZIP_LIMIT:
        raise SourceError(diag("NS102", f"gzip data decompresses to more than {GZIP_LIMIT // (1024 * 1024)} MiB: not a document to check", where))
    return out


def decode(data: bytes, path: str) -> str:
    """UTF-8 text, or a SourceError pointing at the first byte that is not."""
    if data.startswith(b"\x1f\x8b"):
        data = _gunzip(data, path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise SourceError(
            diag("NS102", f"not UTF-8 text: byte 0x{data[e.start]:02x} cannot be decoded", Span(path=path, line=line, col=col))
        ) from None
    nul = text.find("\0")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        col = nul - (text.rfind("\n", 0, nul) + 1) + 1
        raise SourceError(diag("NS102", "binary data (NUL byte) in a text file", Span(path=path, line=line, col=col)))
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def read(path: str) -> Source:
    """Read a file (``-`` is standard input) as text."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        elif os.path.isdir(path):
            raise SourceError(diag("NS101", f"{path}: is a directory", Span(path=path, line=1, col=1)))
        else:
            with open(path, "rb") as f:
                data = f.read()
    except OSError as e:
        raise SourceError(diag("NS101", f"cannot read {path}: {e.strerror or e}", None)) from None
    return Source(path=path, text=decode(data, path))
