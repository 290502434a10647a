"""The names the kernel takes for an interface or a namespace.

Apart from validation (:mod:`.validate`) so that the legacy readers, which
check every literal name a script gives, do not load the IR and the kinds
with it: translating a script to modern commands needs neither.
"""

from __future__ import annotations

import re

MAX_IFNAME = 15  # IFNAMSIZ - 1


# The bytes the kernel's isspace() is true of (lib/ctype.c): tab to carriage
# return, space, and Latin-1's no-break space. dev_valid_name() looks at the
# name's bytes, so "à" (UTF-8 C3 A0) is refused while U+0085 (C2 85) is not.
KERNEL_SPACE = frozenset(b"\t\n\v\f\r \xa0")
KERNEL_SPACE_BYTES = {bytes([b]) for b in KERNEL_SPACE}
# The ASCII characters the loop below refuses: '/', ':', '%' and the kernel's white space.
_REFUSED_ASCII = re.compile("[/:%" + re.escape("".join(chr(b) for b in KERNEL_SPACE if b < 0x80)) + "]")


def interface_name_problem(name: str) -> str | None:
    """Why the kernel would refuse this interface name (dev_valid_name), or None."""
    if not name:
        return "an interface name cannot be empty"
    data = name.encode("utf-8", "surrogateescape")
    if len(data) > MAX_IFNAME:
        return f"interface name {name!r} is {len(data)} bytes long; the kernel allows at most {MAX_IFNAME}"
    if name in (".", ".."):
        return f"{name!r} is not a valid interface name"
    if name.isascii() and not _REFUSED_ASCII.search(name):
        return None  # the usual name, checked at once rather than a character at a time
    for ch in name:
        if ch in "/:" or (ch.isascii() and ch.encode() in KERNEL_SPACE_BYTES):
            return f"interface name {name!r} contains {ch!r}, which the kernel refuses"
        if KERNEL_SPACE.intersection(ch.encode("utf-8", "surrogateescape")):
            return f"interface name {name!r} contains {ch!r}, whose UTF-8 byte 0xa0 the kernel takes for white space"
        if ch == "%":
            # the kernel takes a name with % as a pattern: br%d becomes br0, then br1 on the next run
            return f"interface name {name!r} contains '%', which the kernel expands as a pattern (br%d -> br0, br1, ...)"
    return None


def namespace_name_problem(name: str) -> str | None:
    """Why `ip netns add` would refuse this name (it becomes /run/netns/NAME)."""
    if not name or name in (".", "..") or "/" in name or "\0" in name:
        return f"{name!r} is not a valid namespace name (it must be a file name under /run/netns)"
    if len(name.encode("utf-8")) > 255:
        return "namespace name is longer than 255 bytes"
    return None
