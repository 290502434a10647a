"""Placeholders: the parts of a documented command a reader is meant to fill in.

Documentation writes ``ip link set <dev> up``, ``vconfig add DEVICE VID``,
``ip link add eth<x>.10 ...``, ``ip link set ${VRF} up``, ``$DEV`` or
``ifconfig br0 my.ip.address.here``. None of
those is a mistake, so each such part becomes a :class:`Var` (a value not
known until run time) and the legacy parsers skip range and choice checks on
it, exactly as they do for a shell variable in a script.
"""

from __future__ import annotations

import re

from ..frontends.legacy.words import Lit, Part, Var

# An upper-case word of two or more characters (DEVICE, VID, IFNAME, BR_NAME),
# standing alone or as a piece of a word (eth0.VID, brVLAN).
_UPPER = re.compile(r"(?<![A-Za-z0-9])[A-Z][A-Z0-9_]+(?![a-z0-9])")
# <dev>, <bridge name>, <x> inside a word: eth<x>
_ANGLE = re.compile(r"<([A-Za-z][A-Za-z0-9 _./|:-]{0,40})>")

# An IPv4 address written as four words or letters (a.b.c.d, x.x.x.x, my.ip.address.here),
# with or without its prefix length.
_DOTTED = re.compile(r"[A-Za-z]+(?:\.[A-Za-z]+){3}(?=/\d+$|$)")

# Upper-case words that are real keywords of the tools, not placeholders.
KEYWORDS = frozenset(
    {
        # vconfig set_name_type
        "VLAN_PLUS_VID",
        "VLAN_PLUS_VID_NO_PAD",
        "DEV_PLUS_VID",
        "DEV_PLUS_VID_NO_PAD",
        # vlan protocol spelling and MAC-ish hex that happens to be upper case
        "Q",
        "AD",
    }
)


def _is_hex_byte(text: str) -> bool:
    return bool(re.fullmatch(r"[0-9A-F]{1,2}", text))


def split_literal(text: str) -> list[Part]:
    """Parts of a literal piece of a word, with placeholders made into Vars."""
    spans = []
    if (dotted := _DOTTED.match(text)) is not None:
        spans.append((0, dotted.end(), dotted.group(0)))
    for m in _ANGLE.finditer(text):
        spans.append((m.start(), m.end(), m.group(1)))
    if text not in KEYWORDS and not _looks_like_mac(text):
        for m in _UPPER.finditer(text):
            if m.group(0) in KEYWORDS or _is_hex_byte(m.group(0)):
                continue
            if any(s <= m.start() < e for s, e, _ in spans):
                continue
            spans.append((m.start(), m.end(), m.group(0)))
    if not spans:
        return [Lit(text)] if text else []
    spans.sort()
    parts: list[Part] = []
    at = 0
    for start, end, name in spans:
        if start > at:
            parts.append(Lit(text[at:start]))
        parts.append(Var(name))
        at = end
    if at < len(text):
        parts.append(Lit(text[at:]))
    return parts


def _looks_like_mac(text: str) -> bool:
    return bool(re.fullmatch(r"[0-9A-Fa-f]{1,2}(:[0-9A-Fa-f]{1,2}){5}", text)) or bool(
        re.fullmatch(r"[0-9A-Fa-f:.]+(/[0-9]+)?", text) and ":" in text
    )


def is_placeholder_text(text: str) -> bool:
    """True when the whole text is a placeholder (``<dev>``, ``DEVICE``)."""
    parts = split_literal(text)
    return len(parts) == 1 and isinstance(parts[0], Var)
