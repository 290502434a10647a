"""Network sysctls in scripts: ``sysctl -w net.ipv4.ip_forward=1`` and ``echo 1 > /proc/sys/net/ipv4/ip_forward``.

Both are already how the kernel takes the setting, so a translation keeps
them as written; what they are read for is the spec (``translate --to dsl``)
and ``check``, where the key is held to what the kernel has (NS235). Keys
outside ``net.*`` are not the network's and are not part of a spec.

Registered for ``sysctl``, and for ``echo`` / ``printf`` beside the bonding
sysfs reader: :func:`accepts` takes an ``echo`` only when it writes under
/proc/sys/net.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...ir.routing import Sysctl
from ...routing import words as routing_words
from . import effects as fx
from .model import CommandLine, Context, Keep, Parsed, note_at

TOOL = "sysctl"
LEGACY = False

PROC_NET = "/proc/sys/net/"
# sysctl(8) options that take no value, and those that make it do something else than set
QUIET = frozenset({"-w", "--write", "-q", "--quiet", "-e", "--ignore", "-n", "--values", "-N", "--names"})
NOT_A_WRITE = frozenset({"-a", "-A", "-X", "--all", "-p", "--load", "--system", "-r", "--pattern", "-h", "--help",
                         "-V", "--version"})  # fmt: skip


@dataclass(frozen=True)
class SysctlCommand:
    line: CommandLine
    effects_: tuple[fx.Effect, ...]
    tool: str = TOOL

    def modern(self, ctx: Context) -> Keep:
        return Keep(reason="already how the kernel takes a sysctl")

    def effects(self, ctx: Context | None = None) -> list[fx.Effect]:
        return list(self.effects_)


def _proc_target(line: CommandLine):
    """The redirection of an echo/printf that writes a file under /proc/sys/net, else None."""
    for redirect in line.redirects:
        target = redirect.target.value if redirect.target is not None else None
        if redirect.writes_stdout and target is not None and target.startswith(PROC_NET):
            return redirect
    return None


def accepts(line: CommandLine) -> bool:
    return line.tool == "sysctl" or _proc_target(line) is not None


def _setting(line: CommandLine, at, key: str, value: str) -> tuple[list[fx.Effect], list]:
    """One KEY=VALUE: a SetSysctl for a network key, with the reader's problems as notes."""
    path = routing_words.sysctl_path(key)
    if path[:1] != ("net",):
        return [fx.Unexpressible(f"sysctl {key} is not a network setting")], []
    word = routing_words.Plain(f"{key}={value}")
    reading = routing_words.read_sysctl([word])
    notes = [note_at(at, d.code, d.message, hint=d.hint) for d in reading.errors]
    if not isinstance(reading.value, Sysctl):
        return [fx.Unexpressible(f"sysctl {key}")], notes
    return [fx.SetSysctl(reading.value)], notes



def parse(line: CommandLine) -> Parsed:
    if line.tool != "sysctl":
        return _parse_write(line)
    if any(w.value is None for w in line.args):
        return Parsed(SysctlCommand(line, (fx.Unexpressible("a sysctl known only at run time"),)))
    effects: list[fx.Effect] = []
    notes: list = []
    for word in line.args:
        text = word.value
        assert text is not None  # checked above
        if text in NOT_A_WRITE or (text.startswith("-") and text not in QUIET):
            return Parsed(SysctlCommand(line, (fx.NoEffect(what=f"sysctl {text}"),)))
        if text in QUIET:
            continue
        if "=" not in text:
            effects.append(fx.NoEffect(what=f"sysctl {text}"))  # a read
            continue
        key, _, value = text.partition("=")
        found, problems = _setting(line, word, key, value)
        effects += found
        notes += problems
    return Parsed(SysctlCommand(line, tuple(effects)), notes)


def _parse_write(line: CommandLine) -> Parsed:
    redirect = _proc_target(line)
    assert redirect is not None and redirect.target is not None  # accepts() said so
    words = [w for w in line.args if w.value not in ("-n", "-e", "-E")]
    if any(w.value is None for w in words) or (line.tool == "printf" and words and "%" in (words[0].value or "")):
        return Parsed(SysctlCommand(line, (fx.Unexpressible("a sysctl value known only at run time"),)))
    value = " ".join(w.value or "" for w in words)
    key = redirect.target.value
    assert key is not None  # _proc_target took only a literal path
    found, notes = _setting(line, redirect.target, key, value)
    return Parsed(SysctlCommand(line, tuple(found)), notes)
