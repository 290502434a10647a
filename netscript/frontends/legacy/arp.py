"""arp(8) from net-tools -> ``ip neigh``: static entries only.

    arp [-i IF] -s ADDR MAC [pub|temp|netmask M] [-i IF]   ->  ip neigh replace ADDR lladdr MAC dev IF nud permanent
    arp [-i IF] -d ADDR [-i IF]                            ->  ip neigh del ADDR dev IF
    arp [-n] [-a] ...                                      (the table: left as written)

net-tools sends SIOCSARP/SIOCDARP; the kernel replaces any entry for the
address (``replace``) and makes it permanent unless ``temp`` is given. Without
``-i`` the kernel finds the device by looking up the route to the address,
which ip neigh does not do: the translation asks ``ip route get`` for the
same device when the script runs (no route: both fail). Checked in a
namespace against the real arp. Published (proxy) and temporary entries and
``-f FILE`` stay as written, with the reason. arp exits 255 on failure where
ip exits 2.

For ``--to dsl`` and ``check``, the ``ip neigh`` words are read by the spec's own
neighbour reader (:mod:`netscript.routing.words`), as ``ip neigh`` lines are; an
entry without ``-i`` goes on the link whose subnet holds the address in the
script's end state (:mod:`.program`).
"""

from __future__ import annotations

from dataclasses import dataclass

from ...ir.routing import Neighbour
from ...routing import words as routing_words
from . import effects as fx
from .args import getopt
from .model import CommandLine, Context, Keep, Parsed, Rewrite, note_at
from .modern import Arg, Shell, cmd, render_arg
from .word_grammar import Mismatch, grammar
from .words import Word

TOOL = "arp"
LEGACY = True


@dataclass(frozen=True)
class ArpCommand:
    """One arp command: set (-s) or delete (-d) one entry, or the table (``action`` show)."""

    line: CommandLine
    action: str  # set | delete | show
    address: Word | None = None
    mac: Word | None = None
    dev: Word | None = None
    keep: str | None = None
    tool: str = TOOL

    def modern(self, ctx: Context) -> Rewrite | Keep:
        """The ip neigh command that does what this did, or why it stays."""
        if self.action == "show":
            return Keep(reason="arp prints its table in a format ip neigh does not print", suggestion="ip neigh show")
        if self.keep is not None:
            return Keep(reason=self.keep)
        assert self.address is not None
        dev = self.dev if self.dev is not None else _routed_device(self.address)
        if self.action == "set":
            assert self.mac is not None  # parse gives -s its two operands
            step = cmd("ip", "neigh", "replace", self.address, "lladdr", self.mac, "dev", dev, "nud", "permanent")
        else:
            step = cmd("ip", "neigh", "del", self.address, "dev", dev)
        summary = "arp -s -> ip neigh replace nud permanent" if self.action == "set" else "arp -d -> ip neigh del"
        hint = None if self.dev is not None else "arp found the device by the route to the address; so does the translation, when it runs"
        return Rewrite((step,), summary, hint=hint)

    def effects(self, ctx: Context | None = None) -> list[fx.Effect]:
        """The ip neigh command's words, read by the spec's own neighbour reader."""
        if self.action == "show":
            return [fx.NoEffect(what="the neighbour table")]
        if self.keep is not None:
            return [fx.Unexpressible(self.keep)]
        assert self.address is not None
        texts = [self.address.value]
        if self.mac is not None:
            texts += ["lladdr", self.mac.value]
        if self.dev is not None:
            texts += ["dev", self.dev.value]
        if any(t is None for t in texts):
            return [fx.Unexpressible("a neighbour entry with a value known only at run time")]
        words = [routing_words.Plain(t) for t in texts if t is not None]
        routed = self.dev is None
        reading = routing_words.read_neigh(words, dev="" if routed else None, deleting=self.action == "delete")
        if not isinstance(reading.value, Neighbour):
            return [fx.Unexpressible("arp " + " ".join(w.text for w in self.line.args))]
        if self.action == "delete":
            return [fx.DeleteNeighbour(reading.value, routed=routed)]
        return [fx.AddNeighbour(reading.value, routed=routed)]


def _routed_device(address: Word) -> Arg:
    """The device the kernel's route to ADDRESS goes out of, looked up when the script runs."""
    lookup = render_arg(cmd(address).args[0])
    return Arg((Shell(f"\"$(ip route get {lookup} | sed -n 's/.* dev \\([^ ]*\\).*/\\1/p')\""),))


def parse(line: CommandLine) -> Parsed:
    """Read one arp command line (grammars/arp.lark, after getopt)."""
    options, operands, problem = getopt(TOOL, line.args)
    if problem is not None:
        return Parsed(None, [problem])
    read = grammar(TOOL).parse([*options, *operands], operands=operands)
    assert not isinstance(read, Mismatch)  # after getopt: options, then any operands
    dev: Word | None = None
    action: str | None = None
    for option in read.parts():
        written = next(option.tokens()).word
        if option.name == "device":
            dev = option.values()[0]
        elif option.name == "hw_type" and option.values()[0].value != "ether":
            return _kept(line, f"arp {written.text} {option.values()[0].text}: only ethernet entries are translated")
        elif option.name in ("set", "delete"):
            action = option.name
        elif option.name == "show":
            action = action or "show"
        elif option.name == "no_equivalent":
            return _kept(line, f"arp {written.text} has no ip neigh equivalent written for it")
    operands = read.words("operand")
    if action in (None, "show"):
        return Parsed(ArpCommand(line, "show"))
    if action == "set":
        if len(operands) < 2:
            return Parsed(None, [note_at(line, "NS404", "missing argument: arp -s ADDR MAC [-i IF]")])
        if len(operands) > 2:
            flags = " ".join(w.text for w in operands[2:])
            return _kept(line, f"arp -s with {flags} (a published or temporary entry) has no ip neigh equivalent written for it")
        if any(w.value is None and w.splits for w in operands):
            return _kept(line, "the number of arguments depends on how a variable splits")
        return Parsed(ArpCommand(line, "set", operands[0], operands[1], dev))
    if len(operands) != 1:
        return Parsed(None, [note_at(line, "NS404", "arp -d takes one address: arp -d ADDR [-i IF]")])
    return Parsed(ArpCommand(line, "delete", operands[0], None, dev))


def _kept(line: CommandLine, reason: str) -> Parsed:
    return Parsed(ArpCommand(line, "keep", keep=reason))
