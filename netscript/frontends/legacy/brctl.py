"""brctl(8) from bridge-utils -> ``ip link`` / ``bridge``.

Every subcommand of bridge-utils 1.7 (and ``setgcint`` from older ones). What a
careful human gets wrong, and this module does not:

- timers are seconds for brctl (``setfd br0 2.5``, ``1e2``, ``0x10``) and
  centiseconds for ``ip``; the conversion is brctl's own (:mod:`.numbers`);
- priorities and costs are read with ``%i`` (``010`` is 8); we write decimal;
- brctl keeps the low 16 bits of a bridge priority (70000 -> 4464);
- ``show``/``showstp``/``showmacs`` print a format nothing else prints:
  translated only where nobody parses it.

Where brctl's kernel call failed, the translation checks first: ``delbr`` deletes
only a bridge, ``delif`` releases only a port of that bridge, and names in a
variable are taken one by one, stopping at the first failure (status 1).
``addif`` takes only a device with no master (``ip link set ... master`` moves a
port of another bridge, or of the same, where brctl got EBUSY). Known differences,
reported in the hint of the translation: ``ip link delete`` also removes a bridge
that is up (brctl refused); in a document, or an idempotent translation, ``ip link
set ... master`` moves a port of another bridge.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...diagnostics import Severity
from .args import (
    OFF_WORDS,
    ON_WORDS,
    case_map,
    literal_names,
    name_note,
    on_off,
    refused,
    splitting_word,
    unexpressible_names,
)
from .model import CommandLine, Context, Keep, Note, Parsed, Rewrite, note_at
from .modern import (
    Arg,
    Cmd,
    Shell,
    Unless,
    carried,
    cmd,
    each_word,
    is_kind,
    joined,
    quoted_path,
    text,
)
from .numbers import brctl_centiseconds, scanf_double, scanf_int
from .shell import Usage
from .word_grammar import Mismatch, Node, grammar
from .words import Word

if TYPE_CHECKING:
    from . import effects as fx

TOOL = "brctl"
LEGACY = True

# brctl timer subcommand -> the bridge setting, and the name of the range the kernel enforces
# in netscript.kinds.bridge (looked up there when a script sets the timer: the bridge kind's
# module brings the IR with it, which translating a script to modern commands never needs)
TIMERS = {
    "setageing": ("ageing_time", None),
    "setfd": ("forward_delay", None),  # 2-30 s, but only while STP runs
    "sethello": ("hello_time", "HELLO_TIME"),
    "setmaxage": ("max_age", "MAX_AGE"),
}
PORT_SETTINGS = {"setpathcost": ("cost", 1, 65535), "setportprio": ("priority", 0, 63)}

QUERY_SUGGESTION = {
    "show": "ip -j link show type bridge; bridge -j link show",
    "showmacs": "bridge -j fdb show br BRIDGE",
    "showstp": "ip -j -d link show dev BRIDGE; bridge -j -d link show",
}

# A timer only known at run time, converted the way brctl does (see numbers.brctl_centiseconds);
# a value brctl would refuse prints nothing, and ip refuses the empty argument.
AWK_CENTISECONDS = (
    "'BEGIN { if (s !~ /^[ \\t]*[+]?([0-9]+[.]?[0-9]*|[.][0-9]+)/) exit 1; "
    'printf "%d", (int(s) * 1000000 + int((s - int(s)) * 1000000)) / 10000 }\''
)

GCINT_GONE = "the kernel has had no bridge garbage-collection interval since 2.6"
DELETE_HINT = "unlike brctl, ip deletes a bridge that is still up"
ENSLAVE_HINT = "unlike brctl, ip moves a port that already belongs to another bridge"


@dataclass(frozen=True)
class BrctlCommand:
    """One parsed brctl command line."""
    line: CommandLine
    action: str
    bridge: Word | None = None  # every subcommand but show names one
    ports: tuple[Word, ...] = ()  # addif/delif devices, the port of per-port settings, show's bridges
    value: Word | None = None  # time, priority, cost, on/off (the subcommands that set something)
    number: int | None = None  # the value as the kernel gets it (centiseconds, 0/1...), when literal
    tool: str = TOOL

    # -- modern commands -------------------------------------------------

    def modern(self, ctx: Context) -> Rewrite | Keep:
        """The modern commands that do what this did, or why it stays."""
        a = self.action
        if a in ("show", "showmacs", "showstp"):
            return self.query(ctx)
        if a == "setgcint":
            # Dropped: nothing to set. brctl itself failed here on any kernel since 2.6 (1.7 has
            # no setgcint; older brctl got EOPNOTSUPP from the kernel), so where the script uses
            # that failure it stays, for a person to decide.
            if Usage.STATUS_TESTED in ctx.usage or ctx.statement_of is None:
                return Keep(reason=f"{GCINT_GONE}, and the script tests whether it failed", suggestion="delete it, and what depends on its status")
            return Rewrite((), "brctl setgcint dropped", hint=f"{GCINT_GONE}; brctl failed here (a script under set -e stopped), the translation does nothing")
        br = self.bridge
        assert br is not None  # every subcommand but show names its bridge (parse counted the words)
        if a == "addbr":
            create = cmd("ip", "link", "add", "name", br, "type", "bridge")
            if ctx.options.idempotent:
                return Rewrite((Unless(cmd("ip", "link", "show", "dev", br), create),), "brctl addbr -> ip link add (if missing)")
            return Rewrite((create,), "brctl addbr -> ip link add")
        if a == "delbr":
            # brctl refuses to delete anything but a bridge (EPERM); ip deletes any kind
            steps = (is_kind("bridge", br), cmd("ip", "link", "delete", "dev", br))
            return Rewrite(steps, "brctl delbr -> ip link delete (a bridge only)", hint=DELETE_HINT)
        if a == "addif":
            # the kernel refuses brctl a device that has a master already (EBUSY); ip would move it
            # (an idempotent translation must take its own port again: there the move is the point)
            # (a document shows the command a reader types, and says how it differs)
            checked = ctx.in_script and not ctx.options.idempotent
            steps = each_word(PORT_VAR, self.ports, lambda p: [*([no_master(p)] if checked else []), cmd("ip", "link", "set", "dev", p, "master", br)])
            hint = None if checked else ENSLAVE_HINT
            return Rewrite(steps, "brctl addif -> ip link set master (a device with no master only)", hint=each_hint(self.ports, hint))
        if a == "delif":
            # brctl releases only a port of this bridge (EINVAL for another's); ip releases any port
            steps = each_word(PORT_VAR, self.ports, lambda p: [port_of(br, p), cmd("ip", "link", "set", "dev", p, "nomaster")])
            return Rewrite(steps, "brctl delif -> ip link set nomaster (a port of the bridge only)", hint=each_hint(self.ports))
        given = self.value
        assert given is not None  # the rest set something: parse took the value as the last word
        if a == "hairpin":
            value = text("on" if self.number else "off") if self.number is not None else joined(Shell(case_map(given, _switch("on", "off"))))
            return Rewrite((cmd("ip", "link", "set", "dev", self.ports[0], "type", "bridge_slave", "hairpin", value),), "brctl hairpin -> ip link set type bridge_slave hairpin", self._runtime())
        if a in PORT_SETTINGS:
            key = PORT_SETTINGS[a][0]
            value = text(str(self.number)) if self.number is not None else carried(given)
            return Rewrite((cmd("ip", "link", "set", "dev", self.ports[0], "type", "bridge_slave", key, value),), f"brctl {a} -> ip link set type bridge_slave {key}")
        key, value = self.bridge_setting(given)
        return Rewrite((cmd("ip", "link", "set", "dev", br, "type", "bridge", key, value),), f"brctl {a} -> ip link set type bridge {key}", self._runtime() + self._stp_notes(ctx, br, given))

    def _stp_notes(self, ctx: Context, bridge: Word, given: Word) -> tuple[Note, ...]:
        """STP switched on earlier in the script holds the forward delay to 2-30 s."""
        key = f"{STP_STATE}.{bridge.text}"
        if self.action == "stp":
            ctx.remember(key, bool(self.number) if self.number is not None else None)
        elif self.action == "setfd" and self.number is not None and ctx.recalled(key, False) and not 200 <= self.number <= 3000:
            return (note_at(given, "NS405", f"forward delay {given.value} s is outside 2-30 s, which the kernel refuses while STP is on (switched on above)", severity=Severity.WARNING),)
        return ()

    def bridge_setting(self, given: Word) -> tuple[str, Arg]:
        """The ``ip link set type bridge`` keyword and value for a bridge-wide subcommand."""
        a = self.action
        if a in TIMERS:
            key = TIMERS[a][0]
            if self.number is not None:
                return key, text(str(self.number))
            return key, joined(Shell(f'"$(awk -v s={given.text} {AWK_CENTISECONDS})"'))
        if a == "stp":
            if self.number is not None:
                return "stp_state", text(str(self.number))
            return "stp_state", joined(Shell(case_map(given, _switch("1", "0"))))
        # setbridgeprio: ip reads a variable's value with strtoul(.., 0), as brctl's %i did
        return "priority", text(str(self.number)) if self.number is not None else carried(given)

    def _runtime(self) -> tuple[Note, ...]:
        if self.value is None or self.number is not None or self.action not in (*TIMERS, "stp", "hairpin"):
            return ()
        what = "seconds to centiseconds" if self.action in TIMERS else "on/off"
        return (note_at(self.value, "NS407", f"{self.value.text} is converted ({what}) when the script runs"),)

    def query(self, ctx: Context) -> Rewrite | Keep:
        a, use = self.action, ctx.usage
        suggestion = QUERY_SUGGESTION[a]
        if self.bridge is not None:
            suggestion = suggestion.replace("BRIDGE", self.bridge.text)
        if Usage.OUTPUT_PARSED in use and a == "show" and ctx.in_script and not ctx.prefix:
            # the script reads brctl's table: a function prints it (a function runs under no sudo, env...)
            return Rewrite((cmd("brctl_show", *self.ports),), "brctl show -> brctl_show (the same table, from sysfs)", helpers=("brctl_show",))
        if Usage.OUTPUT_PARSED in use and a == "showstp" and ctx.in_script and not ctx.prefix:
            assert self.bridge is not None  # showstp names its bridge (parse counted the words)
            return Rewrite((cmd("brctl_showstp", self.bridge),), "brctl showstp -> brctl_showstp (the same report, from sysfs)", helpers=("brctl_showstp",))
        if Usage.OUTPUT_PARSED in use:
            return Keep(reason=f"the output of brctl {a} is parsed, and no modern command prints that format", suggestion=suggestion)
        if a == "show":
            bridges = self.ports
        else:
            assert self.bridge is not None  # showmacs and showstp name their bridge (parse counted the words)
            bridges = (self.bridge,)
        # `brctl show` alone always succeeds, as `bridge link show` does: its status says nothing
        if Usage.STATUS_TESTED in use and bridges:
            if Usage.OUTPUT_DISCARDED not in use:
                return Keep(reason=f"the exit status of brctl {a} is tested and its output shown", suggestion=suggestion)
            # brctl fails unless each name is a bridge: exactly what sysfs says
            steps = tuple(is_kind("bridge", b) for b in bridges)
            return Rewrite(steps, f"brctl {a} (status only) -> [ -d /sys/class/net/BRIDGE/bridge ]")
        # shown to a person: the modern display, which fails where brctl failed
        if a == "showmacs":
            steps, modern = (cmd("bridge", "fdb", "show", "br", bridges[0]),), "bridge fdb show"
        elif a == "showstp":
            steps, modern = (cmd("ip", "-d", "link", "show", "dev", bridges[0]),), "ip -d link show"
        elif bridges:
            steps, modern = tuple(cmd("ip", "link", "show", "master", b) for b in bridges), "ip link show master"
        else:
            steps, modern = (cmd("bridge", "link", "show"),), "bridge link show"
        return Rewrite(steps, f"brctl {a} -> {modern} (another output format)")

    # -- effects on the IR -----------------------------------------------

    def effects(self, ctx: Context | None = None) -> list[fx.Effect]:
        """What the command changes, as IR edits (names and values literal)."""
        # here, not at the top: translating to modern commands never asks for the effects (nor the IR)
        from ...ir.model import LinkKind
        from . import effects as fx

        a = self.action
        if a in ("show", "showmacs", "showstp"):
            return [fx.NoEffect(what=f"brctl {a} only shows")]
        if a == "setgcint":
            return [fx.NoEffect(what="no garbage-collection interval in the kernel")]
        names = literal_names(self.bridge, *self.ports)
        if names is None:
            return unexpressible_names(self.bridge, *self.ports)
        br, *ports = names  # every subcommand but show names its bridge first
        if a == "addbr":
            return [fx.CreateLink(br, LinkKind.BRIDGE)]
        if a == "delbr":
            return [fx.DeleteLink(br)]
        if a == "addif":
            return [fx.Enslave(p, br, master_kind=LinkKind.BRIDGE) for p in ports]
        if a == "delif":
            return [fx.Release(p) for p in ports]
        if self.number is None:
            assert self.value is not None  # the rest set something: parse took the value as the last word
            return [fx.Unexpressible(f"{self.value.text} only known at run time")]
        if a == "hairpin":
            return [fx.SetPortOptions(ports[0], LinkKind.BRIDGE, {"hairpin": bool(self.number)})]
        if a in PORT_SETTINGS:
            return [fx.SetPortOptions(ports[0], LinkKind.BRIDGE, {PORT_SETTINGS[a][0]: self.number})]
        if a == "stp":
            return [fx.SetOptions(br, LinkKind.BRIDGE, {"stp_state": bool(self.number)})]
        key = TIMERS[a][0] if a in TIMERS else "priority"
        return [fx.SetOptions(br, LinkKind.BRIDGE, {key: self.number})]


PORT_VAR = "_ns_port"


def port_of(bridge, port) -> Cmd:
    """The test brctl delif's kernel call makes: PORT is a port of BRIDGE (sysfs lists them in brif/)."""
    return cmd("[", "-e", quoted_path("/sys/class/net/", bridge, "/brif/", port), "]")


