"""vconfig(8) from the vlan package -> ``ip link ... type vlan``.

The kernel's ioctl semantics, which the original vconfig exposed:

- ``add IFACE VID`` names the VLAN by the current *name type*: the default
  ``DEV_PLUS_VID_NO_PAD`` gives ``eth0.2``; ``DEV_PLUS_VID`` ``eth0.0002``,
  ``VLAN_PLUS_VID`` ``vlan0002``, ``VLAN_PLUS_VID_NO_PAD`` ``vlan2``.
  ``set_name_type`` changes the name of every later ``add``: this module keeps
  it in the translation context, in script order.
- ``set_flag DEV MASK 0|1`` takes the kernel's bitmask: REORDER_HDR=1 GVRP=2
  LOOSE_BINDING=4 MVRP=8 BRIDGE_BINDING=16 (several bits at once allowed).
- ``set_egress_map DEV SKB_PRIO QOS`` maps skb priority -> VLAN priority, as
  ``egress-qos-map SKB:QOS``; ``set_ingress_map DEV SKB_PRIO QOS`` maps VLAN
  priority QOS -> skb priority, which ``ip`` writes the other way round:
  ``ingress-qos-map QOS:SKB``.
- the VLAN id is decimal (``010`` is 10); ``ip`` would read ``010`` as 8.
- subcommands and name types are compared with strcasecmp: ``vconfig ADD``,
  ``set_name_type vlan_plus_vid_no_pad`` are valid.

Where a ``vconfig add`` runs relative to the ``set_name_type`` lines is known from the
script's text only when they run in that order (see :func:`prepare`: straight-line
statements, or a function or branch that sets the type before its own add). Elsewhere
(a set_name_type in a function or a branch, a name type in a variable) the name is
chosen when the script runs, as the kernel did: each set_name_type becomes an
assignment of ``_ns_vlan_name_type`` and each such add picks its name by it.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from ...diagnostics import Severity
from ...ir.model import LinkKind
from . import effects as fx
from .args import (
    literal_names,
    refused,
    unexpressible_names,
    unknown,
)
from .functions import function_of, in_function
from .model import CommandLine, Context, Keep, Parsed, Rewrite, note_at
from .modern import Shell, Unless, cmd, is_kind, joined, quoted_path, render_arg, text
from .numbers import atoi
from .usage import Usage
from .word_grammar import Mismatch, grammar
from .words import Word

TOOL = "vconfig"
LEGACY = True
# set_name_type names the VLANs of later adds: it stays while an add is left as written
STATE_SETTERS = ("set_name_type",)
STATE_READERS = ("add",)

NAME_TYPES = ("VLAN_PLUS_VID", "VLAN_PLUS_VID_NO_PAD", "DEV_PLUS_VID", "DEV_PLUS_VID_NO_PAD")
DEFAULT_NAME_TYPE = "DEV_PLUS_VID_NO_PAD"
STATE_KEY = "vconfig.name_type"  # in Context.state: the name type (None: only known at run time)
PLAN = "vconfig.plan"  # in Context.state: add's start -> its name type, RUN_TIME, or None (unknown: left)
RUN_TIME = "vconfig.run_time"  # also in Context.state: True when set_name_type lines set NAME_TYPE_VAR
NAME_TYPE_VAR = "_ns_vlan_name_type"

# The kernel's VLAN_FLAG_* bits and the `ip link ... type vlan` switch of each.
FLAGS = {1: "reorder_hdr", 2: "gvrp", 4: "loose_binding", 8: "mvrp", 16: "bridge_binding"}
ALL_FLAGS = sum(FLAGS)


def vlan_name(name_type: str, iface: str, vid: int) -> str:
    """The name the kernel gives a VLAN made by ``vconfig add`` (cut at 15 bytes, as snprintf did)."""
    name = {
        "VLAN_PLUS_VID": f"vlan{vid:04d}",
        "VLAN_PLUS_VID_NO_PAD": f"vlan{vid}",
        "DEV_PLUS_VID": f"{iface}.{vid:04d}",
        "DEV_PLUS_VID_NO_PAD": f"{iface}.{vid}",
    }[name_type]
    return name.encode()[:15].decode("utf-8", "ignore")


@dataclass(frozen=True)
class VconfigCommand:
    """One parsed vconfig command line."""
    line: CommandLine
    action: str
    device: Word | None = None  # the parent (add) or the VLAN (the others but set_name_type)
    values: tuple[Word, ...] = ()  # the words after the device
    numbers: tuple[int | None, ...] = ()  # their decimal values when literal
    tool: str = TOOL

    def modern(self, ctx: Context) -> Rewrite | Keep:
        """The modern commands that do what this did, or why it stays."""
        a, dev = self.action, self.device
        if a == "set_name_type":
            name_type = self.name_type
            ctx.remember(STATE_KEY, name_type)
            if ctx.state.get(RUN_TIME):
                # the adds that need it pick their names when the script runs
                return Rewrite((cmd(joined(Shell(f"{NAME_TYPE_VAR}={_name_type_value(self.values[0])}"))),), "vconfig set_name_type -> the name type for the vconfig add lines after it")
            return Rewrite((), f"vconfig set_name_type {self.values[0].shown()}: applied to the vconfig add lines after it", hint="applied to the names of the vconfig add lines after it")
        assert dev is not None  # every subcommand but set_name_type names its device (parse counted the words)
        if a == "add":
            return self._add(ctx, dev)
        if a == "rem":
            # vconfig removes only a VLAN (the kernel's EINVAL); ip link delete removes any kind
            return Rewrite((is_kind("vlan", dev), cmd("ip", "link", "delete", "dev", dev)), "vconfig rem -> ip link delete (a VLAN only)")
        if a == "set_flag":
            mask, on = self.numbers
            if mask is None or on is None:
                return Keep(reason="the flag mask or value is only known when the script runs", suggestion="ip link set dev VLAN type vlan reorder_hdr on|off gvrp on|off ...")
            state = "on" if on else "off"
            words = [w for bit, flag in FLAGS.items() if mask & bit for w in (flag, state)]
            return Rewrite((cmd("ip", "link", "set", "dev", dev, "type", "vlan", *words),), "vconfig set_flag -> ip link set type vlan")
        skb, qos = self.values
        skb_n, qos_n = self.numbers
        skb_arg = text(str(skb_n)) if skb_n is not None else joined(skb)
        qos_arg = text(str(qos_n)) if qos_n is not None else joined(qos)
        if a == "set_egress_map":
            mapping = joined(*skb_arg.pieces, ":", *qos_arg.pieces)
            return Rewrite((cmd("ip", "link", "set", "dev", dev, "type", "vlan", "egress-qos-map", mapping),), "vconfig set_egress_map -> ip link set type vlan egress-qos-map SKB:QOS")
        mapping = joined(*qos_arg.pieces, ":", *skb_arg.pieces)
        return Rewrite(
            (cmd("ip", "link", "set", "dev", dev, "type", "vlan", "ingress-qos-map", mapping),),
            "vconfig set_ingress_map -> ip link set type vlan ingress-qos-map QOS:SKB (ip writes the VLAN priority first)",
        )

    @property
    def name_type(self) -> str | None:
        """set_name_type's type in vconfig's spelling, when literal."""
        value = self.values[0].value
        return value.upper() if value is not None else None

    def _add(self, ctx: Context, iface: Word) -> Rewrite | Keep:
        planned = ctx.state.get(PLAN, {}).get(self.line.start)
        name_type = ctx.recalled(STATE_KEY, DEFAULT_NAME_TYPE) if planned is None else planned
        set_earlier = STATE_KEY in ctx.state
        if name_type == RUN_TIME:
            return self._add_named_at_run_time(ctx, iface)
        if name_type is None:
            return Keep(
                reason="the VLAN's name depends on which vconfig set_name_type ran before it (or on a name type only known at run time)",
                suggestion="ip link add link IFACE name NAME type vlan id VID",
            )
        vid_word, vid = self.values[0], self.numbers[0]
        if vid is not None and iface.value is not None:
            name = text(vlan_name(name_type, iface.value, vid))
        elif name_type == "DEV_PLUS_VID_NO_PAD":
            name = joined(iface, ".", vid_word if vid is None else str(vid))
        elif name_type == "VLAN_PLUS_VID_NO_PAD":
            name = joined("vlan", vid_word if vid is None else str(vid))
        else:
            return Keep(reason=f"the {name_type} name pads a VLAN id only known at run time", suggestion="ip link add link IFACE name NAME type vlan id VID")
        vid_arg = text(str(vid)) if vid is not None else joined(vid_word)
        hints = []
        if vid is None:
            hints.append(f"ip reads a VLAN id with a leading 0 as octal: make sure {vid_word.text} has none")
        if set_earlier:
            hints.append(f"named by the {name_type} name type set earlier in the script")
        create = cmd("ip", "link", "add", "link", iface, "name", name, "type", "vlan", "id", vid_arg)
        if ctx.options.idempotent:
            return Rewrite((Unless(cmd("ip", "link", "show", "dev", name), create),), "vconfig add -> ip link add type vlan (if missing)", hint="; ".join(hints) or None)
        return Rewrite((create,), "vconfig add -> ip link add type vlan", hint="; ".join(hints) or None)

    def _add_named_at_run_time(self, ctx: Context, iface: Word) -> Rewrite | Keep:
        """The add whose name type is only known when the script runs: its name chosen then."""
        vid_word, vid = self.values[0], self.numbers[0]
        if vid is None:
            return Keep(
                reason=f"the name type is only known when the script runs, and so is the VLAN id {vid_word.text}",
                suggestion="ip link add link IFACE name NAME type vlan id VID",
            )
        arms = []
        for name_type in NAME_TYPES:
            if iface.value is not None:
                written = shlex.quote(vlan_name(name_type, iface.value, vid))
            elif name_type.startswith("DEV"):
                written = render_arg(quoted_path(iface, "." + (f"{vid:04d}" if name_type == "DEV_PLUS_VID" else str(vid))))
            else:
                written = vlan_name(name_type, "", vid)
            arms.append(f"{'*' if name_type == DEFAULT_NAME_TYPE else name_type}) printf %s {written} ;;")
        arms.append(arms.pop(NAME_TYPES.index(DEFAULT_NAME_TYPE)))  # the default last, as `*)`
        name = joined(Shell(f'"$(case ${{{NAME_TYPE_VAR}-{DEFAULT_NAME_TYPE}}} in {" ".join(arms)} esac)"'))
        create = cmd("ip", "link", "add", "link", iface, "name", name, "type", "vlan", "id", str(vid))
        steps = (Unless(cmd("ip", "link", "show", "dev", name), create),) if ctx.options.idempotent else (create,)
        hint = "named when the script runs, by the name type the vconfig set_name_type lines before it set (as the kernel did)"
        return Rewrite(steps, "vconfig add -> ip link add type vlan (named at run time)", hint=hint)

    def effects(self, ctx: Context | None = None) -> list[fx.Effect]:
        """What the command changes, as IR edits (names and values literal)."""
        a = self.action
        ctx = ctx if ctx is not None else Context()
        if a == "set_name_type":
            ctx.remember(STATE_KEY, self.name_type)
            return [fx.NoEffect(what="vconfig naming")]
        names = literal_names(self.device)
        numbers = [n for n in self.numbers if n is not None]
        if names is None or len(numbers) < len(self.numbers):
            return unexpressible_names(self.device, *self.values)
        (dev,) = names  # every subcommand but set_name_type names its device
        if a == "add":
            name_type = ctx.recalled(STATE_KEY, DEFAULT_NAME_TYPE)
            if name_type is None:
                return [fx.Unexpressible("the VLAN's name depends on a name type only known at run time")]
            name = vlan_name(name_type, dev, numbers[0])
            return [fx.CreateLink(name, LinkKind.VLAN, {"id": numbers[0]}, parent=dev)]
        if a == "rem":
            return [fx.DeleteLink(dev)]
        if a == "set_flag":
            mask, on = numbers
            return [fx.SetOptions(dev, LinkKind.VLAN, {FLAGS[b]: bool(on) for b in FLAGS if mask & b})]
        skb, qos = numbers
        if a == "set_egress_map":
            return [fx.SetOptions(dev, LinkKind.VLAN, {"egress-qos-map": ((skb, qos),)})]
        return [fx.SetOptions(dev, LinkKind.VLAN, {"ingress-qos-map": ((qos, skb),)})]


def parse(line: CommandLine) -> Parsed:
    """Read one vconfig command line."""
    args = line.args
    if not args:
        return Parsed(None, [note_at(line, "NS404", "vconfig needs a subcommand: add, rem, set_flag, set_egress_map, set_ingress_map, set_name_type")])
    read = grammar(TOOL).parse(args)
    if isinstance(read, Mismatch):
        return Parsed(None, [refused(TOOL, line, read)])
    action = read.name
    rest = [t.word for t in read.tokens()][1:]
    if action == "set_name_type":
        kind = rest[0]
        if kind.value is not None and kind.value.upper() not in NAME_TYPES:
            return Parsed(None, [unknown(TOOL, kind, NAME_TYPES, "name type")])
        return Parsed(VconfigCommand(line, action, values=(kind,)))
    device, values = rest[0], tuple(rest[1:])
    numbers, notes = [], []
    for w in values:
        n = atoi(w.value) if w.value is not None else None
        if w.value is not None and (n is None or n < 0):
            return Parsed(None, [note_at(w, "NS405", f"vconfig cannot read {w.value!r} as a number")])
        numbers.append(n)
    if action == "add" and numbers[0] is not None and numbers[0] > 4094:
        return Parsed(None, [note_at(values[0], "NS405", f"VLAN id {values[0].value} is out of range 0-4094")])
    if action == "add" and device.value is not None and numbers[0] is not None:
        full = vlan_name("DEV_PLUS_VID_NO_PAD", device.value, numbers[0])
        if len(f"{device.value}.{numbers[0]}".encode()) > 15:
            notes.append(note_at(line, "NS406", f"the kernel cuts the VLAN name to 15 bytes: {full}"))
    if action == "set_flag":
        mask, on = numbers
        if mask is not None and (mask == 0 or mask & ~ALL_FLAGS):
            return Parsed(None, [note_at(values[0], "NS405", f"flag mask {mask} is not a combination of REORDER_HDR=1 GVRP=2 LOOSE_BINDING=4 MVRP=8 BRIDGE_BINDING=16")])
        if on is not None and on not in (0, 1):
            notes.append(note_at(values[1], "NS405", f"vconfig treats any value but 0 as 1, here {on}", severity=Severity.WARNING))
            numbers[1] = 1
    if action in ("set_egress_map", "set_ingress_map") and numbers[1] is not None and numbers[1] > 7:
        notes.append(note_at(values[1], "NS405", f"VLAN priority {numbers[1]} is out of range 0-7; the kernel keeps its low 3 bits", severity=Severity.WARNING))
    return Parsed(VconfigCommand(line, action, device=device, values=values, numbers=tuple(numbers)), notes)


def _name_type_value(word) -> str:
    """set_name_type's argument as the shell assigns it: vconfig's spelling (strcasecmp)."""
    if word.value is not None:
        return word.value.upper()
    return f"$(printf %s {render_arg(quoted_path(word))} | tr '[:lower:]' '[:upper:]')"


def reads_setters(start: int, state: dict) -> bool:
    """Whether the add at ``start`` was named at run time by the name type the set_name_type lines assign."""
    return state.get(PLAN, {}).get(start) == RUN_TIME


def prepare(commands, state: dict) -> None:
    """Decide, for each vconfig add of a script, whether its name type is known from the text.

    ``commands``: (VconfigCommand, Site) in script order. An add's name type is known
    when no set_name_type can run between the ones the text shows before it and the
    add: all set_name_type lines are statements of the script itself and come first
    (or the add is one too, and only those before it count), or they all set one type
    and one of them runs before the add in a list around it (the same function or
    branch). It is known too when the last set_name_type before the add in the text
    runs before it in a list around it, and no set_name_type is in a function (which
    could be called in between). Otherwise it is chosen at run time (RUN_TIME), which needs every
    set_name_type to be a plain statement of the shell (no wrapper, not in ``$(...)``):
    if one is not, such adds stay as written (None).
    """
    setters = [(c, site) for c, site in commands if c.action == "set_name_type"]
    adds = [(c, site) for c, site in commands if c.action == "add"]
    if not setters or not adds:
        return
    plan = {}
    literal = all(c.name_type is not None for c, _ in setters)
    same = {c.name_type for c, _ in setters}
    spans = state.get("function_spans", [])
    none_in_functions = not any(in_function(spans, site.start) for _, site in setters)
    for _, at in adds:
        before = [(c, site) for c, site in setters if site.start < at.start]
        last = before[-1][1] if before else None
        known = None
        same_function = last is not None and function_of(spans, last.start) == function_of(spans, at.start)
        if last is not None and same_function and before[-1][0].name_type is not None and none_in_functions and last.statement_of is not None and last.statement_of in at.blocks:
            known = before[-1][0].name_type
        elif literal and all(site.top_level for _, site in setters):
            if at.top_level or len(before) == len(setters):
                known = before[-1][0].name_type if before else DEFAULT_NAME_TYPE
        elif literal and len(same) == 1:
            if any(site.statement_of is not None and site.statement_of in at.blocks for _, site in before):
                known = next(iter(same))
            elif at.top_level and not before:
                known = DEFAULT_NAME_TYPE
        plan[at.start] = known if known is not None else RUN_TIME
    if RUN_TIME in plan.values():
        plain = all(site.statement_of is not None and not site.prefix and Usage.OUTPUT_PARSED not in site.usage for _, site in setters)
        if plain:
            state[RUN_TIME] = True
        else:
            plan = {start: (None if value == RUN_TIME else value) for start, value in plan.items()}
    state[PLAN] = plan
