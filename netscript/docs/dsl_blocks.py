"""netscript DSL blocks in documentation (fence or code-block tag ``netscript``).

The block is read and validated like a ``.ns`` file; positions are mapped
back into the document. A block is an excerpt, so names it refers to without
declaring them (ports, parents, namespaces) are assumed to exist, as for
command snippets: NS204 is not reported.
"""

from __future__ import annotations

import dataclasses

from ..diagnostics import Diagnostic, Span
from .document import Block, Document

ASSUMED_TO_EXIST = frozenset({"NS204"})


def _remap(span: Span | None, block: Block, doc: Document) -> Span | None:
    if span is None:
        return None
    lines = block.lines

    def at(line: int, col: int) -> int:
        line = min(max(line, 1), len(lines))
        return lines[line - 1].origin(col - 1)

    start = at(span.line, span.col)
    if span.end_line is None or span.end_col is None:
        return doc.span(start)
    return doc.span(start, at(span.end_line, span.end_col))


def check(block: Block, doc: Document) -> list[Diagnostic]:
    from ..frontends import dsl
    from ..validate import validate

    text = "\n".join(line.text for line in block.lines) + "\n"
    try:
        program, found = dsl.parse(text, doc.path)
    except dsl.DSLSyntaxError as e:
        found, program = [e.diagnostic], None
    if program is not None:
        found = list(found) + [d for d in validate(program) if d.code not in ASSUMED_TO_EXIST]
    return [dataclasses.replace(d, span=_remap(d.span, block, doc)) for d in found]