def no_master(port) -> Cmd:
    """The test brctl addif's kernel call makes: PORT has no master yet (sysfs links it as master)."""
    return cmd("[", Arg((Shell("!"),)), "-e", quoted_path("/sys/class/net/", port, "/master"), "]")


def each_hint(ports, hint: str | None = None) -> str | None:
    """Say why a loop appeared: brctl takes the names one by one and stops at the first it cannot."""
    split = [p.text for p in ports if p.splits]
    if not split:
        return hint
    loop = f"{', '.join(split)} may hold several names: taken one by one, stopping at the first failure, and failing if there is none, as brctl did"
    return f"{loop}; {hint}" if hint else loop
STP_STATE = "brctl.stp"  # in Context.state, per bridge as written: STP on, as the script set it


def _switch(on: str, off: str) -> dict[str, str]:
    return {**dict.fromkeys(ON_WORDS, on), **dict.fromkeys(OFF_WORDS, off)}


# -- parsing -----------------------------------------------------------------


def parse(line: CommandLine) -> Parsed:
    """Read one brctl command line (grammars/brctl.lark); notes say what brctl itself would refuse."""
    args = line.args
    if not args:
        return Parsed(None, [note_at(line, "NS404", "brctl needs a subcommand: brctl addbr|addif|stp|... (see brctl(8))")])
    read = grammar(TOOL).parse(args)
    notes = []
    if isinstance(read, Mismatch) and read.extra and splitting_word(args) is None:
        assert read.word is not None  # extra: a word came after a whole command
        # brctl ignores extra words; so do we, and say so
        usage = f"brctl {grammar(TOOL).usage_for(read.said)}"
        notes.append(note_at(read.word, "NS404", f"brctl {args[0].value} ignores the extra arguments: {usage}", severity=Severity.WARNING))
        read = grammar(TOOL).parse(args[: args.index(read.word)])
    if isinstance(read, Mismatch):
        return Parsed(None, [refused(TOOL, line, read)])
    if read.name == "about":
        return Parsed(None, [note_at(args[0], "NS402", f"brctl {args[0].value} shows brctl's own version or help; nothing to translate")])
    for w in [t.word for t in read.tokens()][1:]:
        if w.value is not None and w.value.startswith("-") and len(w.value) > 1:
            # brctl runs getopt over every argument: `-1` is an unknown option
            return Parsed(None, [note_at(w, "NS405", f"brctl reads {w.value} as an option and fails")])
    return _build(line, read, notes)


