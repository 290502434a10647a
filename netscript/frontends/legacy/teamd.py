"""teamd(8): the team driver's daemon, understood always, replaced with ``--team-as-bond``.

Every option of teamd 1.31 is read; the JSON config of ``-c`` is checked
against teamd.conf(5) (:mod:`.teamd_config`). Without ``--team-as-bond``
teamd stays (the team driver has no other control program) and is reported;
with it, the team becomes a bond (:mod:`.team_as_bond`):

    teamd -d -t team0 -c '{"runner": {"name": "activebackup"}, "ports": {"eth1": {}}}'
    ->  { ip link add name team0 type bond mode active-backup fail_over_mac none miimon 100 &&
          ip link set dev eth1 master team0 || false; }
    teamd -t team0 -k  ->  ip link delete dev team0
    teamd -t team0 -e  ->  test -d /sys/class/net/team0/bonding

A team started with ``-N`` (--no-quit-destroy) outlives its teamd: ``teamd -k`` then only
releases its ports, and so does the translation (the bond stays).
"""

from __future__ import annotations

from dataclasses import dataclass

from ...ir.model import LinkKind
from ...kinds import bond as bond_kind
from ...kinds import team as team_kind
from ...kinds.spec import Setting, settings
from . import effects as fx
from .args import getopt
from .model import CommandLine, Context, Keep, Note, Parsed, Rewrite, note_at
from .modern import (
    Arg,
    Cmd,
    Shell,
    Try,
    Unless,
    carried,
    cmd,
    is_kind,
    render_arg,
    text,
)
from .team_as_bond import Mapping, map_config
from .teamd_config import check_config, locate
from .word_grammar import Mismatch, grammar
from .words import Word

TOOL = "teamd"
LEGACY = True

KEEP_AS_TEAM = "teamd drives the team driver, and only bonding replaces it: translate with --team-as-bond"
# In Context.state, per team as written: started with -N, so `teamd -k` keeps the device and
# only releases the ports. (Translating that -k as `ip link delete` removed a device the legacy
# script kept: found by tests/kernel/test_legacy_lab.py.)
NO_QUIT_DESTROY = "teamd.no_quit_destroy"

BOND_OPTIONS: dict[str, tuple[str, Setting]] = settings(bond_kind.BondOptions)
TEAM_OPTIONS: dict[str, tuple[str, Setting]] = settings(team_kind.TeamOptions)
TEAM_PORT_OPTIONS: dict[str, tuple[str, Setting]] = settings(team_kind.TeamPortOptions)


