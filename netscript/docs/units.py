"""Unit traps: bridge timers given to ``ip`` as if they were seconds.

``brctl setfd br0 4`` means four seconds; ``ip link set br0 type bridge
forward_delay 4`` means four *centiseconds*, and with STP on the kernel
refuses it. iproute2's own man page says "seconds". A bare number that is a
sensible timer in seconds and a senseless one in centiseconds is almost
certainly that mistake.
"""

from __future__ import annotations

from .. import kinds
from ..codes import diag
from ..diagnostics import Diagnostic
from ..kinds import bridge
from .document import Document
from .snippet import Command


def _seconds(codec) -> tuple[int, int]:
    return codec.low_cs // 100, codec.high_cs // 100


# timer -> the range (in seconds) a person means when writing seconds: the
# kernel's own STP limits (kinds/bridge.py), read as seconds
SECONDS_RANGE = {
    "forward_delay": _seconds(bridge.STP_FORWARD_DELAY),
    "hello_time": _seconds(bridge.HELLO_TIME),
    "max_age": _seconds(bridge.MAX_AGE),
    # brctl's default is 300 s; 1000 (10 s) is a plausible deliberate value in centiseconds
    "ageing_time": (10, 600),
}
SETTINGS = kinds.settings(bridge.BridgeOptions)


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
            # where the kernel refuses the value as centiseconds, the command's reader
            # reports the error (NS202, with the same hint); the trap is the value it takes
            if low <= n <= high and SETTINGS[key][1].codec.check(n) is None:
                out.append(
                    diag(
                        "NS604",
                        f"{key} {n} is {n} centiseconds ({n / 100:g} s) to ip, not {n} s",
                        doc.span(words[i + 1].start, words[i + 1].end),
                        hint=f"ip takes centiseconds: write {key} {n * 100} for {n} s",
                    )
                )
    return out
