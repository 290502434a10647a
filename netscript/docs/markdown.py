"""Markdown: fenced and indented code blocks.

Fences (```` ``` ```` or ``~~~``, any indentation, so blocks inside list items
count) carry a tag; shell-ish tags and untagged fences are read as commands,
``netscript`` fences as the DSL, everything else (python, yaml, ini...) is
skipped. An indented block (four spaces or a tab after a blank line) is an
untagged code block. Outside code, a list item whose text is a command its
tool's parser reads cleanly (``1. brctl addbr br0``) is read too, but not
rewritten by ``--fix``. A ``<!-- netscript-check: skip -->`` comment just
before a block skips it.
"""

from __future__ import annotations

import re

from .document import Block, Document, Line
from .formats import SHELL_TAGS, is_skip_marker
from .snippet import list_marker

_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*\{?\.?([^\s`{}]*)")


def blocks(doc: Document) -> list[Block]:
    lines = doc.lines()
    out: list[Block] = []
    i = 0
    previous = ""  # the last non-blank line before the current one
    while i < len(lines):
        text = lines[i].text
        m = _FENCE.match(text)
        if m:
            fence, tag = m.group(2), m.group(3).lower()
            body = []
            i += 1
            while i < len(lines):
                close = lines[i].text.strip()
                if close.startswith(fence[0] * len(fence)) and not close.strip(fence[0]):
                    break
                body.append(lines[i])
                i += 1
            i += 1
            if not is_skip_marker(previous) and (tag in SHELL_TAGS or tag == "netscript"):
                out.append(Block(tuple(body), kind="code", language=tag))
            previous = text
            continue
        if _indented(text) and not previous_is_paragraph(lines, i):
            body = []
            while i < len(lines) and (_indented(lines[i].text) or not lines[i].text.strip()):
                body.append(lines[i])
                i += 1
            while body and not body[-1].text.strip():
                body.pop()
            if not is_skip_marker(previous):
                out.append(Block(tuple(body), kind="code"))
            previous = body[-1].text if body else previous
            continue
        if list_marker(text) and not is_skip_marker(previous):
            # `1. ip link add ...` in a list, no code markup: commands, not code to rewrite
            items = []
            while i < len(lines) and list_marker(lines[i].text):
                items.append(lines[i])
                i += 1
            out.append(Block(tuple(items), kind="text", fixable=False))
            previous = items[-1].text
            continue
        if text.strip():
            previous = text
        i += 1
    return out


def _indented(text: str) -> bool:
    return text.startswith(("    ", "\t")) and bool(text.strip())


def previous_is_paragraph(lines: list[Line], i: int) -> bool:
    """An indented line right after a text line continues that paragraph (lazy continuation)."""
    return i > 0 and bool(lines[i - 1].text.strip())
