"""An IPv4 address as ifconfig leaves it: SIOCSIFADDR, SIOCSIFNETMASK and SIOCSIFBRDADDR replayed.

ifconfig sets an address with the kernel's classful mask and default
broadcast, then applies ``netmask`` and ``broadcast`` in the order written,
and the netmask of ``ADDR/LEN`` after every other option. The kernel
(``devinet_ioctl``) recomputes the broadcast on a netmask change only when
it was the default for the old mask, so ``broadcast 192.168.1.255 netmask
255.255.0.0`` ends with 192.168.255.255; a /31 or /32 gets no broadcast.
The result is one ``ip address`` prefix and broadcast that leave the same.

What the kernel gives also depends on the link: the default broadcast only
where the link has IFF_BROADCAST (not on a tun or lo), and /32 on a
point-to-point link (a tun) when no netmask is given. Where that matters, the
translation asks the link at run time (:meth:`Address.commands`).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass, replace

from .model import Note, note_at
from .modern import Arg, Choice, Cmd, Shell, joined, link_flag, quoted_path, render_arg
from .words import Lit, Word


def classful_prefix(address: str) -> int:
    """The prefix length ifconfig (the kernel) gives an IPv4 address set without a netmask."""
    first = int(address.split(".")[0])
    return 8 if first < 128 else 16 if first < 192 else 24 if first < 224 else 32


@dataclass(frozen=True)
class Address:
    """An IPv4 address as ifconfig leaves it once every option of the command has run."""

    local: Word
    prefix: int | Word  # a netmask only known at run time: its word, turned into a length by netmask_prefix
    broadcast: str | Word | None  # "+" (the kernel's default), an address (a word if only known at run time), or None (none)
    written: bool = False  # the broadcast is the command's own, not the kernel's default for the mask
    masked: bool = True  # a netmask was given (or ADDR/LEN): a point-to-point link takes it too

    def cidr_arg(self) -> Arg:
        if isinstance(self.prefix, Word):
            mask = render_arg(quoted_path(self.prefix))  # one word, as ifconfig took it
            return joined(self.local, "/", Shell(f'"$(netmask_prefix {mask})"'))
        return joined(self.local, f"/{self.prefix}")

    @property
    def helpers(self) -> tuple[str, ...]:
        """The shell functions its commands call (.helpers)."""
        return ("netmask_prefix",) if isinstance(self.prefix, Word) else ()

    def literal(self) -> str | None:
        return f"{self.local.value}/{self.prefix}" if self.local.value is not None and isinstance(self.prefix, int) else None

    def words(self) -> list[Arg | str | Word]:
        return [self.cidr_arg(), *(["broadcast", self.broadcast] if self.broadcast is not None else [])]

    def commands(self, link, make: Callable[[list[Arg | str | Word]], Cmd], at_run_time: bool = True) -> Cmd | Choice:
        """The command that sets the address (``make(words)``), with the link's kind decided at run time where it matters.

        SIOCSIFADDR gives a point-to-point link /32, and the default broadcast only
        to a link with IFF_BROADCAST; a broadcast written on the command line is set
        on any link. ``ip`` writes what it is told. Without ``at_run_time`` (a
        document), the command for an Ethernet-like link.
        """
        written: list[Arg | str | Word] = ["broadcast", self.broadcast] if self.broadcast is not None and self.written else []
        cases = []
        if not self.masked:
            cases.append((link_flag(link, "POINTOPOINT"), make([joined(self.local, "/32"), *written])))
        if self.broadcast is not None and not self.written:
            cases.append((link_flag(link, "BROADCAST"), make(self.words())))
        if not cases or not at_run_time:
            return make(self.words())
        return Choice(tuple(cases), make([self.cidr_arg(), *written]))


class Refused(Exception):
    """A form the translation leaves as written; carries the note saying why."""

    def __init__(self, note: Note):
        self.note = note


def _mask(option) -> int:
    try:
        mask = int(ipaddress.IPv4Address(option.value.value))
    except ValueError:
        raise Refused(note_at(option.value, "NS405", f"{option.value.value} is not a netmask")) from None
    inverse = ~mask & 0xFFFFFFFF
    if inverse & (inverse + 1):
        raise Refused(note_at(option.value, "NS405", f"{option.value.value} is not a netmask"))
    return 32 - inverse.bit_length()


def _broadcast(option) -> int:
    try:
        return int(ipaddress.IPv4Address(option.value.value))
    except ValueError:
        raise Refused(note_at(option.value, "NS405", f"{option.value.value} is not an IPv4 address")) from None


def literal_address(word, changes) -> Address:
    """Replay SIOCSIFADDR, SIOCSIFNETMASK and SIOCSIFBRDADDR as devinet_ioctl does them."""
    value, _, written_prefix = word.value.partition("/")
    local = int(ipaddress.IPv4Address(value))
    first = local >> 24
    if 224 <= first < 240:
        raise Refused(note_at(word, "NS402", f"the kernel refuses the multicast address {value} from ifconfig (which still brings the link up)"))
    if value == "255.255.255.255" or (first == 0 and local):
        raise Refused(note_at(word, "NS402", f"ifconfig gives {value} a /0 prefix; translate by hand"))
    if written_prefix and int(written_prefix) > 32:
        raise Refused(note_at(word, "NS405", f"/{written_prefix} is not an IPv4 prefix length"))

    def default(prefix):
        return (local | (0xFFFFFFFF >> prefix)) & 0xFFFFFFFF if prefix < 31 else 0

    prefix = classful_prefix(value)
    broadcast, written = default(prefix), False  # written: the broadcast option's, kept as given
    masked = False

    def set_prefix(new):
        nonlocal prefix, broadcast, written, masked
        masked = True
        if new != prefix:
            if new < 31 and broadcast == (local | (0xFFFFFFFF >> prefix)) & 0xFFFFFFFF:
                broadcast, written = default(new), False
            prefix = new

    for option in changes:
        if option.kind == "netmask":
            set_prefix(_mask(option))
        else:
            broadcast, written = _broadcast(option), True
    if written_prefix:  # ifconfig applies ADDR/LEN's netmask after every other option
        set_prefix(int(written_prefix))
    shown: str | None
    if written or broadcast not in (0, default(prefix)):
        shown = str(ipaddress.IPv4Address(broadcast))
    else:
        shown = "+" if broadcast == default(prefix) else None
    return Address(_word_with_value(word, value), prefix, shown, written, masked)


def run_time_address(word, changes) -> Address:
    """`ifconfig eth0 $IP netmask $MASK up`: the prefix comes from the netmask (computed at run time if need be)."""
    masks = [o for o in changes if o.kind == "netmask"]
    if not masks:
        raise Refused(note_at(word, "NS402", f"the address {word.text} is only known at run time, and so is the netmask ifconfig would give it"))
    if "/" in (word.value or ""):
        raise Refused(note_at(masks[-1].value, "NS402", f"the netmask is only known at run time, and ifconfig applies {word.value}'s after it"))
    mask = masks[-1].value
    prefix: int | Word = _mask(masks[-1]) if mask.value is not None else mask
    broadcast: str | Word = "+"
    written = False
    for option in changes:
        if option.kind == "broadcast" and changes.index(option) < changes.index(masks[-1]):
            raise Refused(note_at(option.word, "NS402", f"whether the netmask after it changes this broadcast depends on {word.text}, only known at run time"))
        if option.kind == "broadcast":
            broadcast, written = (str(ipaddress.IPv4Address(_broadcast(option))) if option.value.value is not None else option.value), True
    return Address(word, prefix, broadcast, written)


def _word_with_value(word, value: str):
    """The address word without its /LEN (the prefix is written from the replayed mask)."""
    if word.value == value:
        return word
    return replace(word, text=value, parts=(Lit(value),))
