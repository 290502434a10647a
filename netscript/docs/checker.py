"""Check one document: find its blocks, read their commands, report what is wrong."""

from __future__ import annotations

from ..diagnostics import Diagnostic, sort_key
from ..source import Source
from . import dsl_blocks, formats, man, markdown, plaintext, rst
from . import snippet as snippets
from .commands import interpret
from .document import Block, Document
from .script import read_script
from .simulate import simulate
from .units import timer_traps
from .validation import end_state_problems

EXTRACTORS = {
    "markdown": markdown.blocks,
    "rst": rst.blocks,
    "man": man.blocks,
    "text": plaintext.blocks,
    "shell": plaintext.script_blocks,
}


def document_of(source: Source, fmt: str | None = None) -> Document:
    return Document(source.path, source.text, fmt or formats.detect(source.path, source.text))


def blocks_of(doc: Document) -> list[Block]:
    return EXTRACTORS[doc.format](doc)


def snippet_of(block: Block, doc: Document) -> snippets.Snippet:
    """The commands of a block: a shell script's by the shell parser, others' line by line."""
    if doc.format == "shell":
        return read_script(doc, block)
    return snippets.read(block)


def check_snippet(block: Block, doc: Document) -> list[Diagnostic]:
    if block.language == "netscript":
        return dsl_blocks.check(block, doc)
    snippet = snippet_of(block, doc)
    out: list[Diagnostic] = []
    state: dict = {}  # what one command leaves for the next (vconfig's name type)
    recipes: dict[int, list] = {}
    for command in snippet.commands:
        found = interpret(command, doc, block, state)
        out += found.diagnostics
        out += timer_traps(command, doc)
        if found.step is not None:
            recipes.setdefault(command.section, []).append(found.step)
    for steps in recipes.values():
        out += simulate(steps, doc)
        out += end_state_problems(steps, doc)
    return out


def check_document(source: Source, fmt: str | None = None) -> list[Diagnostic]:
    """Every finding in one document, in document order."""
    doc = document_of(source, fmt)
    out: list[Diagnostic] = []
    for block in blocks_of(doc):
        out += check_snippet(block, doc)
    return sorted(_unique(out), key=sort_key)


def _unique(diagnostics):
    seen = set()
    for d in diagnostics:
        key = (d.code, d.message, d.span)
        if key not in seen:
            seen.add(key)
            yield d
