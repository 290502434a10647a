"""``--run``: execute each snippet in a throwaway network namespace.

Each snippet gets a namespace of its own (``nsdoc-...``), with a veth
stand-in for every interface it uses without creating (``eth0``), and its
commands run there in order through ``ip netns exec``. The first command that
fails is reported at its line with the kernel's message (NS605); later ones
depend on it and are not run. The namespace is deleted afterwards, also when
the run is interrupted (SIGINT/SIGTERM become an exception, and ``finally``
deletes it).

Only commands whose effects netscript understands run (not queries, not an
XDP program or an ipip tunnel): for the others the sandbox could not stand in
for what they need, so a failure would say nothing about the document.

Never touching the host means never running what could reach it: a snippet
that names namespaces (``ip netns``, ``-n``, ``netns``), needs a master it
does not create, has placeholders, or needs a link kind this kernel lacks
(bond, team, vlan, ipvlan, dummy, vrf here; probed, not assumed) is reported
as skipped (NS606), not run.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import subprocess
import uuid

from ..codes import diag
from ..diagnostics import Diagnostic
from ..frontends.legacy import effects as fx
from ..ir.model import LinkKind
from ..source import Source
from . import checker
from . import snippet as snippets
from .commands import interpret
from .document import Block, Document
from .simulate import assumed_links

TIMEOUT = 20  # seconds for one command
_OPAQUE = (fx.Unexpressible, fx.NoEffect)
PREFIX = "nsdoc-"
_NAMESPACE_WORDS = frozenset({"netns", "-n", "-netns", "-all", "-a"})
# Programs a tool needs besides iproute2.
_PROGRAMS = {"brctl": "brctl", "vconfig": "vconfig", "teamd": "teamd", "teamdctl": "teamdctl", "tunctl": "tunctl", "ifenslave": "ifenslave"}


def _ip(*args, netns: str | None = None, check=False) -> subprocess.CompletedProcess:
    cmd = ["ip", *(["-n", netns] if netns else []), *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, check=check)


class _Interrupted(Exception):
    pass


@contextlib.contextmanager
def _deleting_on_signal():
    """SIGTERM (and SIGINT) raise, so the namespaces' ``finally`` runs."""

    def handler(signum, frame):
        raise _Interrupted(f"signal {signum}")

    old = {}
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            old[sig] = signal.signal(sig, handler)
        except ValueError:  # not the main thread: leave signals alone
            pass
    try:
        yield
    finally:
        for sig, h in old.items():
            signal.signal(sig, h)


@contextlib.contextmanager
def throwaway_namespace():
    name = PREFIX + uuid.uuid4().hex[:10]
    subprocess.run(["ip", "netns", "add", name], check=True, capture_output=True, timeout=TIMEOUT)
    try:
        yield name
    finally:
        subprocess.run(["ip", "netns", "delete", name], capture_output=True, timeout=TIMEOUT)


_KIND_PROBES = {
    LinkKind.BOND: ["type", "bond"],
    LinkKind.DUMMY: ["type", "dummy"],
    LinkKind.VRF: ["type", "vrf", "table", "10"],
    LinkKind.TEAM: ["type", "team"],
    LinkKind.BRIDGE: ["type", "bridge"],
    LinkKind.VXLAN: ["type", "vxlan", "id", "1", "dstport", "4789"],
    LinkKind.VETH: ["type", "veth", "peer", "name", "probe1"],
}
_STACKED_PROBES = {
    LinkKind.VLAN: ["type", "vlan", "id", "1"],
    LinkKind.IPVLAN: ["type", "ipvlan"],
    LinkKind.MACVLAN: ["type", "macvlan"],
    LinkKind.MACVTAP: ["type", "macvtap"],
}


def kernel_has(kind: LinkKind, netns: str, cache: dict) -> bool:
    """Whether this kernel can make a link of ``kind`` (tried in the throwaway namespace)."""
    if kind in cache:
        return cache[kind]
    if kind in (LinkKind.TAP, LinkKind.TUN, LinkKind.PHYSICAL):
        ok = os.path.exists("/dev/net/tun") or kind is LinkKind.PHYSICAL
    elif kind in _KIND_PROBES:
        ok = _ip("link", "add", "probe0", *_KIND_PROBES[kind], netns=netns).returncode == 0
        _ip("link", "delete", "probe0", netns=netns)
    else:
        _ip("link", "add", "probelow", "type", "veth", "peer", "name", "probelow1", netns=netns)
        ok = _ip("link", "add", "link", "probelow", "name", "probe0", *_STACKED_PROBES[kind], netns=netns).returncode == 0
        _ip("link", "delete", "probe0", netns=netns)
        _ip("link", "delete", "probelow", netns=netns)
    cache[kind] = ok
    return ok


