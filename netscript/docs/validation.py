"""A snippet's end state through the spec validator: the rules a spec gets, for documents too.

The commands' effects are replayed into the Program a straight-line script
would leave (the same builder ``translate --to dsl`` uses), and
:func:`netscript.validate.validate` runs over it. Names the snippet uses
without creating are declared as existing ones, so only what the snippet
itself shows can be wrong. Only errors are kept, and only the codes the
simulator (:mod:`.simulate`) does not already judge command by command, with
the same rules (:mod:`netscript.link_rules`) on the links of that moment (it
knows the order: a duplicate after a delete is fine), or that the command
readers report at the value itself (a bad name, a number out of range).
"""

from __future__ import annotations

import dataclasses

from ..diagnostics import Diagnostic, Severity
from ..frontends.legacy.program import Builder
from ..ir.model import Namespace
from ..validate import validate
from .document import Document
from .simulate import Step

# Judged in order by the simulator, or at the word itself by the command readers.
ELSEWHERE = frozenset({
    "NS201", "NS202", "NS203", "NS205", "NS206", "NS208", "NS209", "NS214", "NS224", "NS228",
})  # fmt: skip


def end_state_problems(steps: list[Step], doc: Document) -> list[Diagnostic]:
    builder = Builder(doc.path, doc.span)
    for step in steps:
        for effect in step.effects:
            builder.apply(effect, "")
    try:
        program = builder.program()
    except (KeyError, TypeError, ValueError):  # an end state the builder cannot freeze: the simulator's alone
        return []
    # namespaces it uses without making exist already, as links do
    used = {link.netns for link in program.all_links()} | {
        ref.netns for link in program.all_links() for ref in (link.parent,) if ref is not None
    } | {r.netns for r in program.routes} | {r.netns for r in program.rules} | {s.netns for s in program.sysctls}
    used |= {n.netns for n in program.neighbours}
    declared = {ns.name for ns in program.namespaces}
    missing = tuple(Namespace(name=name) for name in sorted(n for n in used - declared if n is not None))
    program = dataclasses.replace(program, namespaces=program.namespaces + missing)
    return [d for d in validate(program) if d.severity is Severity.ERROR and d.code not in ELSEWHERE]