@dataclass(frozen=True)
class TeamdCommand:
    """One parsed teamd command line (with its checked JSON config)."""
    line: CommandLine
    action: str  # start, kill, check
    team: Word | None = None  # the -t argument; None: the name comes from the config
    team_name: str | None = None  # literal name (from -t or the config's "device")
    config: dict | None = None  # the parsed -c config, when literal
    config_word: Word | None = None  # the -c/-f argument
    from_file: bool = False
    flags: frozenset[str] = frozenset()
    tool: str = TOOL

    def _team_arg(self) -> Word | str | None:
        """The team's name as written after -t, else the config's "device"."""
        return self.team if self.team is not None else self.team_name

    def _remember_no_quit_destroy(self, ctx: Context) -> bool | None:
        """For a start: note whether it was -N. For a kill: whether the team's start was (None: unsure)."""
        team = self.team_name if self.team_name is not None else self.team
        assert team is not None  # asked only of a team with a name, literal or as written
        key = f"{NO_QUIT_DESTROY}.{team if isinstance(team, str) else team.text}"
        if self.action == "start" and ("no_quit_destroy" in self.flags or key in ctx.state):
            ctx.remember(key, "no_quit_destroy" in self.flags)
        return ctx.recalled(key, False)

    def modern(self, ctx: Context) -> Rewrite | Keep:
        """The modern commands that do what this did, or why it stays."""
        if not ctx.options.team_as_bond:
            return Keep(reason=KEEP_AS_TEAM)
        team = self._team_arg()
        if team is None:  # `teamd -f FILE` without -t: the team's name is in the file
            assert self.config_word is not None  # parse refuses a team with neither -t, -c nor -f
            return Keep(reason=f"the team's name and config are in the file {self.config_word.text}", suggestion="translate it by hand, or pass the JSON with -c")
        kept = self._remember_no_quit_destroy(ctx)
        if self.action == "kill" and kept is None:
            return Keep(reason="the team may have been started with -N (which keeps the device when teamd quits): only known at run time",
                        suggestion=f"ip link delete dev {team if isinstance(team, str) else team.text}, or release its ports: ip link set dev PORT nomaster")
        if self.action == "kill" and kept:
            return Rewrite((_release_ports(team),), "teamd -k of a team started with -N -> its ports released (the bond stays, as the team did)")
        if self.action == "kill":
            return Rewrite((cmd("ip", "link", "delete", "dev", team),), "teamd -k -> ip link delete (the bond)")
        if self.action == "check":
            return Rewrite((is_kind("bond", team),), "teamd -e -> [ -d /sys/class/net/TEAM/bonding ]")
        if self.from_file:
            assert self.config_word is not None  # the -f argument
            return Keep(reason=f"the config is in the file {self.config_word.text}", suggestion="translate it by hand, or pass the JSON with -c")
        if self.config is None:
            return Keep(reason="the config is only known when the script runs", suggestion="ip link add name TEAM type bond mode MODE ...")
        assert self.config_word is not None and self.config_word.value is not None  # the config was read from it
        mapping = map_config(self.config)
        if mapping.refused:
            return Keep(reason=mapping.refused, code="NS415", notes=())
        steps = self._bond_steps(team, mapping, ctx)
        notes = tuple(Note("NS406", loss, *locate(self.config_word.value, self.config_word, key)) for loss, key in mapping.lossy)
        hint = None if "daemonize" in self.flags else "teamd without -d stayed in the foreground; the bond needs no daemon"
        return Rewrite(tuple(steps), f"teamd -> ip link add type bond mode {mapping.mode}", notes, hint)

    def _bond_steps(self, team: Word | str, mapping: Mapping, ctx: Context) -> list[Cmd | Unless | Try]:
        words: list[Arg | str | Word] = ["ip", "link", "add", "name", team]
        if mapping.mac:
            words += ["address", mapping.mac]
        assert mapping.mode is not None  # every runner that is not refused has its bonding mode
        words += ["type", "bond", "mode", mapping.mode]
        for key, value in mapping.options.items():
            meta = BOND_OPTIONS[key][1]
            words += [meta.ip or key, meta.codec.ip(value)]
        create = cmd(*words)
        steps: list[Cmd | Unless | Try] = []
        if "force_recreate" in self.flags:
            steps.append(Try(cmd("ip", "link", "delete", "dev", team)))
        if ctx.options.idempotent or "take_over" in self.flags:
            steps.append(Unless(cmd("ip", "link", "show", "dev", team), create))
        else:
            steps.append(create)
        if "no_ports" not in self.flags:
            for port in mapping.port_order:
                steps.append(cmd("ip", "link", "set", "dev", port, "master", team))
                options = mapping.ports[port]
                if options:
                    steps.append(cmd("ip", "link", "set", "dev", port, "type", "bond_slave", *[w for k, v in options.items() for w in (k, str(v))]))
        return steps

    def effects(self, ctx: Context | None = None) -> list[fx.Effect]:
        """What the command changes, as IR edits (names and values literal)."""
        name = self.team_name
        if self.action == "check":
            return [fx.NoEffect(what="teamd -e only checks")]
        if name is None:
            return [fx.Unexpressible("the team's name is only known at run time")]
        kept = self._remember_no_quit_destroy(ctx if ctx is not None else Context())
        if self.action == "kill" and kept is not False:
            return [fx.Unexpressible("teamd -k of a team started with -N keeps the device and releases the ports the team has then")]
        if self.action == "kill":
            return [fx.DeleteLink(name)]
        if self.config is None:
            return [fx.Unexpressible("the teamd config is not in the script")]
        ports = [] if "no_ports" in self.flags else list(self.config.get("ports") or {})
        if ctx is not None and ctx.options.team_as_bond:
            mapping = map_config(self.config)
            if mapping.refused:
                return [fx.Unexpressible(mapping.refused)]
            options = {"mode": mapping.mode, **mapping.options}
            out: list[fx.Effect] = [fx.CreateLink(name, LinkKind.BOND, options, mac=mapping.mac)]
            for port in ports:
                out.append(fx.Enslave(port, name, master_kind=LinkKind.BOND))
                if mapping.ports.get(port):
                    out.append(fx.SetPortOptions(port, LinkKind.BOND, mapping.ports[port]))
            return out
        out = [fx.CreateLink(name, LinkKind.TEAM, team_options(self.config))]
        for port in ports:
            out.append(fx.Enslave(port, name, master_kind=LinkKind.TEAM))
            port_options = {k: v for k, v in (self.config["ports"][port] or {}).items() if k in TEAM_PORT_OPTIONS}
            if port_options:
                out.append(fx.SetPortOptions(port, LinkKind.TEAM, port_options))
        return out


