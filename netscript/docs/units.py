"""Unit traps: bridge timers given to ``ip`` as if they were seconds.

``brctl setfd br0 4`` means four seconds; ``ip link set br0 type bridge
forward_delay 4`` means four *centiseconds*, and with STP on the kernel
refuses it. iproute2's own man page says "seconds". A bare number that is a
sensible timer in seconds and a senseless one in centiseconds is almost
certainly that mistake.
"""

from __future__ import annotations

from ..codes import diag
from ..diagnostics import Diagnostic
from .document import Document
from .snippet import Command

# timer -> the range (in seconds) a person means when writing seconds
SECONDS_RANGE = {
    "forward_delay": (2, 30),  # STP: 2-30 s
    "hello_time": (1, 10),
    "max_age": (6, 40),
    # brctl's default is 300 s; 1000 (10 s) is a plausible deliberate value in centiseconds
    "ageing_time": (10, 600),
}


def timer_traps(command: Command, doc: Document) -> list[Diagnostic]:
    """Warnings for ``ip link add|set ... type bridge TIMER N`` with N in seconds' range."""
    values = [w.value for w in command.words]
    if command.tool != "ip" or "type" not in values:
        return []
    at = values.index("type")
    if values[at + 1 : at + 2] != ["bridge"]:
        return []
    out = []
    words = command.words
    for i in range(at + 2, len(words) - 1):
        key, value = values[i], values[i + 1]
        if key in SECONDS_RANGE and value is not None and value.isdigit():
            n = int(value, 10)
            low, high = SECONDS_RANGE[key]
            if low <= n <= high:
                out.append(
                    diag(
                        "NS604",
                        f"{key} {n} is {n} centiseconds ({n / 100:g} s) to ip, not {n} s",
                        doc.span(words[i + 1].start, words[i + 1].end),
                        hint=f"ip takes centiseconds: write {key} {n * 100} for {n} s",
                    )
                )
    return out
