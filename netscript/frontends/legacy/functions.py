"""Where the script's function bodies are: their commands run when called, not where written.

Read from the syntax tree that :func:`.syntax.parse` gives (the scanner's sites say
which statement lists hold a command, not whether one of them is a function's body).
"""

from __future__ import annotations

from . import syntax


def function_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) byte offsets of every function definition in ``text``."""
    return [(node["Pos"], node["End"]) for node in syntax.parse(text).of_kind("FuncDecl")]


def in_function(spans, start: int) -> bool:
    return any(s <= start < e for s, e in spans)


def function_of(spans, start: int) -> tuple[int, int] | None:
    """The innermost function definition holding ``start`` (None: not in one)."""
    holding = [(s, e) for s, e in spans if s <= start < e]
    return max(holding, default=None)
