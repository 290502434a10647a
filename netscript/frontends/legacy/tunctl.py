"""tunctl(8) from uml-utilities -> ``ip tuntap``.

    tunctl [-b] [-u owner] [-g group] [-t name] [-n|-p] [-f clone-device]
    tunctl -d name [-n|-p] [-f clone-device]

tunctl makes a persistent tap (``-p``, the default) or tun (``-n``, newer
tunctl only; uml-utilities' makes taps) device without packet information,
as ``ip tuntap add`` does. Without ``-u`` tunctl gives the device to the user
running it (``geteuid()``) unless ``-g`` gives it to a group, so the
translation says ``user "$(id -u)"`` where tunctl would have.
Without ``-t`` the kernel picks the name and tunctl prints it: a script that
captures it (``TAP=$(tunctl -b)``) has no ``ip`` equivalent and is left as
written. ``vde_tunctl`` is another program and is never touched.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ...ir.model import LinkKind
from . import effects as fx
from .args import getopt, literal_names, name_note, unexpressible_names
from .model import CommandLine, Context, Keep, Parsed, Rewrite, note_at
from .modern import Arg, Cmd, Shell, Unless, carried, cmd, joined, text
from .shell import Usage
from .word_grammar import Mismatch, grammar
from .words import Var, Word

TOOL = "tunctl"
LEGACY = True

CLONE_DEVICE = "/dev/net/tun"


@dataclass(frozen=True)
class TunctlCommand:
    """One parsed tunctl command line."""
    line: CommandLine
    delete: bool
    name: Word | None = None  # None: the kernel chooses the name
    mode: str = "tap"
    user: Word | None = None
    group: Word | None = None
    brief: bool = False
    tool: str = TOOL

    def modern(self, ctx: Context) -> Rewrite | Keep:
        """The modern commands that do what this did, or why it stays."""
        mode = self.mode
        if self.delete:
            assert self.name is not None  # -d takes the name of the device it deletes
            return Rewrite((cmd("ip", "tuntap", "del", "dev", self.name, "mode", mode),), f"tunctl -d -> ip tuntap del mode {mode}")
        if Usage.OUTPUT_PARSED in ctx.usage and (self.name is None or not self.brief):
            return Keep(
                reason="the script reads what tunctl prints, which ip tuntap does not print",
                suggestion=f"ip tuntap add dev NAME mode {mode}, with a name the script chooses",
            )
        runner = prefix_variable(ctx.prefix)
        if self.user is None and self.group is None and runner is not None:
            # `$SUDO tunctl -t tap0`: the device goes to whoever the prefix runs it as, sudo's root or the caller
            return Keep(reason=f"tunctl gives the device to the user it runs as, and {runner.text} may change that", suggestion="tunctl -u USER, or ip tuntap add ... user USER")
        words: list[Arg | str | Word] = ["ip", "tuntap", "add"]
        if self.name is not None:
            words += ["dev", self.name]
        words += ["mode", mode]
        # given neither owner nor group, tunctl gives the device to whoever runs it (geteuid())
        if self.user is not None or self.group is None:
            words += ["user", self.user if self.user is not None else runs_as(ctx.prefix)]
        if self.group is not None:
            words += ["group", self.group]
        create = cmd(*words)
        steps: list[Cmd | Unless] = [create]
        if ctx.options.idempotent and self.name is not None:
            steps = [Unless(cmd("ip", "link", "show", "dev", self.name), create)]
        if Usage.OUTPUT_PARSED in ctx.usage:
            assert self.name is not None  # with no name, a tunctl whose output is read was kept above
            steps.append(cmd("printf", "%s\\n", self.name))  # what `tunctl -b -t NAME` prints
        return Rewrite(tuple(steps), f"tunctl -> ip tuntap add mode {mode}")

    def effects(self, ctx: Context | None = None) -> list[fx.Effect]:
        """What the command changes, as IR edits (names and values literal)."""
        if self.name is None:
            return [fx.Unexpressible("the kernel chooses the device's name")]
        names = literal_names(self.name, self.user, self.group)
        if names is None:
            return unexpressible_names(self.name, self.user, self.group)
        name = names[0]
        kind = LinkKind.TAP if self.mode == "tap" else LinkKind.TUN
        if self.delete:
            return [fx.DeleteLink(name)]
        options = {k: w.value for k, w in (("user", self.user), ("group", self.group)) if w is not None}
        return [fx.CreateLink(name, kind, options)]


# Wrappers that run the command as another user, and their option naming that user
# (default: root). sudo -g alone keeps the caller's user, so the caller's uid stays.
SWITCH_USER = {"sudo": ("-u", "--user"), "doas": ("-u",)}


def prefix_variable(prefix) -> Word | None:
    """A variable in front of the command that runs it (``$SUDO tunctl``), not an option's value (``sudo -u $U``)."""
    for i, word in enumerate(prefix):
        runs = i == 0 or prefix[i - 1].value is None  # after assignments (computed words) or another variable
        if runs and word.splits and len(word.parts) == 1 and isinstance(word.parts[0], Var):
            return word
    return None


def runs_as(prefix) -> Arg:
    """The user the command runs as, given the words before it: ``sudo``'s target, else the caller.

    ``$(id -u)`` is expanded by the calling shell, before ``sudo`` runs: under sudo
    it would name the user who typed it, where tunctl (running as root) used root.
    """
    user = None
    for i, word in enumerate(prefix):
        wrapper = os.path.basename(word.value or "")
        if wrapper not in SWITCH_USER:
            continue
        options = [w.value for w in prefix[i + 1 :]]
        user = text("0")
        for j, option in enumerate(options):
            if option in SWITCH_USER[wrapper] and i + 2 + j < len(prefix):
                named = prefix[i + 2 + j]
                user = text(named.value[1:]) if named.value and named.value[:1] == "#" else carried(named)
            elif option is not None and option.startswith(("-u", "--user=")) and option not in ("-u", "--user"):
                user = text(option.split("=", 1)[1] if option.startswith("--") else option[2:])
            elif option in ("-g", "--group") and not any(o in SWITCH_USER[wrapper] for o in options):
                user = None
    return user if user is not None else joined(Shell('"$(id -u)"'))


def parse(line: CommandLine) -> Parsed:
    """Read one tunctl command line."""
    options, operands, problem = getopt(TOOL, line.args)
    if problem is not None:
        return Parsed(None, [problem])
    read = grammar(TOOL).parse([*options, *operands], operands=operands)
    if isinstance(read, Mismatch):
        assert read.word is not None  # any options are a whole command: what stops it is an operand
        return Parsed(None, [note_at(read.word, "NS404", f"tunctl takes options only, not {read.word.text!r}")])
    given = {o.name: o.values()[0] for o in read.parts() if o.values()}  # -t -u -g -d -f: the last counts
    switches = {o.name for o in read.parts() if not o.values()}  # -b -n -p
    clone = given.get("clone")
    if clone is not None and clone.value != CLONE_DEVICE:
        return Parsed(None, [note_at(clone, "NS402", f"ip tuntap always uses {CLONE_DEVICE}, not {clone.text}")])
    mode = "tun" if "tun" in switches and "tap" not in switches else "tap"
    delete = given.get("delete")
    name = delete if delete is not None else given.get("name")
    if name is not None:
        bad = name_note(name)
        if bad is not None:
            return Parsed(None, [bad])
    return Parsed(
        TunctlCommand(line, delete is not None, name, mode, given.get("user"), given.get("group"), "brief" in switches)
    )
