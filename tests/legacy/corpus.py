"""The fixture corpus (tests/legacy/corpus/): each script, its translation, and the checks on it.

Shared by the tests (test_corpus.py) and the measure (measure.py). The checks
are independent of the translator's own idea of where the commands are:

- the translation passes ``bash -n``;
- every line it changes held a legacy command (a tool's name, a path to
  it, a variable naming it, or the bonding driver's files);
- shellcheck finds nothing in it that it did not find in the original;
- every line of the translation that still runs a legacy tool carries a
  finding of the translator's at that line;
- a script with a ``# netns-setup:`` header runs, original and translation,
  each in a fresh network namespace from the same starting state, and leaves
  the same kernel state (links, addresses, routes, static neighbours) with the
  same exit status.

Header lines a script may carry (comments, so they change nothing it does):
``# netns-setup: CMDS`` (the starting state, run with ``sh -ec``),
``# netns-env: K=V ...`` (its environment, shell words), ``# netns-args: ...``
(its arguments), ``# netns-stub: PROG ...`` (programs outside the network it
calls, replaced by the stubs below).
"""

from __future__ import annotations

import contextlib
import difflib
import json
import os
import re
import shlex
import subprocess
import tempfile
import uuid
from collections import Counter
from dataclasses import dataclass
from functools import cache

from netscript.frontends.legacy.helpers import HELPERS, definition
from netscript.frontends.legacy.model import Options
from netscript.frontends.legacy.rewrite import Translation, translate_script

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")

TOOLS = ("brctl", "vconfig", "ifenslave", "tunctl", "teamd", "teamdctl", "ifconfig", "route", "arp")
# A line that mentions a legacy command anywhere (changed lines must): a tool, or the bonding driver's files.
MENTIONS = re.compile(r"(?i)\b(" + "|".join(TOOLS) + r")\b|bonding")
# A tool in command position: at the start of a command, after a path, a variable or a wrapper.
_POSITION = r"(?:^|[;&|(`{]|\$\(|\bthen|\bdo|\belse|\bsudo(?:\s+-u\s+\S+)?|\bexec|\btimeout\s+\d+|\bnohup|\bxargs(?:\s+-n1)?|\$\{?\w+\}?|\brun|\bdo_or_die|\bdo_without_error|\blog_cmd|\bretry|\bsh\s+-c\s+[\"'])"
RUNS = re.compile(_POSITION + r"\s*(?:/usr)?(?:/s?bin/)?(?:\$\w+/)?(" + "|".join(TOOLS) + r")(?=[\s;&|)\"'`]|$)")
ALIASES = re.compile(r"^\s*(?:\$\{?|\"\$\{?)(BRCTL|IFCONFIG|TUNCTL|ROUTE|brctl)\}?\"?\s")
BOND_WRITE = re.compile(r">\s*\"?(?:/sys/class/net|\$SYSFS|\$BONDING_MASTERS)\S*(bonding|slaves)")

# Programs outside the network a script calls, as the tests run them.
STUBS = {
    "sudo": 'while case "$1" in -u|-g) shift 2 ;; -*) shift ;; *) false ;; esac; do :; done\nexec "$@"\n',
    "openvpn": 'case "$1" in --mktun) ip tuntap add dev "$3" mode tap ;; --rmtun) ip tuntap del dev "$3" mode tap ;; esac\n',
    "logger": "exit 0\n",
    "modprobe": "exit 0\n",
    "iptables": "exit 0\n",
    "sysctl": "exit 0\n",
}


def names() -> list[str]:
    """The corpus scripts, by file name."""
    return sorted(n for n in os.listdir(CORPUS) if n.endswith(".sh"))


@cache
def text(name: str) -> str:
    with open(os.path.join(CORPUS, name), encoding="utf-8") as f:
        return f.read()


@cache
def translation(name: str) -> Translation:
    return translate_script(text(name), name, Options())


def header(name: str, key: str) -> str | None:
    m = re.search(rf"^# netns-{key}: (.*)$", text(name), re.M)
    return m.group(1) if m else None


def runnable(name: str) -> bool:
    """Whether the script runs on this kernel (it says how to set up its namespace)."""
    return header(name, "setup") is not None


# -- checks on the text ---------------------------------------------------------


def _logical_lines(script: str) -> list[str]:
    """Lines with their backslash continuations joined: one command, one line."""
    return script.replace("\\\n", " ").splitlines()


def changed_lines(before: str, after: str) -> list[str]:
    """The original's (logical) lines the translation changed."""
    changed = []
    a, b = _logical_lines(before), _logical_lines(after)
    for tag, i1, i2, _j1, _j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            changed += a[i1:i2]
    return changed


