"""``--run``: a document's snippets run as a reader follows them, in one throwaway namespace.

One namespace (``nsdoc-...``, see :mod:`.sandbox`) holds the whole document:
its code blocks run in order, so a step-by-step how-to whose third block
enslaves to the bridge the first block made is checked as written. What a
snippet uses without creating it (``eth0``) gets a veth stand-in, unless an
earlier snippet made it or deleted it. Within a snippet the commands run in
order; the first that fails is reported at its line with the kernel's message
(NS605, the error rather than a warning ``ip`` printed first) and the rest of
that snippet is not run. A later snippet that needs a link the failed one was
to make is skipped (NS606) rather than failed again.

A reader takes one branch of a ``case`` (or an ``if``), so the first branch
runs on the document's line and every other branch runs in a namespace of
its own, after the document's commands up to that ``case`` are replayed
there; a function's body is run the same way (see :mod:`.branches`).

Only commands whose effects netscript understands run (not queries, not an
XDP program or an ipip tunnel): for the others the sandbox could not stand in
for what they need, so a failure would say nothing about the document.

Never touching the host means never running what could reach it: a snippet
that names namespaces (``ip netns``, ``-n``, ``netns``), has placeholders, or
whose tool is not installed is skipped (NS606), as is one that needs a link
kind this kernel lacks (probed, not assumed) or a master nothing made. Every
namespace is deleted afterwards, also when the run is interrupted
(SIGINT/SIGTERM become an exception, and ``finally`` deletes them).
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
from dataclasses import dataclass, field

from ..codes import diag
from ..diagnostics import Diagnostic
from ..frontends.legacy import effects as fx
from ..ir.model import LinkKind
from ..source import Source
from . import branches, checker
from . import sandbox as box
from .commands import interpret
from .document import Block, Document
from .simulate import assumed_links

# what earlier versions (and tests) import from here
throwaway_namespace = box.throwaway_namespace
kernel_has = box.kernel_has
_deleting_on_signal = box.deleting_on_signal
_Interrupted = box.Interrupted
PREFIX = box.PREFIX

_OPAQUE = (fx.Unexpressible, fx.NoEffect)
_NAMESPACE_WORDS = frozenset({"netns", "-n", "-netns", "-all", "-a"})
# Programs a tool needs besides iproute2.
_PROGRAMS = {"brctl": "brctl", "vconfig": "vconfig", "teamd": "teamd", "teamdctl": "teamdctl", "tunctl": "tunctl", "ifenslave": "ifenslave"}
# Tools that only make sense with a link kind this kernel may lack.
TOOL_KINDS = {"echo": LinkKind.BOND, "ifenslave": LinkKind.BOND, "teamd": LinkKind.TEAM, "teamdctl": LinkKind.TEAM, "vconfig": LinkKind.VLAN}
_MASTER_KINDS = frozenset({"bridge", "bond", "team", "vrf"})


@dataclass
class RunReport:
    """What ``--run`` found in one document, and how many of its snippets ran, passed, failed, were skipped."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    passed: int = 0
    failed: int = 0
    skipped: int = 0

    @property
    def ran(self) -> int:
        return self.passed + self.failed

    def add(self, other: RunReport) -> None:
        self.diagnostics += other.diagnostics
        self.passed += other.passed
        self.failed += other.failed
        self.skipped += other.skipped

    def summary(self) -> str:
        n = self.ran + self.skipped
        return (f"--run: {n} snippet{'s' if n != 1 else ''}: {self.ran} ran, {self.passed} passed, "
                f"{self.failed} failed, {self.skipped} skipped")


@dataclass
class _Unit:
    """Commands that run one after another: a snippet's straight line, or one branch of it."""

    commands: list
    steps: list
    texts: list[str | None]  # each command as shell text (None: it has a placeholder)
    replay_until: int | None = None  # a branch: the document's commands before this offset are replayed first


def _shell_text(command) -> str | None:
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


def _why_not(commands, texts) -> str | None:
    for command in commands:
        values = [w.value for w in command.words]
        if any(v in _NAMESPACE_WORDS for v in values) or any((v or "").startswith("-netns") for v in values):
            return "it names network namespaces, which live outside the throwaway one"
        program = _PROGRAMS.get(command.tool)
        if program and shutil.which(program) is None:
            return f"{program} is not installed"
    if any(t is None for t in texts):
        return "it has placeholders"
    return None