def _build(line: CommandLine, read: Node, notes: list[Note]) -> Parsed:
    action = read.name
    if action == "show":
        return Parsed(BrctlCommand(line, action, ports=tuple(read.words("bridge"))), notes)
    bridge = read.word("bridge")
    assert bridge is not None  # every subcommand but show names its bridge (brctl.lark)
    bad = name_note(bridge) if action in ("addbr",) else None
    if bad is not None:
        return Parsed(None, notes + [bad])
    if action in ("addbr", "delbr", "showmacs", "showstp"):
        return Parsed(BrctlCommand(line, action, bridge=bridge), notes)
    if action in ("addif", "delif"):
        return Parsed(BrctlCommand(line, action, bridge=bridge, ports=tuple(read.words("device"))), notes)
    *_, value = (t.word for t in read.tokens())  # the rest set something: the value comes last
    ports = tuple(read.words("port"))
    number, problem = _value(action, value)
    if problem is not None:
        return Parsed(None, notes + [problem])
    if number is not None and action == "setbridgeprio" and number > 65535:
        notes.append(note_at(value, "NS406", f"the kernel keeps the low 16 bits of {value.value}: priority {number & 0xFFFF}"))
        number &= 0xFFFF
    return Parsed(BrctlCommand(line, action, bridge=bridge, ports=ports, value=value, number=number), notes)


