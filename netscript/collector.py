"""Python's cyclic garbage collector, paused while a large tree is built and read.

A spec or script of 100,000 statements becomes millions of small objects
(words, spans, IR nodes, diagnostics) with no reference cycle among them, so
the collector's passes over them free nothing; while they were being made,
its passes over everything made so far were a third to a half of the time of
`netscript check`. Memory is freed as before, by reference counting.
"""

from __future__ import annotations

import contextlib
import gc


@contextlib.contextmanager
def paused():
    """The collector off for a while, then as it was before (so pauses can nest)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