# Tools that only make sense with a link kind this kernel may lack.
TOOL_KINDS = {"echo": LinkKind.BOND, "ifenslave": LinkKind.BOND, "teamd": LinkKind.TEAM, "teamdctl": LinkKind.TEAM, "vconfig": LinkKind.VLAN}


def _assumed_addresses(steps) -> list[tuple[str, str]]:
    """Addresses the snippet deletes without having added them: assumed to be there."""
    added, out = set(), []
    for e in (e for s in steps for e in s.effects):
        if isinstance(e, fx.AddAddress):
            added.add((e.name, e.cidr))
        elif isinstance(e, fx.DeleteAddress) and (e.name, e.cidr) not in added:
            out.append((e.name, e.cidr))
    return out


def _shell_text(command: snippets.Command) -> str | None:
    """The command as shell text from word values (None when a word is a placeholder)."""
    parts = []
    for w in command.words:
        if w.value is None:
            return None
        parts.append(shlex.quote(w.value))
    for r in command.redirects:
        if r.target is not None and r.target.value is None:
            return None
        parts.append((str(r.fd) if r.fd is not None else "") + r.operator + (shlex.quote(r.target.value) if r.target else ""))
    return " ".join(parts)


def _why_not(commands, steps, texts) -> str | None:
    if not commands:
        return None
    for command in commands:
        values = [w.value for w in command.words]
        if any(v in _NAMESPACE_WORDS for v in values) or any((v or "").startswith("-n") and len(v or "") > 2 and v.startswith("-netns") for v in values):
            return "it names network namespaces, which live outside the throwaway one"
        program = _PROGRAMS.get(command.tool)
        if program and shutil.which(program) is None:
            return f"{program} is not installed"
    if any(t is None for t in texts):
        return "it has placeholders"
    _, masters = assumed_links(steps)
    if masters:
        names = ", ".join(sorted(name for _, name in masters))
        return f"it needs master {names}, which it does not create"
    return None


def run_snippet(block: Block, doc: Document, kinds_cache: dict) -> list[Diagnostic]:
    snippet = snippets.read(block, script=doc.format == "shell")
    commands, steps = [], []
    for command in snippet.commands:
        found = interpret(command, doc, block, {})
        if found.step is None or not found.step.effects or any(isinstance(e, _OPAQUE) for e in found.step.effects):
            # Not run: what it needs (a device, a file, a kind) is not known, so
            # the sandbox could not stand in for it, and a failure would say
            # nothing about the document. Queries are left out for the same reason.
            continue
        commands.append(command)
        steps.append(found.step)
    texts = [_shell_text(c) for c in commands]
    if not commands:
        return []
    first = doc.span(commands[0].start, commands[0].end)
    reason = _why_not(commands, steps, texts)
    if reason:
        return [diag("NS606", f"snippet not run: {reason}", first)]
    standins, _ = assumed_links(steps)
    out: list[Diagnostic] = []
    with throwaway_namespace() as netns:
        needed = {TOOL_KINDS[s.tool] for s in steps if s.tool in TOOL_KINDS}
        for e in (e for s in steps for e in s.effects):
            kind = getattr(e, "kind", None) or getattr(e, "master_kind", None)
            if isinstance(kind, LinkKind):
                needed.add(kind)
        missing = sorted(k.value for k in needed if not kernel_has(k, netns, kinds_cache))
        if missing:
            return [diag("NS606", f"snippet not run: this kernel has no {', '.join(missing)} links", first)]
        for n, (_, name) in enumerate(sorted(standins, key=lambda k: k[1])):
            _ip("link", "add", name, "type", "veth", "peer", "name", f"nsdoc-peer{n}", netns=netns)
        for name, cidr in _assumed_addresses(steps):
            _ip("address", "add", cidr, "dev", name, netns=netns)  # what the snippet removes must be there
        for command, text in zip(commands, texts):
            done = subprocess.run(
                ["ip", "netns", "exec", netns, "sh", "-c", text], capture_output=True, text=True, timeout=TIMEOUT
            )
            if done.returncode != 0:
                message = (done.stderr.strip() or done.stdout.strip() or f"exit status {done.returncode}").splitlines()
                out.append(
                    diag("NS605", f"`{text}` failed: {message[0]}", doc.span(command.words[0].start, command.end))
                )
                break
    return out


def run_document(source: Source, fmt: str | None = None) -> list[Diagnostic]:
    """Run every snippet of a document, each in its own throwaway namespace."""
    doc = checker.document_of(source, fmt)
    if os.geteuid() != 0:
        return [diag("NS606", "snippets not run: --run needs root to make network namespaces", doc.span(0))]
    out: list[Diagnostic] = []
    cache: dict = {}
    with _deleting_on_signal():
        for block in checker.blocks_of(doc):
            if block.language == "netscript":
                continue
            out += run_snippet(block, doc, cache)
    return out
