"""teamdctl(8): commands to a running teamd; with ``--team-as-bond``, to the bond.

    teamdctl TEAM port add PORT                  ip link set dev PORT master TEAM
    teamdctl TEAM port remove PORT               ip link set dev PORT nomaster
    teamdctl TEAM port present PORT              test -e /sys/class/net/TEAM/lower_PORT
    teamdctl TEAM port config update PORT JSON   ip link set dev PORT type bond_slave ...
    teamdctl TEAM state item set runner.active_port PORT
                                                 ip link set dev TEAM type bond active_slave PORT
    teamdctl TEAM config dump | state [dump|view] | port config dump PORT | state item get PATH
                                                 queries: shown, never parsed
"""

from __future__ import annotations

from dataclasses import dataclass

from ...ir.model import LinkKind
from . import effects as fx
from .args import getopt, literal_names, refused, unexpressible_names
from .model import CommandLine, Context, Keep, Note, Parsed, Rewrite, note_at
from .modern import cmd, joined
from .shell import Usage
from .teamd_config import check_port_config, locate
from .word_grammar import Mismatch, grammar
from .words import Word

TOOL = "teamdctl"
LEGACY = True



@dataclass(frozen=True)
class TeamdctlCommand:
    """One parsed teamdctl command line."""
    line: CommandLine
    action: str
    team: Word
    operands: tuple[Word, ...] = ()
    port_config: dict | None = None
    tool: str = TOOL

    def modern(self, ctx: Context) -> Rewrite | Keep:
        """The modern commands that do what this did, or why it stays."""
        a, team = self.action, self.team
        if a == "query":
            if Usage.OUTPUT_PARSED in ctx.usage or Usage.STATUS_TESTED in ctx.usage or not ctx.options.team_as_bond:
                return Keep(reason="teamdctl reports teamd's JSON state; a bond has none", suggestion=f"ip -j -d link show dev {team.text}")
            return Rewrite((cmd("ip", "-d", "link", "show", "dev", team),), "teamdctl dump -> ip -d link show (another output format)")
        if not ctx.options.team_as_bond:
            return Keep(reason="teamdctl talks to teamd: translate with --team-as-bond to drive a bond instead")
        port = self.operands[0]  # what is not a query names the port first (or the state item)
        if a == "port-add":
            return Rewrite((cmd("ip", "link", "set", "dev", port, "master", team),), "teamdctl port add -> ip link set master")
        if a == "port-remove":
            return Rewrite((cmd("ip", "link", "set", "dev", port, "nomaster"),), "teamdctl port remove -> ip link set nomaster")
        if a == "port-present":
            return Rewrite((cmd("[", "-e", joined("/sys/class/net/", team, "/lower_", port), "]"),), "teamdctl port present -> [ -e /sys/class/net/TEAM/lower_PORT ]")
        if a == "state-set":
            path, value = self.operands
            if path.value != "runner.active_port":
                return Keep(reason=f"{path.shown()} is teamd state a bond does not have")
            # teamd takes an active port at once; bonding refuses (EINVAL) while updelay still holds
            # the port's link back, or before the bond has an active slave at all (seen in
            # tests/kernel/test_legacy_lab.py: delay_up became updelay, and the script failed here)
            return Rewrite(
                (cmd("ip", "link", "set", "dev", team, "type", "bond", "active_slave", value),),
                "teamdctl active_port -> ip link set type bond active_slave",
                hint="the bond takes it only once the port's link is up (after updelay, from delay_up) and it has an active slave already; teamd took it at once",
            )
        config = self.port_config
        if config is None:
            return Keep(reason="the port config is only known when the script runs")
        words = [w for k in ("queue_id", "prio") if k in config for w in (k, str(max(0, config[k])))]
        dropped = sorted(set(config) - {"queue_id", "prio"})
        word = self.operands[1]
        assert word.value is not None  # the port config was read from it
        notes = tuple(Note("NS406", f"{k} has no bonding port equivalent; dropped", *locate(word.value, word, k)) for k in dropped)
        if not words:
            return Rewrite((cmd(":"),), "teamdctl port config update: nothing bonding can set", notes)
        return Rewrite((cmd("ip", "link", "set", "dev", port, "type", "bond_slave", *words),), "teamdctl port config update -> ip link set type bond_slave", notes)

    def effects(self, ctx: Context | None = None) -> list[fx.Effect]:
        """What the command changes, as IR edits (names and values literal)."""
        if self.action in ("query", "port-present", "state-set"):
            return [fx.NoEffect(what=f"teamdctl {self.action}")]
        names = literal_names(self.team, *self.operands[:1])
        if names is None:
            return unexpressible_names(self.team, *self.operands[:1])
        bond = ctx is not None and ctx.options.team_as_bond
        kind = LinkKind.BOND if bond else LinkKind.TEAM
        team, port = names  # the port commands name one port
        if self.action == "port-add":
            return [fx.Enslave(port, team, master_kind=kind)]
        if self.action == "port-remove":
            return [fx.Release(port)]
        if self.port_config is None:
            return [fx.Unexpressible("port config only known at run time")]
        keep = ("queue_id", "prio") if bond else ("prio", "sticky", "queue_id", "lacp_prio", "lacp_key")
        return [fx.SetPortOptions(port, kind, {k: v for k, v in self.port_config.items() if k in keep})]


def parse(line: CommandLine) -> Parsed:
    """Read one teamdctl command line."""
    options, operands, problem = getopt(TOOL, line.args)
    if problem is not None:
        return Parsed(None, [problem])
    read = grammar(TOOL).parse([*options, *operands], operands=operands)
    known = grammar(TOOL).options()
    if any(known.get(w.value or "", ("",))[0] == "help" for w in options):
        return Parsed(None, [note_at(line, "NS402", "teamdctl's help: nothing to translate")])
    if isinstance(read, Mismatch):
        return Parsed(None, [refused(TOOL, line, read)])
    *_, command = read.parts()  # teamdctl.lark: the options, then the command
    team, *rest = command.values()  # the team comes first
    action = "query" if command.name.startswith("query") else command.name.replace("_", "-")
    port_config: dict | None = None
    notes: list[Note] = []
    if action == "port-config" and rest[1].value is not None:
        checked = check_port_config(rest[1].value, rest[1])
        notes += checked.notes
        if checked.errors:
            return Parsed(None, notes)
        port_config = checked.config
    return Parsed(TeamdctlCommand(line, action, team, tuple(rest), port_config), notes)
