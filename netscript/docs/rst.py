"""reStructuredText: literal blocks and code directives.

- ``.. code-block:: LANG`` / ``.. code:: LANG`` / ``.. sourcecode:: LANG``:
  the indented body after the directive's options;
- a paragraph ending in ``::`` (or a lone ``::``): the indented block after
  it, tagged with the language of the last ``.. highlight::`` (none by
  default);
- the same shell tags as Markdown are read, ``netscript`` as the DSL;
- a comment ``.. netscript-check: skip`` just before a block skips it.
"""

from __future__ import annotations

import re

from .document import Block, Document, Line
from .formats import SHELL_TAGS, is_skip_marker

_DIRECTIVE = re.compile(r"^(\s*)\.\.\s+(code-block|code|sourcecode)::\s*(\S*)")
_HIGHLIGHT = re.compile(r"^\s*\.\.\s+highlight::\s*(\S*)")
_OTHER_DIRECTIVE = re.compile(r"^\s*\.\.\s+[\w:-]+::")


def _indent(text: str) -> int:
    return len(text.expandtabs(8)) - len(text.expandtabs(8).lstrip())


def blocks(doc: Document) -> list[Block]:
    lines = doc.lines()
    out: list[Block] = []
    default_language = ""
    previous = ""
    i = 0
    while i < len(lines):
        text = lines[i].text
        m_high = _HIGHLIGHT.match(text)
        m_dir = _DIRECTIVE.match(text)
        if m_high:
            default_language = m_high.group(1).lower()
        elif m_dir:
            base = _indent(text)
            language = m_dir.group(3).lower()
            i += 1
            # directive options (:linenos:, :caption: ...) come first
            while i < len(lines) and lines[i].text.strip().startswith(":") and _indent(lines[i].text) > base:
                i += 1
            body, i = _indented_body(lines, i, base)
            if not is_skip_marker(previous) and (language in SHELL_TAGS or language == "netscript"):
                out.append(Block(tuple(body), kind="code", language=language))
            previous = text
            continue
        elif text.rstrip().endswith("::") and not _OTHER_DIRECTIVE.match(text):
            base = _literal_base(lines, i)
            body, j = _indented_body(lines, i + 1, base)
            if body:
                if not is_skip_marker(previous) and default_language in SHELL_TAGS | {"netscript"}:
                    out.append(Block(tuple(body), kind="code", language=default_language))
                i = j
                previous = text
                continue
        if text.strip():
            previous = text
        i += 1
    return out


def _literal_base(lines: list[Line], i: int) -> int:
    """The indentation of the paragraph that introduces a literal block (its first line's)."""
    j = i
    while j > 0 and lines[j - 1].text.strip() and _indent(lines[j - 1].text) == _indent(lines[i].text):
        j -= 1
    return _indent(lines[j].text)


def _indented_body(lines: list[Line], i: int, base: int) -> tuple[list[Line], int]:
    """The lines indented deeper than ``base`` from ``i`` on (blank lines inside kept)."""
    body: list[Line] = []
    while i < len(lines) and not lines[i].text.strip():
        i += 1
    while i < len(lines):
        text = lines[i].text
        if text.strip() and _indent(text) <= base:
            break
        body.append(lines[i])
        i += 1
    while body and not body[-1].text.strip():
        body.pop()
    return body, i
