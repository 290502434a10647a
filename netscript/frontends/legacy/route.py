"""route(8) from net-tools -> ``ip route``, IPv4 only.

    route [-n] [-A inet|-4] add|del [-net|-host] TARGET[/LEN] [netmask M] [gw G] [metric N] [[dev] IF]
    route [-n]                                       (the table: left as written)

net-tools sends the route to the kernel with SIOCADDRT/SIOCDELRT; checked in a
namespace, the kernel keeps what ``ip route add`` makes from the same words
(protocol boot, scope link without a gateway and global with one, the metric
as given: route sends metric + 1 and the kernel takes one off). A target with
neither ``-net`` nor ``-host`` is one route guesses at by resolving it, and
the options netscript has no equivalent written for (``mss``, ``window``,
``irtt``, ``reject``, ``mod``, ``dyn``, ``reinstate``, IPv6) leave the command
as written, with the reason. So does the table route prints, which ip route
does not print. Failure is failure for both, though route exits 7 where ip
exits 2.

For ``--to dsl`` and ``check``, the ``ip route`` words are read by the spec's own
route reader (:mod:`netscript.routing.words`), as ``ip route`` lines are.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from ...ir.routing import Route
from ...routing import words as routing_words
from . import effects as fx
from .args import did_you_mean
from .model import CommandLine, Context, Keep, Parsed, Rewrite, note_at
from .modern import Arg, Text, cmd, joined
from .word_grammar import Mismatch, grammar
from .words import Word

TOOL = "route"
LEGACY = True



@dataclass(frozen=True)
class RouteCommand:
    """One route command: add or del of one IPv4 route, or the table (``action`` show)."""

    line: CommandLine
    action: str  # add | del | show
    target: Arg | None = None  # `default` or ADDR[/LEN], as ip route writes it
    via: Word | None = None
    metric: Word | None = None
    dev: Word | None = None
    keep: str | None = None  # why the command stays as written
    tool: str = TOOL

    def modern(self, ctx: Context) -> Rewrite | Keep:
        """The ip route command that does what this did, or why it stays."""
        if self.action == "show":
            return Keep(reason="route prints its table in a format ip route does not print", suggestion="ip route show")
        if self.keep is not None:
            return Keep(reason=self.keep)
        assert self.target is not None  # add and del always have one (parse)
        words: list = ["ip", "route", self.action, self.target]
        if self.via is not None:
            words += ["via", self.via]
        if self.metric is not None:
            words += ["metric", self.metric]
        if self.dev is not None:
            words += ["dev", self.dev]
        return Rewrite((cmd(*words),), f"route {self.action} -> ip route {self.action}")

    def effects(self, ctx: Context | None = None) -> list[fx.Effect]:
        """The ip route command's words, read by the spec's own route reader."""
        if self.action == "show":
            return [fx.NoEffect(what="the routing table")]
        words = _literal_words(self)
        if self.keep is not None or words is None:
            return [fx.Unexpressible(self.keep or "a route with a value known only at run time")]
        reading = routing_words.read_route(words, family=4, deleting=self.action == "del")
        if not isinstance(reading.value, Route):
            return [fx.Unexpressible("route " + " ".join(w.text for w in words))]
        return [fx.DeleteRoute(reading.value) if self.action == "del" else fx.AddRoute(reading.value)]



def _literal_words(command: RouteCommand) -> list[routing_words.Plain] | None:
    """``ip route``'s words after the verb, when every one is literal."""
    if command.target is None or not all(isinstance(p, Text) for p in command.target.pieces):
        return None
    words = [routing_words.Plain("".join(p.value for p in command.target.pieces if isinstance(p, Text)))]
    for key, word in (("via", command.via), ("metric", command.metric), ("dev", command.dev)):
        if word is not None:
            if word.value is None:
                return None
            words += [routing_words.Plain(key), routing_words.Plain(word.value)]
    return words


