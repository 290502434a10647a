"""ifenslave(8) -> ``ip link set ... master``.

    ifenslave [-f] MASTER SLAVE...     enslave (each slave set down first, as ifenslave did)
    ifenslave -d MASTER SLAVE...       release
    ifenslave -c MASTER SLAVE          make SLAVE the active one
    ifenslave [-a] [MASTER]            show (a query)

The bonding driver refuses a port that is up; ifenslave took it down first,
so the translation does too. ifenslave also refused a master that was down;
``ip`` does not check that (said in the hint).
"""

from __future__ import annotations

from dataclasses import dataclass

from ...ir.model import LinkKind
from . import effects as fx
from .args import getopt, literal_names, loop_hint, unexpressible_names
from .model import CommandLine, Context, Keep, Note, Parsed, Rewrite, note_at
from .modern import cmd, per_word
from .shell import Usage
from .word_grammar import Mismatch, grammar
from .words import Word

TOOL = "ifenslave"
SLAVE_VAR = "_ns_slave"
LEGACY = True

@dataclass(frozen=True)
class IfenslaveCommand:
    """One parsed ifenslave command line."""
    line: CommandLine
    action: str  # enslave, detach, change-active, show
    master: Word | None = None  # None: `ifenslave -a`, the report on every bond
    slaves: tuple[Word, ...] = ()
    tool: str = TOOL

    def modern(self, ctx: Context) -> Rewrite | Keep:
        """The modern commands that do what this did, or why it stays."""
        m = self.master
        if self.action == "show":
            if Usage.OUTPUT_PARSED in ctx.usage or Usage.STATUS_TESTED in ctx.usage:
                return Keep(reason="the output or status of ifenslave's report is used", suggestion="ip -j -d link show type bond")
            if m is None:
                return Rewrite((cmd("ip", "-d", "link", "show", "type", "bond"),), "ifenslave -a -> ip -d link show type bond (another output format)")
            return Rewrite((cmd("ip", "-d", "link", "show", "dev", m),), "ifenslave MASTER -> ip -d link show (another output format)")
        assert m is not None  # only the report goes without a master
        if self.action == "change-active":
            return Rewrite((cmd("ip", "link", "set", "dev", m, "type", "bond", "active_slave", self.slaves[0]),), "ifenslave -c -> ip link set type bond active_slave")
        if self.action == "detach":
            steps = per_word(SLAVE_VAR, self.slaves, lambda s: [cmd("ip", "link", "set", "dev", s, "nomaster")])
            return Rewrite(steps, "ifenslave -d -> ip link set nomaster", hint=loop_hint(self.slaves))
        steps = per_word(SLAVE_VAR, self.slaves, lambda s: [cmd("ip", "link", "set", "dev", s, "down"), cmd("ip", "link", "set", "dev", s, "master", m)])
        return Rewrite(steps, "ifenslave -> ip link set down + master", hint=loop_hint(self.slaves, "ifenslave refused a master that is down; ip does not check"))

    def effects(self, ctx: Context | None = None) -> list[fx.Effect]:
        """What the command changes, as IR edits (names and values literal)."""
        if self.action == "show":
            return [fx.NoEffect(what="ifenslave report")]
        names = literal_names(self.master, *self.slaves)
        if names is None:
            return unexpressible_names(self.master, *self.slaves)
        if self.action == "change-active":
            return [fx.Unexpressible("the active port is run-time state, not configuration")]
        master, *slaves = names  # only the report goes without a master
        if self.action == "detach":
            return [fx.Release(s) for s in slaves]
        return [fx.Enslave(s, master, master_kind=LinkKind.BOND) for s in slaves]


def parse(line: CommandLine) -> Parsed:
    """Read one ifenslave command line."""
    options, operands, problem = getopt(TOOL, line.args)
    if problem is not None:
        return Parsed(None, [problem])
    read = grammar(TOOL).parse([*options, *operands], operands=operands)
    assert not isinstance(read, Mismatch)  # after getopt, options then any names are ifenslave.lark's start
    flags = {part.name for part in read.parts()} - {"master", "slave"}
    names = read.words("master") + read.words("slave")
    notes: list[Note] = []
    if "help" in flags or "version" in flags:
        return Parsed(None, [note_at(line, "NS402", "ifenslave's help or version: nothing to translate")])
    modes = flags & {"change_active", "detach"}
    if len(modes) > 1:
        return Parsed(None, [note_at(line, "NS404", "ifenslave takes one of -c and -d")])
    if "show" in flags or not names or (len(names) == 1 and not modes):
        return Parsed(IfenslaveCommand(line, "show", master=names[0] if names else None), notes)
    master, slaves = names[0], tuple(names[1:])
    if not slaves:
        return Parsed(None, [note_at(line, "NS404", "missing slave: ifenslave -c|-d MASTER SLAVE...")])
    if "change_active" in modes:
        if len(slaves) != 1:
            return Parsed(None, [note_at(line, "NS404", "ifenslave -c takes one slave: ifenslave -c MASTER SLAVE")])
        return Parsed(IfenslaveCommand(line, "change-active", master, slaves), notes)
    return Parsed(IfenslaveCommand(line, "detach" if "detach" in modes else "enslave", master, slaves), notes)
