"""How each old tool reads a number, so a translation sets exactly what the tool set.

The traps live here:

- brctl reads timers with ``sscanf("%lf")`` as seconds (``2.5``, ``1e2``,
  ``0x10``, trailing junk ignored) and hands the kernel centiseconds computed
  through a ``struct timeval``, truncating twice; ``ip`` wants centiseconds.
- brctl reads priorities and costs with ``sscanf("%i")``: ``010`` is octal,
  ``0x20`` hex. The kernel keeps the low 16 bits of a bridge priority.
- ``ip`` reads numbers with ``strtoul(..., 0)``: ``010`` is 8. A translation
  therefore always writes canonical decimal numbers.
- vconfig, ifconfig and tunctl read decimal (``atoi``/``strtoul(..., 10)``).
"""

from __future__ import annotations

import math
import re

_C_INT = re.compile(r"\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)")
_C_FLOAT = re.compile(
    r"\s*[+-]?(?:"
    r"0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?[0-9]+)?"
    r"|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
    r"|inf(?:inity)?|nan"
    r")",
    re.IGNORECASE,
)
_DECIMAL = re.compile(r"\s*([+-]?[0-9]+)")


def scanf_int(text: str) -> int | None:
    """What ``sscanf(text, "%i")`` stores: the longest integer prefix, base from its prefix."""
    m = _C_INT.match(text)
    if not m:
        return None
    sign, digits = m.groups()
    value = int(digits, 16) if digits[:2].lower() == "0x" else int(digits, 8) if digits.startswith("0") else int(digits)
    return -value if sign == "-" else value


def scanf_double(text: str) -> float | None:
    """What ``sscanf(text, "%lf")`` stores (glibc strtod: decimal, hex floats, inf, nan)."""
    m = _C_FLOAT.match(text)
    if not m:
        return None
    token = m.group(0).strip()
    body = token.lstrip("+-")
    if body[:2].lower() == "0x":
        value = float.fromhex(token)
    else:
        value = float(token)
    return value


def brctl_centiseconds(seconds: float) -> int | None:
    """The centiseconds brctl writes for a timer of ``seconds`` (None: not a usable time).

    brctl fills a ``struct timeval`` (``tv_sec = secs``, ``tv_usec = 1000000 *
    (secs - tv_sec)``, both truncated) and divides the microseconds by 10000,
    so ``2.555`` becomes 255 and ``0.29`` becomes 29 even where a plain
    ``secs * 100`` would give 28.
    """
    if math.isnan(seconds) or math.isinf(seconds) or seconds < 0 or seconds >= 2**31:
        return None
    tv_sec = int(seconds)
    tv_usec = int(1000000 * (seconds - tv_sec))
    return (1000000 * tv_sec + tv_usec) // 10000


def ip_number(text: str) -> int | None:
    """How iproute2's ``get_unsigned`` reads a number: the whole text, base from its prefix."""
    m = re.fullmatch(r"\s*(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)", text)
    if not m:
        return None
    digits = m.group(1)
    if digits[:2].lower() == "0x":
        return int(digits, 16)
    return int(digits, 8) if digits.startswith("0") else int(digits)


def ip_reads_differently(text: str) -> int | None:
    """The value ip would read when it differs from the decimal reading (``010`` -> 8), else None."""
    if re.fullmatch(r"0[0-9]+", text) or text[:2].lower() == "0x":
        value = ip_number(text)
        if value is None or not re.fullmatch(r"[0-9]+", text) or value != int(text, 10):
            return value
    return None


def atoi(text: str) -> int | None:
    """C ``atoi``/``strtol(..., 10)``: the longest decimal prefix; None when there is none."""
    m = _DECIMAL.match(text)
    return int(m.group(1)) if m else None


def decimal(text: str) -> int | None:
    """A plain decimal number and nothing else (what a careful reader accepts)."""
    return int(text) if re.fullmatch(r"[0-9]+", text) else None
