"""Writes to the bonding driver's sysfs files -> ``ip link ... type bond``.

    echo +bond0 > /sys/class/net/bonding_masters        ip link add name bond0 type bond
    echo -bond0 > /sys/class/net/bonding_masters        ip link delete dev bond0 (if bond0 is a bond)
    echo 100 > /sys/class/net/bond0/bonding/miimon      ip link set dev bond0 type bond miimon 100
    echo +eth0 > /sys/class/net/bond0/bonding/slaves    ip link set dev eth0 master bond0
    echo eth1:2 > /sys/class/net/bond0/bonding/queue_id ip link set dev eth1 type bond_slave queue_id 2

sysfs takes a mode or policy as a name or its number (``echo 1 > mode``);
the translation writes the name. ``arp_ip_target`` and ``ns_ip6_target`` add
or remove one address at a time (``+10.0.0.1``) while ``ip`` sets the whole
list, so those writes stay as they are (a spec can still read them).

Where the file is only known at run time (``echo "$value" >
/sys/class/net/$BOND/bonding/$key``, ``echo "+$b" > "$BONDING_MASTERS"``),
the write becomes a call of ``bonding_write FILE VALUE``, a function defined
once in the script that picks the ip command for the file when it runs, and
writes the file as before where ip has no equivalent (:func:`write_function`).

Registered for ``echo`` and ``printf``: :func:`accepts` says whether the
command line writes a bonding file at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...ir.model import LinkKind
from ...kinds import bond as bond_kind
from ...kinds.spec import Setting, settings
from . import effects as fx
from .args import did_you_mean, name_note
from .model import CommandLine, Context, Keep, Parsed, Rewrite, note_at
from .modern import Arg, Cmd, Shell, Text, Unless, carried, cmd, is_kind, render_arg, text
from .shell import Redirect
from .words import Lit, Part, Var, Word

TOOL = "sysfs-bonding"
LEGACY = True

_PATH = re.compile(r"/sys/(?:class/net|devices/virtual/net)/(?:(bonding_masters)|(\x00|[^/\x00]+)/bonding/([a-z0-9_]+|\x00))")

# sysfs numbers for the policies whose IR choice has no numeric aliases
NUMBERED = {
    "xmit_hash_policy": ("layer2", "layer3+4", "layer2+3", "encap2+3", "encap3+4", "vlan+srcmac"),
    "arp_validate": ("none", "active", "backup", "all", "filter", "filter_active", "filter_backup"),
    "fail_over_mac": ("none", "active", "follow"),
    "primary_reselect": ("always", "better", "failure"),
    "arp_all_targets": ("any", "all"),
}
# the driver's sysfs files with a value, beyond the IR's options (whether ip takes them is IP_WORDS')
EXTRA = ("lp_interval", "peer_notif_delay", "arp_missed_max", "num_unsol_na", "lacp_active", "coupled_control")
# sysfs files whose `ip link ... type bond` keyword is spelled otherwise: iproute2 refuses
# `peer_notif_delay` ("unknown command"); found by the kernel-lab tier (tests/kernel/test_legacy_lab.py)
IP_KEYWORD = {"peer_notif_delay": "peer_notify_delay"}
LIST_FILES = ("arp_ip_target", "ns_ip6_target")
READ_ONLY = ("ad_aggregator", "ad_num_ports", "ad_actor_key", "ad_partner_key", "ad_partner_mac", "mii_status")


@dataclass(frozen=True)
class BondWrite:
    """One write to a bonding sysfs file."""
    line: CommandLine
    bond: Arg | None  # None: bonding_masters
    bond_name: str | None  # literal bond name when known
    file: str
    value: Word
    redirect: Redirect  # the write to sysfs
    canonical: str | None = None  # the value as ip spells it, when literal
    path: Arg | None = None  # the file as written, when only known at run time (``file`` is then empty)
    tool: str = TOOL

    def modern(self, ctx: Context) -> Rewrite | Keep:
        """The modern commands that do what this did, or why it stays."""
        v, f = self.value, self.file
        if self.path is not None:
            call = cmd("bonding_write", self.path, carried(v))
            still = f"one address per write to {' or '.join(LIST_FILES)}, an empty value, a file ip has no word for or one that is no bonding file is still written to"
            return Rewrite((call,), "> FILE -> bonding_write FILE (the ip command for the file, chosen when the script runs)", hint=still, absorbs=self.redirect.start, helpers=("bonding_write",))
        if f == "bonding_masters":
            name = _carry(v, v.value[1:] if v.value else None, strip_sign=True)
            if _sign(v) == "+":
                create = cmd("ip", "link", "add", "name", name, "type", "bond")
                if ctx.options.idempotent:
                    return _whole((Unless(cmd("ip", "link", "show", "dev", name), create),), "bonding_masters +BOND -> ip link add type bond (if missing)", self.redirect)
                return _whole((create,), "bonding_masters +BOND -> ip link add type bond", self.redirect)
            # the driver deletes only one of its bonds (ENODEV); ip link delete deletes any kind
            return _whole((is_kind("bond", name), cmd("ip", "link", "delete", "dev", name)), "bonding_masters -BOND -> ip link delete (a bond only)", self.redirect)
        assert self.bond is not None  # every file but bonding_masters is a bond's
        if f == "slaves":
            port = _carry(v, v.value[1:] if v.value else None, strip_sign=True)
            if _sign(v) == "+":
                return _whole((cmd("ip", "link", "set", "dev", port, "master", self.bond),), "bonding/slaves +PORT -> ip link set master", self.redirect)
            return _whole((cmd("ip", "link", "set", "dev", port, "nomaster"),), "bonding/slaves -PORT -> ip link set nomaster", self.redirect)
        bond = render_arg(self.bond)
        if f in LIST_FILES:
            address = v.value[1:] if v.value and _sign(v) else None
            targets = address if address and _sign(v) == "+" else "ADDR"
            return Keep(
                reason=f"{f} adds or removes one address per write; ip sets the whole list",
                suggestion=f"ip link set dev {bond} type bond {f} {targets}[,ADDR...] (every target, comma-separated)",
            )
        if f == "queue_id":
            queue_port, _, queue = (v.value or "").partition(":")
            return _whole((cmd("ip", "link", "set", "dev", queue_port, "type", "bond_slave", "queue_id", queue),), "bonding/queue_id -> ip link set type bond_slave queue_id", self.redirect)
        keyword = IP_KEYWORD.get(f, f)
        if keyword not in IP_WORDS:
            # the driver has the file, this ip has no word for it (coupled_control: iproute2 6.9)
            return Keep(reason=f"ip has no bond keyword for {f}; only the sysfs file sets it")
        value = text(self.canonical) if self.canonical is not None else _carry(v, v.value)
        return _whole((cmd("ip", "link", "set", "dev", self.bond, "type", "bond", keyword, value),), f"bonding/{f} -> ip link set type bond {keyword}", self.redirect)

    def effects(self, ctx: Context | None = None) -> list[fx.Effect]:
        """What the command changes, as IR edits (names and values literal)."""
        v = self.value.value
        if v is None or self.path is not None or (self.bond is not None and self.bond_name is None):
            return [fx.Unexpressible(f"{self.value.text} only known at run time")]
        if self.file == "bonding_masters":
            return [fx.CreateLink(v[1:], LinkKind.BOND)] if v.startswith("+") else [fx.DeleteLink(v[1:])]
        bond = self.bond_name
        assert bond is not None  # a bond's file, whose name is literal (a name known at run time returned above)
        if self.file == "slaves":
            return [fx.Enslave(v[1:], bond, master_kind=LinkKind.BOND)] if v.startswith("+") else [fx.Release(v[1:])]
        if self.file == "queue_id":
            port, _, queue = v.partition(":")
            return [fx.SetPortOptions(port, LinkKind.BOND, {"queue_id": int(queue)})]
        if self.file in LIST_FILES or self.file not in BOND_SETTINGS:
            return [fx.Unexpressible(f"bonding {self.file} has no place in a spec")]
        _, meta = BOND_SETTINGS[self.file]
        assert self.canonical is not None  # parse spells every literal value of a setting
        return [fx.SetOptions(bond, LinkKind.BOND, {self.file: meta.codec.parse(self.canonical)})]


BOND_SETTINGS: dict[str, tuple[str, Setting]] = settings(bond_kind.BondOptions)
# what `ip link ... type bond` takes: the kind's settings and the words ip has beyond them
# (kinds/bond.py, held to the installed ip's help by tests/test_ip_commands_checked.py)
IP_WORDS = frozenset(BOND_SETTINGS) | frozenset(bond_kind.SPEC.ip_other) | frozenset(bond_kind.SPEC.ip_aliases)


def _sign(word: Word) -> str | None:
    first = word.parts[0] if word.parts else None
    return first.value[:1] if isinstance(first, Lit) and first.value[:1] in "+-" else None


def _carry(word: Word, literal: str | None, strip_sign: bool = False) -> Arg:
    """The word as an argument, as written; ``+eth0`` / ``"+$PORT"`` lose their sign.

    What is carried keeps where it was written (a document's ``<dev>``, a
    script's ``"$PORT"``), so a document's fix can copy it from there.
    """
    if literal is not None:
        return text(literal)
    if not strip_sign:
        return carried(word)
    written = word.text
    if written[:1] in "+-":
        return Arg((_piece(word, 1, len(written)),))
    if written[:1] in "\"'" and written[1:2] in ("+", "-"):
        return Arg((_piece(word, 0, 1), _piece(word, 2, len(written))))
    # the sign sits deeper (`+"$PORT"` written some other way): quote the rest
    pieces = [Text(p.value.lstrip("+-")) if isinstance(p, Lit) else Shell(f'"${{{p.name}}}"' if isinstance(p, Var) else f'"{p.text}"') for p in word.parts]
    return Arg(tuple(p for p in pieces if not (isinstance(p, Text) and not p.value)))


def _piece(word: Word, start: int, end: int) -> Shell:
    """Characters ``start:end`` of a word as written, located when the word's text is its bytes."""
    written = word.text[start:end]
    if word.end - word.start != len(word.text.encode("utf-8")):
        return Shell(written)  # the source spelled it otherwise (a man page's \\-): not located
    at = word.start + len(word.text[:start].encode("utf-8"))
    return Shell(written, at, at + len(written.encode("utf-8")))


def _whole(steps: tuple[Cmd | Unless, ...], summary: str, redirect: Redirect) -> Rewrite:
    """A rewrite of the whole `echo ... > FILE` statement, redirection included."""
    return Rewrite(steps, summary, absorbs=redirect.start)


# a path computed at run time that names the bonding driver's files (`$BOND_PATH/slaves`, `$BONDING_MASTERS`)
RUNTIME_PATH = re.compile(r"bonding|/slaves$", re.IGNORECASE)


def _target(line: CommandLine) -> tuple[Redirect, re.Match[str] | None, list[Part]] | None:
    """The sysfs redirection of an echo/printf, if it writes a bonding file (no match: a path
    computed at run time that names one)."""
    for r in line.redirects:
        if r.operator in (">", ">>", ">|") and r.fd in (None, 1) and r.target is not None:
            flat, dynamic = _flatten(r.target)
            m = _PATH.fullmatch(flat)
            if m or (dynamic and RUNTIME_PATH.search(r.target.text.strip("\"'"))):
                return r, m, dynamic
    return None


def _flatten(word: Word) -> tuple[str, list[Part]]:
    """The word as text with each expansion replaced by a NUL (and the expansions in order)."""
    out: list[str] = []
    dynamic: list[Part] = []
    for p in word.parts:
        if isinstance(p, Lit):
            out.append(p.value)
        else:
            out.append("\x00")
            dynamic.append(p)
    return "".join(out), dynamic


def _quoted(target: Word) -> Arg | None:
    """A redirection's file as an argument, in double quotes (as a target it was never split);
    None when its own quoting would change inside them."""
    written = target.text
    if written.startswith('"') and written.endswith('"') and written.count('"') == 2 and not re.search(r"[`\\]", written):
        return carried(target)
    if re.search(r"[\"'`\\]", written):
        return None
    return Arg((Shell('"'), _piece(target, 0, len(written)), Shell('"')))


def _written_bond(target: Word, var: Var) -> Arg:
    """The bond's part of the path as the script wrote it (``"$BOND"``, ``${BOND}``, ``<bond>``)."""
    written = target.text
    quoted = written.startswith('"') and written.endswith('"') and written.count('"') == 2
    # under the path as written, or a variable set to it (`$SYSFS/$BOND/bonding/$key`)
    m = re.fullmatch(r"(?:/sys/(?:class/net|devices/virtual/net)|\$\w+|\$\{\w+\})/(.+)/bonding/(?:[a-z0-9_]+|\$\w+|\$\{[^{}'\"`$]+\})", written[1:-1] if quoted else written)
    if m is None:
        return Arg((Shell(f'"${{{var.name}}}"'),))
    at = int(quoted)
    segment = _piece(target, at + m.start(1), at + m.end(1))
    return Arg((Shell('"'), segment, Shell('"')) if quoted else (segment,))


def accepts(line: CommandLine) -> bool:
    """Whether this echo/printf writes a bonding sysfs file."""
    return _target(line) is not None


def parse(line: CommandLine) -> Parsed:
    """Read one `echo VALUE > /sys/class/net/...bonding...` write."""
    found = _target(line)
    if found is None:
        return Parsed(None, [note_at(line, "NS402", "not a write to a bonding sysfs file")])
    redirect, m, dynamic = found
    target = redirect.target
    assert target is not None  # _target takes only a redirection to a file
    words = [w for w in line.args if w.value not in ("-n", "-e", "-E")]
    if line.tool == "printf" and words and (words[0].value is None or "%" in words[0].value or "\\" in words[0].value):
        return Parsed(None, [note_at(line, "NS402", "printf with a format: write the value with echo or translate by hand")])
    if m is None or m.group(3) == "\x00":
        return _at_run_time(line, words, redirect, in_sysfs=m is not None)
    if not words and m.group(3):
        # `echo > .../bonding/primary` writes an empty line, which clears the option;
        # `ip link set ... type bond` has no spelling for "none", so the write stays.
        return Parsed(None, [note_at(line, "NS402", f"an empty write clears {m.group(3)}, which `ip` cannot do: left as written")])
    if len(words) != 1:
        return Parsed(None, [note_at(line, "NS404", f"one value per sysfs write, not {len(words)}")])
    value = words[0]
    if m.group(1):
        if _sign(value) is None:
            return Parsed(None, [note_at(value, "NS405", "bonding_masters takes +NAME or -NAME")])
        bad = name_note(Word(text=value.text[1:], parts=(Lit(value.value[1:]),))) if value.value else None
        if bad is not None:
            return Parsed(None, [note_at(value, "NS405", bad.message)])
        return Parsed(BondWrite(line, None, None, "bonding_masters", value, redirect))
    bond_text, file = m.group(2), m.group(3)
    if bond_text == "\x00":
        if not isinstance(dynamic[0], Var):
            return Parsed(None, [note_at(target, "NS402", "the bond's name is computed at run time")])
        bond, bond_name = _written_bond(target, dynamic[0]), None
    else:
        bond, bond_name = text(bond_text), bond_text
    if file in READ_ONLY:
        return Parsed(None, [note_at(target, "NS405", f"bonding/{file} is read-only")])
    known = set(BOND_SETTINGS) | set(NUMBERED) | set(EXTRA) | set(LIST_FILES) | {"slaves", "queue_id", "active_slave", "mode"}
    if file not in known:
        hint = did_you_mean(file, known)
        return Parsed(None, [note_at(target, "NS403", f"the bonding driver has no file {file!r}", hint)])
    return _value(line, bond, bond_name, file, value, redirect)


def _at_run_time(line: CommandLine, words: list[Word], redirect: Redirect, in_sysfs: bool) -> Parsed:
    """A write to a file only known when the script runs: bonding_write FILE VALUE."""
    target = redirect.target
    assert target is not None  # _target takes only a redirection to a file
    if redirect.operator != ">" and not in_sysfs:
        # bonding_write writes any other file with `>`; appending (or overriding noclobber) differs there
        return Parsed(None, [note_at(target, "NS402", f"{redirect.operator} to a file only known at run time, which may be no bonding file")])
    if len(words) != 1:
        return Parsed(None, [note_at(line, "NS404", f"one value per sysfs write, not {len(words)}")])
    path = _quoted(target)
    if path is None:
        return Parsed(None, [note_at(target, "NS402", f"the file {target.text} is computed with quotes of its own")])
    return Parsed(BondWrite(line, None, None, "", words[0], redirect, path=path))


def _value(line: CommandLine, bond: Arg, bond_name: str | None, file: str, value: Word, redirect: Redirect) -> Parsed:
    v = value.value
    if file in ("slaves",) and _sign(value) is None:
        return Parsed(None, [note_at(value, "NS405", "bonding/slaves takes +PORT or -PORT")])
    if file == "queue_id" and (v is None or not re.fullmatch(r"[^:\s]+:[0-9]+", v)):
        if v is None:
            return Parsed(None, [note_at(value, "NS402", "the port and queue are only known at run time")])
        return Parsed(None, [note_at(value, "NS405", "bonding/queue_id takes PORT:QUEUE")])
    canonical = None
    if v is not None and file in BOND_SETTINGS and file not in LIST_FILES:
        _, meta = BOND_SETTINGS[file]
        codec = meta.codec
        given = v.strip()
        if file in NUMBERED and given.isdigit() and int(given) < len(NUMBERED[file]):
            given = NUMBERED[file][int(given)]
        try:
            parsed = codec.parse(given.split()[0] if file in ("mode", "lacp_rate", "ad_select") and given else given)
        except ValueError as e:
            return Parsed(None, [note_at(value, "NS405", f"bonding/{file}: {e}")])
        problem = codec.check(parsed)
        if problem:
            return Parsed(None, [note_at(value, "NS405", f"bonding/{file}: {problem}")])
        canonical = codec.ip(parsed)
    return Parsed(BondWrite(line, bond, bond_name, file, value, redirect, canonical))


def write_function() -> str:
    """``bonding_write FILE VALUE``: what ``echo VALUE > FILE`` did, for a FILE known only at run time.

    For a bonding driver's file, the ip command the translation of a literal
    write uses (the same table), with the status the write had (1 on failure);
    the write itself where ip has no equivalent (one address per write to
    arp_ip_target, an empty value that clears an option, a file ip has no word
    for), where the file does not exist (the write fails as it did) and for
    any other file.
    """
    settable = sorted(f for f in {*BOND_SETTINGS, *NUMBERED, *EXTRA, "active_slave", "mode"} if IP_KEYWORD.get(f, f) in IP_WORDS and f not in LIST_FILES)
    same = [f for f in settable if f not in IP_KEYWORD]
    lines = [
        "# What `echo VALUE > FILE` did, for a FILE known only when the script runs: for a bonding",
        "# driver's file, the ip command for it; the write itself where ip has none, and for any other file",
        "bonding_write() (",
        "    path=$1",
        "    shift",
        '    value="$*"  # what echo wrote',
        "    file=",
        "    case $path in",
        "        /sys/class/net/bonding_masters | /sys/devices/virtual/net/bonding_masters) file=bonding_masters ;;",
        "        /sys/class/net/*/bonding/* | /sys/devices/virtual/net/*/bonding/*)",
        "            file=${path##*/}",
        "            bond=${path%/bonding/*}",
        "            bond=${bond##*/} ;;",
        "    esac",
        '    [ -e "$path" ] || file=  # no such file: the write fails, as it did',
        '    case $file,$value in',
        '        bonding_masters,+?*) ip link add name "${value#+}" type bond ;;',
        "        # the driver deletes only a bond of its own",
        '        bonding_masters,-?*) [ -d "/sys/class/net/${value#-}/bonding" ] && ip link delete dev "${value#-}" ;;',
        '        slaves,+?*) ip link set dev "${value#+}" master "$bond" ;;',
        "        # the driver releases only its own port; nomaster would detach it from any master",
        '        slaves,-?*) [ -e "/sys/class/net/$bond/lower_${value#-}" ] && ip link set dev "${value#-}" nomaster ;;',
        '        queue_id,?*:*) ip link set dev "${value%%:*}" type bond_slave queue_id "${value#*:}" ;;',
    ]
    patterns = [f"{f},?*" for f in same]
    for i in range(0, len(patterns), 6):
        last = i + 6 >= len(patterns)
        lines.append("        " + (" | ".join(patterns[i : i + 6])) + (")" if last else " | \\"))
    lines.append('            ip link set dev "$bond" type bond "$file" "${value%% *}" ;;  # "802.3ad 4": the name')
    for f in settable:
        if f in IP_KEYWORD:
            lines.append(f'        {f},?*) ip link set dev "$bond" type bond {IP_KEYWORD[f]} "${{value%% *}}" ;;')
    lines += [
        "        # the status the write had: 1 when the file refuses the value, 2 in dash when it cannot be opened",
        "        *) printf '%s\\n' \"$value\" > \"$path\"; exit ;;",
        "    esac || exit 1  # the driver refused the value",
        ")",
    ]
    return "\n".join(lines) + "\n"