def _value(action: str, word: Word) -> tuple[int | None, Note | None]:
    """The kernel's value for a literal argument, or a note saying why brctl fails."""
    v = word.value
    if v is None:
        return None, None
    if action in ("hairpin", "stp"):
        on = on_off(word)
        if on is None:
            return None, note_at(word, "NS405", f"brctl expects on or off, not {v!r}", hint="on, yes, 1 / off, no, 0")
        return int(on), None
    if action in TIMERS:
        seconds = scanf_double(v)
        cs = brctl_centiseconds(seconds) if seconds is not None else None
        key, range_name = TIMERS[action]
        if cs is None:
            return None, note_at(word, "NS405", f"brctl cannot read {v!r} as a time in seconds")
        limits = _bridge_range(range_name) if range_name is not None else None
        if limits is not None and limits.check(cs):
            return None, note_at(word, "NS405", f"{key} {v} s: {limits.check(cs)}; the kernel refuses it")
        return cs, None
    number = scanf_int(v)
    if number is None:
        return None, note_at(word, "NS405", f"brctl cannot read {v!r} as a number")
    if number < 0 or number > 2**31 - 1:
        return None, note_at(word, "NS405", f"{v} is out of range")
    if action in PORT_SETTINGS:
        key, low, high = PORT_SETTINGS[action]
        if not low <= number <= high:
            return None, note_at(word, "NS405", f"port {key} {v} is out of range {low}-{high}; the kernel refuses it")
    return number, None


def _bridge_range(name: str):
    """The bridge kind's range for a timer (netscript.kinds.bridge.HELLO_TIME, ...)."""
    from ...kinds import bridge as bridge_kind

    return getattr(bridge_kind, name)
