"""``--fix``: legacy commands in code blocks replaced by their modern form, nothing else touched.

A fix is one :class:`~netscript.diagnostics.Edit` over the bytes of the
command itself (from its tool word, ``/usr/sbin/`` included, to its last
argument): the prompt, ``sudo``, indentation and every byte around it stay.
When the modern form is several commands, each goes on a line of its own
that repeats the original line's lead (``$ sudo ``), or, when the command
shares its line with others, they are joined with ``&&``. Arguments are
carried over as written (``<dev>``, ``$BR``), so placeholders survive.

Files are rewritten atomically, gzip and a byte-order mark kept.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass

from ..atomic import atomic_write
from ..diagnostics import Edit, Fix
from ..frontends.legacy.modern import Cmd, Shell, Text, render_piece
from .document import Block, Document
from .snippet import Command, starts_list_item


def _render_step(step, doc: Document, escape) -> str | None:
    if not isinstance(step, Cmd):
        return None  # an idempotent check-then-create: not what a document shows
    words = []
    for arg in step.args:
        out = []
        for piece in arg.pieces:
            if isinstance(piece, Text):
                out.append(escape(render_piece(piece)))
            elif isinstance(piece, Shell) and piece.start is not None and piece.end is not None:
                out.append(doc.slice(piece.start, piece.end))
            elif isinstance(piece, Shell) and _quotes_only(piece.text):
                out.append(piece.text)  # the quotes around a name carried from a quoted path
            else:
                return None  # shell text computed at run time (a unit conversion of a placeholder)
        words.append("".join(out))
    return " ".join(words)


def _quotes_only(text: str) -> bool:
    return bool(text) and not text.strip("\"'")


def _computed(piece) -> bool:
    return isinstance(piece, Shell) and piece.start is None and not _quotes_only(piece.text)


def renderable(rewrite) -> bool:
    """Whether the modern commands are plain commands with words as written (no run-time shell)."""
    for step in rewrite.steps:
        if not isinstance(step, Cmd):
            return False
        for arg in step.args:
            if any(_computed(p) for p in arg.pieces):
                return False
    return True


def is_test(step) -> bool:
    """A step that only tests (``[ -d /sys/class/net/bond0/bonding ]`` before a delete): it guards the next."""
    words = step.words if isinstance(step, Cmd) else None
    if not words:
        return False
    return words[0] in ("[", "test") or (words[0] == "grep" and "-qx" in words)


def _lines(rendered: list[str], steps) -> list[str]:
    """The commands a reader types, one per line: a test and the command it guards on one line (``&&``)."""
    out: list[str] = []
    glue = False
    for text, step in zip(rendered, steps):
        if glue:
            out[-1] += " && " + text
        else:
            out.append(text)
        glue = is_test(step)
    return out


def replacement(command: Command, rewrite, doc: Document, block: Block) -> Edit | None:
    """The edit that puts the modern commands where the legacy one is, or None.

    The edit's text is the document's (roff-escaped in a man page, one
    command per line after the line's prompt); :func:`shown` is for messages.
    """
    from . import man

    escape = man.escape if doc.format == "man" else (lambda s: s)
    steps = [_render_step(s, doc, escape) for s in rewrite.steps]
    plain = [r for r in steps if r is not None]
    if not steps or len(plain) < len(steps):
        return None
    rendered = _lines(plain, rewrite.steps)
    start = command.words[0].start
    end = max(w.end for w in command.words)
    absorbs = getattr(rewrite, "absorbs", None)  # `echo +eth0 > .../slaves`: the write is the command
    kept = []
    if absorbs is not None:
        end = max([end] + [r.end for r in command.redirects if r.start == absorbs])
        kept = [doc.slice(r.start, r.end) for r in command.redirects if r.start != absorbs and r.start < end]
        rendered = [" ".join([r, *kept]) if r else r for r in rendered] if kept and len(rendered) == 1 else rendered
        if kept and len(rendered) > 1:
            return None
    if len(rendered) == 1:
        text = rendered[0]
    elif command.alone and not starts_list_item(command.prefix):  # `1. a && b`, not two items numbered 1
        line_start = doc.data.rfind(b"\n", 0, start) + 1
        prefix = doc.slice(line_start, start)
        if prefix.strip() and block.filled:
            return None
        joiner = "\n.br\n" if block.filled else "\n" + prefix
        text = joiner.join(rendered)
    else:
        text = " && ".join(rendered)
    return Edit(start=start, end=end, text=text)


def shown(rewrite, doc: Document) -> str:
    """The modern commands on one line, as a message shows them."""
    return "; ".join(_lines([_render_step(s, doc, lambda t: t) or "" for s in rewrite.steps], rewrite.steps))


def make_fix(edit: Edit, description: str) -> Fix:
    return Fix(description=description, edits=(edit,), safe=True)


def apply_edits(data: bytes, edits) -> bytes:
    """Apply non-overlapping edits (byte offsets); an edit overlapping an earlier one is dropped."""
    out, at = [], 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if e.start < at:
            continue
        out.append(data[at : e.start])
        out.append(e.text.encode("utf-8"))
        at = e.end
    out.append(data[at:])
    return b"".join(out)


def fixable(diagnostics) -> list:
    """The findings whose fixes can all be applied together, in document order.

    A finding's edits go in together or not at all; one that overlaps an
    edit already taken (two findings about one command) is left out.
    """
    taken: list[tuple[int, int]] = []
    out = []
    for d in sorted((d for d in diagnostics if d.fix and d.fix.safe and d.fix.edits), key=lambda d: min(e.start for e in d.fix.edits)):
        spans = [(e.start, e.end) for e in d.fix.edits]
        if any((s < te and ts < e) or s == ts for s, e in spans for ts, te in taken):
            continue
        taken += spans
        out.append(d)
    return out


@dataclass
class Fixed:
    """A document with its fixes applied (in memory): what changed and which findings it settles."""

    before: str
    after: str
    applied: list


def fixed_text(text: str, diagnostics) -> Fixed:
    """``text`` (a document as read, byte-order mark and gzip already removed) with the safe fixes applied."""
    applied = fixable(diagnostics)
    data = text.encode("utf-8")
    new = apply_edits(data, [e for d in applied for e in d.fix.edits]) if applied else data
    return Fixed(text, new.decode("utf-8"), applied)


def fix_file(path: str, diagnostics) -> int:
    """Apply the fixes of ``diagnostics`` to ``path``; the number of edits made."""
    return sum(len(d.fix.edits) for d in write_fixes(path, diagnostics))


def write_fixes(path: str, diagnostics) -> list:
    """Apply the safe fixes of ``diagnostics`` to the file ``path``; the findings fixed.

    The file is rewritten atomically, its gzip compression and byte-order mark kept,
    and not at all when there is nothing to fix.
    """
    applied = fixable(diagnostics)
    if not applied:
        return []
    with open(path, "rb") as f:
        raw = f.read()
    zipped = raw.startswith(b"\x1f\x8b")
    data = gzip.decompress(raw) if zipped else raw
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    new = bom + apply_edits(data[len(bom) :], [e for d in applied for e in d.fix.edits])
    if zipped:
        new = gzip.compress(new, mtime=0)
    atomic_write(path, new)
    return applied