def _needed_kinds(steps) -> set[LinkKind]:
    needed = {TOOL_KINDS[s.tool] for s in steps if s.tool in TOOL_KINDS}
    for e in (e for s in steps for e in s.effects):
        kind = getattr(e, "kind", None) or getattr(e, "master_kind", None)
        if isinstance(kind, LinkKind):
            needed.add(kind)
    return needed


def _assumed_addresses(steps) -> list[tuple[str, str]]:
    """Addresses the snippet deletes without having added them: assumed to be there."""
    added, out = set(), []
    for e in (e for s in steps for e in s.effects):
        if isinstance(e, fx.AddAddress):
            added |= {(e.name, e.cidr), (e.name, e.cidr.split("/")[0])}  # `del 10.0.0.1` deletes 10.0.0.1/24
        elif isinstance(e, fx.DeleteAddress) and (e.name, e.cidr) not in added:
            out.append((e.name, e.cidr))
            added.add((e.name, e.cidr))
    return out


def _made(steps) -> set[str]:
    return {e.name for s in steps for e in s.effects if isinstance(e, fx.CreateLink)} | {
        e.peer for s in steps for e in s.effects if isinstance(e, fx.CreateLink) and e.peer
    }


class _Session:
    """The document's namespace and what has happened in it."""

    def __init__(self, doc: Document, stack: contextlib.ExitStack):
        self.doc = doc
        self.stack = stack
        self.netns: str | None = None
        self.kinds = box.KindProbe(stack)
        self.log: list[tuple[int, list[str]]] = []  # (document offset, argv) of all done there, in order
        self.deleted: set[str] = set()  # links the document deleted: no stand-in brings them back
        self.broken: dict[str, int] = {}  # link -> line of the failure that left it unmade
        self.peers = 0

    def namespace(self) -> str:
        if self.netns is None:
            self.netns = self.stack.enter_context(box.throwaway_namespace())
        return self.netns

    # -- one snippet -------------------------------------------------------

    def run_block(self, block: Block) -> RunReport:
        units, first = self.units(block)
        if not units:
            return RunReport()
        every = [c for u in units for c in u.commands]
        reason = _why_not(every, [t for u in units for t in u.texts])
        if reason:
            return RunReport([diag("NS606", f"snippet not run: {reason}", first)], skipped=1)
        missing = sorted(k.value for k in set().union(*(_needed_kinds(u.steps) for u in units)) if not self.kinds.has(k))
        if missing:
            return RunReport([diag("NS606", f"snippet not run: this kernel has no {', '.join(missing)} links", first)], skipped=1)
        out = RunReport()
        results = []
        for unit in units:
            if unit.replay_until is None:
                results.append(self._run_unit(unit, self.namespace(), record=True))
            else:
                with box.throwaway_namespace() as netns:
                    results.append(self._run_branch(unit, netns, unit.replay_until))
        for found in results:
            out.diagnostics += found
        if any(d.code == "NS605" for d in out.diagnostics):
            out.failed = 1
        elif all(found and all(d.code == "NS606" for d in found) for found in results):
            out.skipped = 1
        else:
            out.passed = 1
        return out

    def units(self, block: Block):
        """The snippet's commands that can run, as units (its straight line, each other branch), and where it starts."""
        snippet = checker.snippet_of(block, self.doc)
        kept = []
        for command in snippet.commands:
            found = interpret(command, self.doc, block, {})
            if found.step is None or not found.step.effects or any(isinstance(e, _OPAQUE) for e in found.step.effects):
                # Not run: what it needs (a device, a file, a kind) is not known, so
                # the sandbox could not stand in for it, and a failure would say
                # nothing about the document. Queries are left out for the same reason.
                continue
            kept.append((command, found.step))
        if not kept:
            return [], None
        first = self.doc.span(kept[0][0].start, kept[0][0].end)
        where = branches.paths(block, [c.start for c, _ in kept])
        units: dict[tuple, _Unit] = {}
        for command, step in kept:
            path = where[command.start]
            cut = next((i for i, (_, b) in enumerate(path) if b != 0), None)
            if cut is not None and not branches.on_straight_line(path[cut + 1 :]):
                continue  # a branch within a branch: one level of alternatives is run
            key = () if cut is None else path[: cut + 1]
            unit = units.setdefault(key, _Unit([], [], [], None if cut is None else path[cut][0][1]))
            unit.commands.append(command)
            unit.steps.append(step)
            unit.texts.append(_shell_text(command))
        return list(units.values()), first

    def _run_branch(self, unit: _Unit, netns: str, replay_until: int) -> list[Diagnostic]:
        for _, argv in [entry for entry in self.log if entry[0] < replay_until]:
            if box.in_namespace(netns, argv).returncode != 0:
                at = self.doc.span(unit.commands[0].start, unit.commands[0].end)
                return [diag("NS606", "branch not run: the commands before it did not replay in a namespace of its own", at)]
        return self._run_unit(unit, netns, record=False)

    def _run_unit(self, unit: _Unit, netns: str, *, record: bool) -> list[Diagnostic]:
        first = self.doc.span(unit.commands[0].start, unit.commands[0].end)
        standins, masters = assumed_links(unit.steps)
        broken = sorted((n, line) for _, n in standins | masters if (line := self.broken.get(n)))
        if broken:
            name, line = broken[0]
            return [diag("NS606", f"snippet not run: it needs {name}, which the command that failed at line {line} was to make", first)]
        present = box.links(netns)
        lacking = sorted(name for _, name in masters if present.get(name) not in _MASTER_KINDS)
        if lacking:
            return [diag("NS606", f"snippet not run: it needs master {', '.join(lacking)}, which nothing before it creates", first)]
        # a veth cannot stand in for a link whose kind's settings the snippet changes
        made = _made(unit.steps)
        kinded = sorted({(e.kind.value, e.name) for s in unit.steps for e in s.effects
                         if isinstance(e, fx.SetOptions) and e.name not in made and present.get(e.name) != e.kind.value})
        if kinded:
            kind, name = kinded[0]
            return [diag("NS606", f"snippet not run: it needs {kind} {name}, which nothing before it creates", first)]
        setup = []
        for _, name in sorted(standins, key=lambda k: k[1]):
            if name not in present and name not in self.deleted:
                self.peers += 1
                setup.append(["ip", "link", "add", name, "type", "veth", "peer", "name", f"nsdoc-peer{self.peers}"])
        for name, cidr in _assumed_addresses(unit.steps):
            setup.append(["sh", "-c", f"ip address add {shlex.quote(cidr)} dev {shlex.quote(name)} 2>/dev/null || true"])
        start = unit.commands[0].start
        for argv in setup:
            box.in_namespace(netns, argv)
            if record:
                self.log.append((start, argv))
        for n, (command, text, step) in enumerate(zip(unit.commands, unit.texts, unit.steps)):
            assert text is not None  # a snippet with a placeholder is not run (_why_not)
            done = box.in_namespace(netns, ["sh", "-c", text])
            if done.returncode != 0:
                line = self.doc.position(command.start)[0]
                if record:
                    for name in _made(unit.steps[n:]):
                        self.broken.setdefault(name, line)
                return [diag("NS605", f"`{text}` failed: {box.failure(done)}", self.doc.span(command.words[0].start, command.end))]
            if record:
                self.log.append((command.start, ["sh", "-c", text]))
                self.deleted |= {e.name for e in step.effects if isinstance(e, fx.DeleteLink)}
                self.deleted -= _made([step])
        return []


def run_session(source: Source, fmt: str | None = None) -> RunReport:
    """Run a document's snippets in order in one throwaway namespace (branches in their own)."""
    doc = checker.document_of(source, fmt)
    blocks = [b for b in checker.blocks_of(doc) if b.language != "netscript"]
    report = RunReport()
    with box.deleting_on_signal(), contextlib.ExitStack() as stack:
        session = _Session(doc, stack)
        if os.geteuid() != 0:
            runnable = sum(1 for b in blocks if session.units(b)[0])
            return RunReport([diag("NS606", "snippets not run: --run needs root to make network namespaces", doc.span(0))],
                             skipped=runnable)
        for block in blocks:
            report.add(session.run_block(block))
    return report


def run_document(source: Source, fmt: str | None = None) -> list[Diagnostic]:
    """The findings of :func:`run_session`."""
    return run_session(source, fmt).diagnostics
