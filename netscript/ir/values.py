"""Value types of link settings: how each is read, checked, written and compared.

A value type (a *codec*) knows four things about one kind of setting value:

- ``parse(text)``: turn the text a user wrote into a Python value, or raise
  ``ValueError`` with a message fit for a diagnostic (type errors only);
- ``check(value)``: the range/choice rule, returning a problem or ``None``
  (validation calls this, so all findings are reported at once);
- ``dsl(value)``: the canonical DSL spelling (``netscript fmt``, ``export``);
- ``ip(value)``: the argument as ``ip link`` takes it;
- ``from_kernel(raw)``: the value as ``ip -d -j link`` reports it, so that
  read-back state can be compared with the spec.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass


class Codec:
    description = "value"

    def parse(self, text: str):
        return text

    def check(self, value) -> str | None:
        return None

    def dsl(self, value) -> str:
        return str(value)

    def ip(self, value) -> str:
        return self.dsl(value)

    def from_kernel(self, raw):
        return raw

    def kernel_json(self, value):
        """The value as it appears in `ip -d -j link` output."""
        return value


@dataclass(frozen=True)
class Flag(Codec):
    """on/off. ``ip_style`` picks how ``ip`` spells it.

    ``onoff``: ``key on``/``key off``; ``01``: ``key 1``/``key 0``;
    ``noprefix``: ``key``/``nokey`` (vxlan learning); ``present``: ``key`` or
    nothing (tuntap flags, which cannot be switched off).
    """

    ip_style: str = "onoff"
    # the largest number the kernel takes as "on" besides 1: a bridge's
    # stp_state is a u32 and any non-zero value turns STP on; bond flags are 0 or 1
    numeric_max: int = 1
    description = "on or off"

    def parse(self, text: str) -> bool:
        t = text.lower()
        if t in ("on", "1", "yes", "true"):
            return True
        if t in ("off", "0", "no", "false"):
            return False
        if t.isascii() and t.isdigit() and int(t) <= self.numeric_max:
            return True
        raise ValueError(f"expected on or off, got {text!r}")

    def dsl(self, value: bool) -> str:
        return "on" if value else "off"

    def ip(self, value: bool) -> str:
        if self.ip_style == "01":
            return "1" if value else "0"
        return "on" if value else "off"

    def from_kernel(self, raw) -> bool:
        return bool(raw)

    def kernel_json(self, value: bool):
        return int(value) if self.ip_style == "01" else value


@dataclass(frozen=True)
class Int(Codec):
    low: int = 0
    high: int = 2**32 - 1
    unit: str = ""
    description = "whole number"

    def parse(self, text: str) -> int:
        # Decimal only: `ip` reads 010 as octal, a trap we refuse to copy.
        if not re.fullmatch(r"[0-9]+", text):
            raise ValueError(f"expected a whole number, got {text!r}")
        return int(text, 10)

    def check(self, value: int) -> str | None:
        if not self.low <= value <= self.high:
            return f"{value} is out of range {self.low}-{self.high}{(' ' + self.unit) if self.unit else ''}"
        return None

    def from_kernel(self, raw):
        return int(raw)


@dataclass(frozen=True)
class Centiseconds(Codec):
    """A bridge timer. Stored in centiseconds, the unit of ``ip link ... type bridge``.

    Written ``4s``, ``2.5s``, ``400cs`` or ``1500ms``; a bare number is
    centiseconds, as ``ip`` reads it (the frontend adds an info diagnostic).
    """

    low_cs: int = 0
    high_cs: int = 2**31 - 1
    description = "duration (4s, 2.5s, 400cs, 1500ms; bare numbers are centiseconds)"

    def parse(self, text: str) -> int:
        m = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)(s|cs|ms)?", text)
        if not m:
            raise ValueError(f"expected a duration such as 4s, 400cs or 1500ms, got {text!r}")
        number, unit = m.group(1), m.group(2) or "cs"
        scale = {"s": 100, "cs": 1, "ms": 0.1}[unit]
        cs = float(number) * scale
        if abs(cs - round(cs)) > 1e-9:
            raise ValueError(f"{text} is not a whole number of centiseconds, the kernel's resolution")
        return round(cs)

    def check(self, value: int) -> str | None:
        if not self.low_cs <= value <= self.high_cs:
            return (
                f"{self.dsl(value)} is out of range {self.dsl(self.low_cs)}-{self.dsl(self.high_cs)}"
            )
        return None

    def dsl(self, value: int) -> str:
        if value % 100 == 0:
            return f"{value // 100}s"
        return f"{value}cs"

    def ip(self, value: int) -> str:
        return str(value)

    def from_kernel(self, raw) -> int:
        return int(raw)


@dataclass(frozen=True)
class Choice(Codec):
    """One word out of a closed set (bond modes, runners...)."""

    choices: tuple[str, ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()  # accepted spelling -> canonical
    description = "one of a set of words"

    def parse(self, text: str) -> str:
        return dict(self.aliases).get(text, text)

    def check(self, value: str) -> str | None:
        if value not in self.choices:
            return f"{value!r} is not one of {', '.join(self.choices)}"
        return None


@dataclass(frozen=True)
class Word(Codec):
    """Free text that ends up as one shell word (user names, interface refs)."""

    description = "word"


@dataclass(frozen=True)
class IPAddress(Codec):
    version: int | None = None
    description = "IP address"

    def parse(self, text: str):
        try:
            addr = ipaddress.ip_address(text)
        except ValueError:
            raise ValueError(f"{text!r} is not an IP address") from None
        if self.version and addr.version != self.version:
            raise ValueError(f"{text} is not an IPv{self.version} address")
        return str(addr)

    def from_kernel(self, raw):
        return str(ipaddress.ip_address(raw))


@dataclass(frozen=True)
class MACAddress(Codec):
    description = "MAC address"

    def parse(self, text: str) -> str:
        if not re.fullmatch(r"[0-9A-Fa-f]{1,2}(:[0-9A-Fa-f]{1,2}){5}", text):
            raise ValueError(f"{text!r} is not a MAC address (six hex bytes joined by ':')")
        return ":".join(f"{int(b, 16):02x}" for b in text.split(":"))

    def check(self, value: str) -> str | None:
        if int(value.split(":")[0], 16) & 1:
            return f"{value} is a multicast address; an interface needs a unicast one"
        return None

    def from_kernel(self, raw):
        return str(raw).lower()


@dataclass(frozen=True)
class QosMap(Codec):
    """VLAN priority maps, ``from:to`` pairs (``0:1 2:3``).

    Egress maps a socket priority (any 32-bit number) to a VLAN priority (0-7);
    ingress the other way round. The kernel masks an out-of-range VLAN priority
    to its low three bits (ingress 9:1 becomes 1:1), so the ranges are checked.
    """

    from_high: int = 4294967295
    to_high: int = 7
    description = "priority map entries FROM:TO"

    def parse(self, text: str) -> tuple[tuple[int, int], ...]:
        pairs = []
        for item in text.split(","):
            m = re.fullmatch(r"([0-9]+):([0-9]+)", item)
            if not m:
                raise ValueError(f"{item!r} is not a FROM:TO priority mapping")
            pairs.append((int(m.group(1)), int(m.group(2))))
        return tuple(pairs)

    def check(self, value) -> str | None:
        for a, b in value:
            if a > self.from_high or b > self.to_high:
                which = "to" if self.to_high == 7 else "from"
                return f"{a}:{b} is out of range ({which} must be a VLAN priority 0-7)"
        return None

    def dsl(self, value) -> str:
        return ",".join(f"{a}:{b}" for a, b in value)

    def ip(self, value) -> str:
        return " ".join(f"{a}:{b}" for a, b in value)


@dataclass(frozen=True)
class WordList(Codec):
    """Comma-separated words (teamd tx_hash, bond arp targets)."""

    item: Codec = Word()
    description = "comma-separated list"

    def parse(self, text: str):
        return tuple(self.item.parse(t) for t in text.split(",") if t)

    def check(self, value) -> str | None:
        for v in value:
            problem = self.item.check(v)
            if problem:
                return problem
        return None

    def dsl(self, value) -> str:
        return ",".join(self.item.dsl(v) for v in value)

    def ip(self, value) -> str:
        return ",".join(self.item.ip(v) for v in value)