def changed_without_legacy(name: str) -> list[str]:
    """Changed lines that held no legacy command."""
    return [line for line in changed_lines(text(name), translation(name).text) if not MENTIONS.search(line)]


def bash_n(script: str) -> str | None:
    """bash's complaint about the text, or None."""
    proc = subprocess.run(["bash", "-n"], input=script, capture_output=True, text=True, check=False)
    return None if proc.returncode == 0 else proc.stderr


def _shellcheck(script: str) -> Counter:
    with tempfile.NamedTemporaryFile("w", suffix=".sh") as f:
        f.write(script)
        f.flush()
        proc = subprocess.run(["shellcheck", "-f", "json1", f.name], capture_output=True, text=True, check=False)
    return Counter(f"SC{c['code']}" for c in json.loads(proc.stdout)["comments"])


def new_shellcheck_findings(name: str) -> Counter:
    """shellcheck codes found more often in the translation than in the original.

    SC2034 (unused variable) for a variable that only named a tool is the
    translator's own finding (NS408) and is not counted.
    """
    new = _shellcheck(translation(name).text) - _shellcheck(text(name))
    dead = sum(1 for d in translation(name).diagnostics if d.code == "NS408" and " names " in d.message)
    if new.get("SC2034", 0) <= dead:
        new.pop("SC2034", None)
    return new


def legacy_lines(script: str) -> list[int]:
    """1-based numbers of the lines that run a legacy tool, outside comments and here-documents."""
    out, heredoc = [], None
    for number, line in enumerate(script.splitlines(), 1):
        if heredoc is not None:
            if line.strip() == heredoc:
                heredoc = None
            continue
        m = re.search(r"<<-?\s*['\"]?(\w+)['\"]?", line)
        code = line.split(" #", 1)[0]
        if not code.lstrip().startswith("#") and (RUNS.search(code) or ALIASES.search(code) or BOND_WRITE.search(code)):
            out.append(number)
        if m:
            heredoc = m.group(1)
    return out


def unreported_left(name: str) -> list[str]:
    """Lines of the translation that still run a legacy tool with no finding of the translator's there.

    The translation's lines are mapped back to the original's (the translator
    reports at the original's lines).
    """
    result = translation(name)
    reported = set()
    for d in result.diagnostics:
        span = d.span
        if span is not None and d.code.startswith("NS4"):
            reported.update(range(span.line, (span.end_line or span.line) + 1))
    before, after = text(name).splitlines(), result.text.splitlines()
    origin: dict[int, int] = {}
    for _tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        for k in range(j2 - j1):
            origin[j1 + k + 1] = i1 + min(k, max(i2 - i1 - 1, 0)) + 1
    # the functions the translation defines are its own (bonding_write still writes a file ip has no word for)
    own = {line for name in (*HELPERS, "bonding_write") if f"\n{name}() (" in result.text for line in definition(name).splitlines()}
    return [after[n - 1] for n in legacy_lines(result.text) if origin.get(n) not in reported and after[n - 1] not in own]


# -- figures ---------------------------------------------------------------------


def left_reasons(result: Translation) -> Counter:
    """Why commands were left, grouped (the reason in the finding, without the command)."""
    reasons: Counter = Counter()
    translated_at = {d.span.line for d in result.diagnostics if d.code == "NS401" and d.span is not None}
    for d in result.diagnostics:
        if d.code in ("NS403", "NS404", "NS405") and d.span is not None and d.span.line not in translated_at:
            reasons["a command the old tool itself refuses (an error at its line)"] += 1
            continue
        if d.code != "NS402" or "another system" in d.message:
            continue
        m = re.match(r"left as written \((.*?)\)?: ", d.message) or re.match(r"left as written: (\w+ runs through \w+)", d.message)
        reason = m.group(1) if m else d.message
        reasons[re.sub(r"'[^']*'|\"[^\"]*\"|\S*\$\{?\w+\}?\S*", "…", reason)[:110]] += 1  # what varies: words from the script
    return reasons


# -- running in namespaces ------------------------------------------------------


@dataclass
class Run:
    state: dict
    status: int
    stderr: str


@contextlib.contextmanager
def namespace():
    """A fresh network namespace, always deleted."""
    name = "ns-corpus-" + uuid.uuid4().hex[:8]
    subprocess.run(["ip", "netns", "add", name], check=True)
    try:
        yield name
    finally:
        subprocess.run(["ip", "netns", "delete", name], check=False)