def _release_ports(team: Word | str) -> Cmd:
    """Every port of the bond released, the bond kept (the ports as ``ip`` lists them then)."""
    name = render_arg(text(team) if isinstance(team, str) else carried(team))
    loop = f'ip -br link show master {name} | while read -r _ns_port _; do ip link set dev "${{_ns_port%@*}}" nomaster || exit; done'
    return Cmd((Arg((Shell("{ " + loop + "; }"),)),))


def team_options(config: dict) -> dict:
    """The IR's team settings from a teamd config (each setting's JSON path is in kinds.team)."""
    out = {}
    for key, (_, meta) in TEAM_OPTIONS.items():
        node: object = config
        for part in (meta.ip or key).split("."):  # every team setting gives its JSON path
            if isinstance(node, list):
                node = node[0] if node else {}
            node = node.get(part) if isinstance(node, dict) else None
        if node is not None:
            out[key] = tuple(node) if isinstance(node, list) else node
    return out


def parse(line: CommandLine) -> Parsed:
    """Read one teamd command line and check its JSON config."""
    options, operands, problem = getopt(TOOL, line.args)
    if problem is not None:
        return Parsed(None, [problem])
    read = grammar(TOOL).parse([*options, *operands], operands=operands)
    if isinstance(read, Mismatch):
        assert read.word is not None  # any options are a whole command: what stops it is an operand
        return Parsed(None, [note_at(read.word, "NS404", f"teamd takes options only, not {read.word.text!r}")])
    flags = frozenset(o.name for o in read.parts() if not o.values())
    values = {o.name: o.values()[0] for o in read.parts() if o.values()}  # the last one counts
    if flags & {"help", "version"}:
        return Parsed(None, [note_at(line, "NS402", "teamd's help or version: nothing to translate")])
    action = "kill" if "kill" in flags else "check" if "check" in flags else "start"
    notes: list[Note] = []
    config, config_word, from_file = None, values.get("config"), False
    if config_word is None and "config_file" in values:
        config_word, from_file = values["config_file"], True
    if config_word is not None and not from_file and config_word.value is not None:
        checked = check_config(config_word.value, config_word)
        notes += checked.notes
        if checked.errors:
            return Parsed(None, notes)
        config = checked.config
    team = values.get("team_dev")
    team_name = team.value if team is not None else None
    if team is None and config is not None and isinstance(config.get("device"), str):
        team_name = config["device"]
    # With -f the name may be the file's "device"; only teamd can tell, at run time. Without a
    # name teamd 1.31 says "Team device name not specified." and exits 1, -p PIDFILE or not
    # (checked: `teamd -k -p FILE` fails so; the pid file only tells which daemon to signal).
    if team is None and team_name is None and not from_file and (action != "start" or config is not None):
        message = "teamd needs the team's name: -t NAME or \"device\" in the config"
        if "pid_file" in values:
            message += " (a pid file is not enough: teamd fails with \"Team device name not specified.\")"
        return Parsed(None, notes + [note_at(line, "NS404", message)])
    if action == "start" and config_word is None:
        return Parsed(None, notes + [note_at(line, "NS404", "teamd needs a config: -c JSON or -f FILE")])
    return Parsed(TeamdCommand(line, action, team, team_name, config, config_word, from_file, flags), notes)