def parse(line: CommandLine) -> Parsed:
    """Read one route command line (grammars/route.lark)."""
    read = grammar(TOOL).parse(line.args)
    if isinstance(read, Mismatch):
        return _refused(line, read)
    command = next(read.nodes("change"), None) or next(read.nodes("flush"), None)
    action = next(command.tokens()).word.text if command is not None else "show"
    for option in read.parts():
        if option.name == "family" and option.values()[0].value != "inet":
            return _kept(line, action if command is not None else "show", "only IPv4 routes (-A inet) are translated")
        if option.name == "cache":
            return _kept(line, "show", f"route {next(option.tokens()).word.text} has no ip route equivalent written for it")
    if command is None:
        return Parsed(RouteCommand(line, "show"))
    if command.name == "flush":
        return _kept(line, "show", "route flush has no ip route equivalent written for it")
    target_word = command.word("target")
    assert target_word is not None  # route.lark: add and del name their target
    target = target_word.value
    if target is None:
        return _kept(line, action, f"the target {target_word.text} is only known at run time")
    kind_node = next((p for p in command.parts() if p.name in ("net", "host")), None)
    kind = f"-{kind_node.name}" if kind_node is not None else None
    if kind is None and target != "default":
        return _kept(line, action, "without -net or -host, route guesses which the target is by resolving it")
    options: dict[str, Word] = {}
    for setting in command.parts():
        if setting.name == "no_equivalent":
            return _kept(line, action, f"route's {next(setting.tokens()).word.text} has no ip route equivalent written for it")
        if setting.name in ("netmask", "gw", "metric", "dev"):
            options[setting.name] = setting.values()[0]
    device = command.word("device")  # route takes a last bare word as the device
    if device is not None:
        if (device.value or "").startswith("-"):
            return Parsed(None, [note_at(device, "NS403", f"route has no option {device.text!r} here")])
        options["dev"] = device
    destination = _destination(target, kind, options.get("netmask"))
    if isinstance(destination, str):
        return _kept(line, action, destination)
    metric = options.get("metric")
    if metric is not None and not (metric.value or "").isdigit():
        return _kept(line, action, f"the metric {metric.text} is not a decimal number route reads as ip does")
    return Parsed(RouteCommand(line, action, destination, options.get("gw"), metric, options.get("dev")))


def _refused(line: CommandLine, read: Mismatch) -> Parsed:
    """Where route's words stop being a command netscript reads, and what that means."""
    word, said = read.word, [k for k in read.said if k not in ("-net", "-host")]
    action = next((k for k in said if k in ("add", "del")), None)
    if action is None:  # the options, then no action netscript reads
        if word is None:  # `route -A`
            return _kept(line, "show", "only IPv4 routes (-A inet) are translated")
        if word.value is None:
            return _kept(line, "add", f"the action {word.text} is only known at run time")
        if word.value.startswith("-"):
            return _kept(line, "show", f"route {word.value} has no ip route equivalent written for it")
        hint = did_you_mean(word.value, read.expected) or "route add|del ..."
        return Parsed(None, [note_at(word, "NS403", f"route has no action {word.value!r}", hint)])
    if word is None and said[-1] == action:
        return Parsed(None, [note_at(line, "NS404", f"missing target: route {action} {{-host|-net}} TARGET ...")])
    if word is None:
        return Parsed(None, [note_at(line, "NS404", f"route {said[-1]} needs a value")])
    return Parsed(None, [note_at(word, "NS403", f"route has no option {word.text!r} here")])


def _destination(target: str, kind: str | None, netmask: Word | None) -> Arg | str:
    """The route's destination as ip writes it, or why it cannot be written."""
    if target in ("default", "0.0.0.0") and kind != "-host" and (netmask is None or netmask.value in ("0.0.0.0", None)):
        return joined("default")
    if netmask is not None:
        if netmask.value is None:
            return f"the netmask {netmask.text} is only known at run time"
        if kind == "-host" or "/" in target:
            return "route refuses a netmask here"
        try:
            network = ipaddress.IPv4Network(f"{target}/{netmask.value}")
        except ValueError:
            return f"{target} netmask {netmask.value} is not a network route accepts"
        return joined(str(network))
    if kind == "-net" and "/" not in target:
        return "route -net without a netmask or /LEN derives the netmask itself"
    if kind == "-host" and "/" in target:
        return "route refuses a prefix length on a host"
    try:
        ipaddress.IPv4Network(target, strict=kind == "-net")
    except ValueError:
        return f"{target} is not an IPv4 address or network (a name route resolves)"
    return joined(target)


def _kept(line: CommandLine, action: str, reason: str) -> Parsed:
    return Parsed(RouteCommand(line, action, keep=reason))