def run(name: str, script: str) -> Run:
    """Run a script (the original or its translation) in a fresh namespace; what it left and its status."""
    interpreter = "bash" if script.startswith("#!/bin/bash") else "sh"
    env = dict(os.environ)
    for assignment in shlex.split(header(name, "env") or ""):
        key, _, value = assignment.partition("=")
        env[key] = value
    with tempfile.TemporaryDirectory() as work, namespace() as ns:
        stubs = os.path.join(work, "stubs")
        os.mkdir(stubs)
        for program, body in STUBS.items():
            path = os.path.join(stubs, program)
            with open(path, "w") as f:
                f.write("#!/bin/sh\n" + body)
            os.chmod(path, 0o755)
        env["PATH"] = stubs + os.pathsep + env["PATH"]
        subprocess.run(["ip", "netns", "exec", ns, "sh", "-ec", header(name, "setup") or "true"], check=True, capture_output=True, env=env)
        path = os.path.join(work, name)
        with open(path, "w") as f:
            f.write(script)
        args = shlex.split(header(name, "args") or "")
        proc = subprocess.run(["ip", "netns", "exec", ns, interpreter, path, *args], capture_output=True, text=True, env=env, cwd=work, timeout=60, check=False)
        return Run(kernel_state(ns), proc.returncode, proc.stderr)


_BRIDGE_KEYS = ("forward_delay", "hello_time", "max_age", "ageing_time", "stp_state", "priority")
_PORT_KEYS = ("cost", "priority", "hairpin")
_KIND_KEYS = {"tun": ("type", "pi", "vnet_hdr", "multi_queue", "persist", "user", "group"), "macvlan": ("mode",), "vxlan": ("id", "local", "port", "link")}
_IGNORED_FLAGS = ("LOWER_UP", "NO-CARRIER", "M-DOWN")


def kernel_state(ns: str) -> dict:
    """Links, addresses, routes and static neighbours of a namespace, without what the kernel picks at random."""

    def ip(*args):
        out = subprocess.run(["ip", "-n", ns, "-j", *args], capture_output=True, text=True, check=True).stdout
        return json.loads(out or "[]")

    assigned = subprocess.run(
        ["ip", "netns", "exec", ns, "sh", "-c", "for d in /sys/class/net/*; do echo \"${d##*/} $(cat $d/addr_assign_type)\"; done"],
        capture_output=True, text=True, check=True,
    ).stdout
    set_by_hand = {line.rsplit(" ", 1)[0] for line in assigned.splitlines() if line.endswith(" 3")}
    links = {}
    for link in ip("-d", "link", "show"):
        if link["ifname"] == "lo" and "UP" not in link["flags"]:
            continue
        info = link.get("linkinfo", {})
        kind = info.get("info_kind")
        entry = {
            "kind": kind,
            "master": link.get("master"),
            "flags": sorted(f for f in link["flags"] if f not in _IGNORED_FLAGS),
            "mtu": link["mtu"],
            "txqlen": link.get("txqlen"),
            "mac": link.get("address") if link["ifname"] in set_by_hand else None,
            "promiscuity": link.get("promiscuity"),
        }
        data = info.get("info_data", {})
        keys = _BRIDGE_KEYS if kind == "bridge" else _KIND_KEYS.get(kind or "", ())
        entry.update({k: data.get(k) for k in keys})
        if info.get("info_slave_kind") == "bridge":
            entry.update({f"port_{k}": info["info_slave_data"].get(k) for k in _PORT_KEYS})
        links[link["ifname"]] = entry
    for entry in ip("address", "show"):
        if entry["ifname"] in links:
            links[entry["ifname"]]["addresses"] = sorted(
                (a["family"], a["local"], a["prefixlen"], a.get("broadcast"), a.get("label"))
                for a in entry.get("addr_info", [])
                if a.get("scope") != "link"
            )
    # a route's flags say whether its link has carrier now, which follows the link, not the script
    routes = sorted(json.dumps({k: v for k, v in r.items() if k != "flags"}, sort_keys=True) for r in ip("route", "show"))
    neighbours = sorted(json.dumps(n, sort_keys=True) for n in ip("neigh", "show", "nud", "permanent"))
    return {"links": links, "routes": routes, "neighbours": neighbours}


def compare_runs(name: str) -> str | None:
    """How the translation's run differs from the original's (state or status), or None."""
    old = run(name, text(name))
    new = run(name, translation(name).text)
    if old.state == new.state and old.status == new.status:
        return None
    diff = "\n".join(difflib.unified_diff(json.dumps(old.state, indent=1, sort_keys=True).splitlines(), json.dumps(new.state, indent=1, sort_keys=True).splitlines(), "original", "translation", lineterm=""))
    return f"status {old.status} -> {new.status}\noriginal stderr: {old.stderr}\ntranslation stderr: {new.stderr}\n{diff}"
