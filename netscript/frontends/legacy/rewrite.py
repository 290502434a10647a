"""Translating a whole script: rewrite the byte spans of legacy commands, nothing else.

:func:`translate_script` scans the script (:mod:`.shell`), hands each legacy
command to its tool's parser (:mod:`.registry`), and replaces the command's
span with the modern commands; every other byte is copied. Each legacy
command is reported, translated or not. A command nested in another's
arguments (``brctl addif br0 $(brctl ...)``) is rewritten inside the outer
one's carried-over text.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType

from ...codes import diag
from ...diagnostics import Diagnostic, Edit, Fix, Severity
from . import registry, runners
from .constants import fixed_paths, resolved
from .functions import function_spans
from .helpers import definitions, insertion_point
from .leftovers import guard_findings, unseen_invocations
from .model import CommandLine, Context, Keep, Locator, Options, Rewrite
from .modern import Arg, Cmd, Guarded, Shell, render_piece, render_steps
from .platform import branch_of, other_system_branches
from .run_time_words import RunTimeWords, read_at_run_time, wrap
from .shell import Site, errexit_on_from, errexit_possible, scan
from .words import Var


@dataclass
class Translation:
    """The new script and what happened to each legacy command."""

    text: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    translated: int = 0
    left: int = 0
    warned: int = 0
    fatal: bool = False  # the input is not shell bash can read

    @property
    def summary(self) -> str:
        return f"{self.translated} translated, {self.left} left, {self.warned} warned"


@dataclass
class _Edit:
    start: int
    end: int
    render: Callable[[Callable[[int, int], str]], str]  # given the source's text (with the edits inside) -> the new text
    instead: _Edit | None = None  # a dropped line: the edit to make if its block would be left empty


class _Writer:
    """The source with edits applied; edits may sit inside other edits' carried text."""

    def __init__(self, source: bytes):
        self.source = source
        self.edits: list[_Edit] = []

    def add(self, edit: _Edit):
        self.edits.append(edit)

    def text(self, start: int, end: int) -> str:
        out, pos = [], start
        for e in self._outermost(start, end):
            out.append(self.source[pos : e.start].decode("utf-8", "replace"))
            out.append(e.render(self.text))
            pos = e.end
        out.append(self.source[pos:end].decode("utf-8", "replace"))
        return "".join(out)

    def _outermost(self, start: int, end: int) -> list[_Edit]:
        inside = sorted((e for e in self.edits if start <= e.start and e.end <= end and (e.start, e.end) != (start, end)), key=lambda e: (e.start, -e.end))
        out, reach = [], start
        for e in inside:
            if e.start >= reach:
                out.append(e)
                reach = e.end
        return out


def translate_script(text: str, path: str = "<script>", options: Options | None = None, *, check: bool = False) -> Translation:
    """Rewrite the legacy commands of a shell script.

    ``check``: report legacy commands as findings (warnings) rather than as
    translations (infos); the text is produced either way.
    """
    options = options or Options()
    script = scan(text, registry.TOOLS)
    locator = Locator(path, script.source)
    result = Translation(text=text)
    bash_ok = _bash_accepts(text)
    if script.errors:
        if bash_ok is False:
            start, end = script.errors[0]
            result.diagnostics.append(diag("NS103", "bash cannot parse this script", locator.span(start, end)))
            result.fatal = True
            return result
        for start, end in script.errors:
            result.diagnostics.append(diag("NS411", "the shell parser could not read this part; it is left as written", locator.span(start, end)))
    writer = _Writer(script.source)
    state: dict = {"script": text, "bodies": script.bodies}  # a tool may read how the script sets a variable (ifconfig: an alias name)
    state["fixed_paths"] = fixed_paths(script, text)  # `> "$BONDING_MASTERS"` writes the file it names
    state["errexit"] = errexit_possible(script)  # where set -e cannot be on, `a && b` needs no `|| false`
    state["errexit_on_from"] = errexit_on_from(script)  # where it surely is, steps are statements of their own
    left_by_tool: dict[str, int] = {}
    done_by_tool: dict[str, int] = {}
    # script order, a command nested in another's arguments before the outer one
    done_sites: list[Site] = []
    done: list[_Done] = []
    elsewhere = other_system_branches(text)
    ordered = [s for s in sorted(script.sites, key=lambda s: (s.end, -s.start)) if not (elsewhere and branch_of(elsewhere, s.start))]
    _prepare(ordered, state, text)
    for site in sorted(script.sites, key=lambda s: (s.end, -s.start)):
        branch = branch_of(elsewhere, site.start) if elsewhere else None
        if branch is not None:
            _report_other_system(site, branch, writer, locator, result)
            continue
        outcome = _translate_site(site, options, state, writer, locator, result, check)
        if outcome is None or site.tool is None:  # not a legacy command (a tool's has its tool)
            continue
        done.append(outcome)
        if outcome.translated:
            done_sites.append(site)
            done_by_tool[site.tool] = done_by_tool.get(site.tool, 0) + 1
        else:
            left_by_tool[site.tool] = left_by_tool.get(site.tool, 0) + 1
    _keep_settings_still_needed(done, writer, locator, result, state)
    result.diagnostics += guard_findings(script, locator, left_by_tool, registry.LEGACY_TOOLS)
    unseen = unseen_invocations(script, locator, registry.LEGACY_TOOLS)
    result.diagnostics += unseen
    result.left += len(unseen)
    for use in script.indirect:
        if use.tool not in registry.LEGACY_TOOLS:
            continue
        result.diagnostics.append(
            diag(
                "NS402",
                f"left as written: {use.tool} runs through {use.how}, which netscript cannot rewrite in place",
                locator.span(use.start, use.end),
                hint=f"call {use.tool}'s modern equivalent in the command {use.how} runs",
            )
        )
        result.left += 1
    _report_dead_aliases(script, done_sites, locator, result)
    _keep_blocks_nonempty(writer, bash_ok, done, result)
    new_text = writer.text(0, len(script.source))
    if bash_ok and _bash_accepts(new_text) is False:
        # nothing is written, so nothing was translated: the summary and findings must say so
        result.left += result.translated
        result.translated = 0
        result.diagnostics = [d for d in result.diagnostics if d.code != "NS401"]
        result.diagnostics.append(diag("NS302", "internal error: the translation does not pass `bash -n`; nothing was changed", locator.span(0, 0)))
        return result
    needed = [h for d in done if d.translated and d.edit in writer.edits for h in d.helpers]
    if needed:
        at = insertion_point(script.source)  # edits are all on commands, after the header comments
        new_text = new_text[:at] + definitions(needed) + new_text[at:]
    result.text = new_text
    result.warned = sum(1 for d in result.diagnostics if d.severity is Severity.WARNING and d.code not in ("NS401", "NS402"))
    return result


def _alias_of(site: Site) -> str | None:
    parts = site.name.parts
    return parts[0].name if len(parts) == 1 and isinstance(parts[0], Var) else None


def _report_dead_aliases(script, done_sites, locator, result) -> None:
    """A variable that named the tool, now that every command through it is translated."""
    used: dict[str, list[Site]] = {}
    for site in script.sites:
        var = _alias_of(site)
        if var is not None and var in script.aliases:
            used.setdefault(var, []).append(site)
    done = {id(s) for s in done_sites}
    for var, sites in used.items():
        if all(id(s) in done for s in sites):
            for start, end in script.alias_assignments.get(var, []):
                result.diagnostics.append(
                    diag(
                        "NS408",
                        f"{var} names {script.aliases[var]}, which the translated script no longer runs",
                        locator.span(start, end),
                        hint=f"delete the assignment (shellcheck now sees {var} unused: SC2034)",
                    )
                )


@dataclass
class _Done:
    """What happened to one legacy command."""

    site: Site
    module: ModuleType  # the tool's reader (registry.TOOLS)
    action: str | None
    translated: bool
    edit: _Edit | None = None
    diagnostic: Diagnostic | None = None
    helpers: tuple[str, ...] = ()  # the shell functions its translation calls


def _keep_settings_still_needed(done: list[_Done], writer: _Writer, locator, result, state: dict) -> None:
    """A setting later commands read (vconfig set_name_type) stays while one of them stays.

    ``vconfig add`` left as written still names its VLAN by the name type set
    before it; removing the set_name_type lines would rename the VLAN.
    """
    for module in {id(d.module): d.module for d in done}.values():
        setters = getattr(module, "STATE_SETTERS", ())
        readers = getattr(module, "STATE_READERS", ())
        if not setters or not any(d.module is module and not d.translated and d.action in readers for d in done):
            continue
        # a reader whose translation reads the setters' translation (a VLAN named at run time by
        # the name type they assign) stays too, since the setters now set the kernel's instead
        by_setters = getattr(module, "reads_setters", lambda start, state: False)
        for d in done:
            if d.module is module and d.translated and (d.action in setters or (d.action in readers and by_setters(d.site.start, state))):
                assert d.edit is not None and d.diagnostic is not None  # a translated command has both
                writer.edits.remove(d.edit)
                result.diagnostics.remove(d.diagnostic)
                result.diagnostics.append(
                    diag(
                        "NS402",
                        f"left as written (a {d.site.name.shown()} command left as written still depends on the setting): {_shown(d.site, writer)}",
                        locator.span(d.site.start, d.site.end),
                    )
                )
                d.translated = False
                result.translated -= 1
                result.left += 1


def _prepare(sites: list[Site], state: dict, text: str) -> None:
    """Let a tool see all its commands before any is translated (``prepare(commands, state)``).

    vconfig's name type set on one line names the VLANs of later lines: whether a
    name is known when translating depends on every set_name_type in the script.
    """
    by_module: dict[ModuleType, list] = {}
    for site in sites:
        if not site.tool:
            continue
        module = registry.TOOLS.get(site.tool)
        if module is None or not hasattr(module, "prepare"):
            continue
        line = CommandLine(site.tool, site.args, site.start, site.end, site.redirects, site.name)
        parsed = module.parse(line) if registry.accepts(module, line) else None
        if parsed is not None and parsed.ok:
            by_module.setdefault(module, []).append((parsed.command, site))
    if by_module:
        state["function_spans"] = function_spans(text)
    for module, commands in by_module.items():
        module.prepare(commands, state)


def _report_other_system(site: Site, branch, writer, locator, result) -> None:
    """A legacy command in a branch for another system (`FreeBSD) ifconfig ...`): left, with the reason.

    Not counted as left: there it is the system's own tool, not a legacy one.
    """
    module = registry.TOOLS.get(site.tool) if site.tool else None
    line = CommandLine(site.tool or "", site.args, site.start, site.end, site.redirects, site.name)
    if module is None or not module.LEGACY or not registry.accepts(module, line):
        return
    result.diagnostics.append(
        diag(
            "NS402",
            f"left as written (the branch `{branch.patterns})` runs on another system than Linux, where it is that system's own command): {_shown(site, writer)}",
            locator.span(site.start, site.end),
            severity=Severity.INFO,
        )
    )


def _translate_site(site: Site, options, state, writer, locator, result, check) -> _Done | None:
    """Translate one command; None when it is not a legacy command."""
    if not site.tool:
        return None
    module = registry.TOOLS.get(site.tool)
    if module is None:
        return None
    redirects = resolved(site.redirects, state.get("fixed_paths", {}), site.start) if site.tool in ("echo", "printf") else site.redirects
    line = CommandLine(site.tool, site.args, site.start, site.end, redirects, site.name)
    if not registry.accepts(module, line):
        return None
    parsed = module.parse(line)
    if not module.LEGACY:
        result.diagnostics += [locator.diagnostic(n) for n in parsed.notes if n.message]
        return None
    run_time = read_at_run_time(module, line) if not parsed.ok else None
    if run_time is not None:  # the argument count is the running shell's to split: `set --` asks it
        parsed = run_time.parsed
    report = [locator.diagnostic(n) for n in parsed.notes if n.message]
    shown = _shown(site, writer, whole=module.TOOL == "sysfs-bonding")
    action = parsed.command.action if parsed.ok and hasattr(parsed.command, "action") else (site.args[0].value if site.args else None)
    if not parsed.ok:
        result.diagnostics += report
        if not report:
            result.diagnostics.append(diag("NS402", f"left as written: {shown}", locator.span(site.start, site.end), severity=Severity.INFO))
        result.left += 1
        return _Done(site, module, action, False)
    outcome = parsed.command.modern(Context(site.usage, options, state, site.blocks, site.statement_of, site.prefix, in_script=True))
    if isinstance(outcome, Rewrite) and redirects != site.redirects and "bonding_write" not in outcome.helpers:  # which tests the bond itself
        outcome = _file_exists_first(outcome, site.redirects, redirects)
    if isinstance(outcome, Rewrite) and site.oddity:
        outcome = Keep(reason=f"{site.oddity}; rewrite it by hand")
    if isinstance(outcome, Rewrite) and site.single_only and (len(outcome.steps) > 1 or not isinstance(outcome.steps[0], Cmd)):
        outcome = _through_runner(site, outcome, state.get("bodies", {}))
    if isinstance(outcome, Rewrite) and site.evaluated and not all(_reads_alike(s) for s in outcome.steps):
        outcome = Keep(reason=f"`{site.runner}` runs its arguments through eval, which would read the translation's quoting again")
    if isinstance(outcome, Keep):
        result.diagnostics += report + [locator.diagnostic(n) for n in outcome.notes]
        result.diagnostics.append(
            diag(
                outcome.code,
                f"left as written ({outcome.reason}): {shown}",
                locator.span(site.start, site.end),
                hint=f"modern equivalent: {outcome.suggestion}" if outcome.suggestion else None,
            )
        )
        result.left += 1
        return _Done(site, module, action, False)
    on_from = state["errexit_on_from"]
    stops = on_from is not None and site.top_level and not site.errexit_ignored and site.start >= on_from
    if run_time is not None:
        edit = _run_time_edit(site, outcome, run_time, writer)
    else:
        edit = _edit_for(site, outcome, writer, errexit=state["errexit"] and not site.errexit_ignored, stops=stops)
    writer.add(edit)
    new = edit.render(writer.text)
    replacement = ("\n" if "\n" in new else " ") + new  # several lines: each under the other
    fix = Fix(description=f"replace with:{replacement}" if new else "delete the line", edits=(Edit(start=edit.start, end=edit.end, text=new),))
    if not outcome.steps:
        message = f"legacy command with nothing left to do: {shown}" if check else f"dropped: {shown}"
    else:
        message = f"legacy command: {shown}; modern equivalent: {new}" if check else f"translated: {shown}"
    result.diagnostics += report + [locator.diagnostic(n) for n in outcome.notes]
    reported = diag("NS401", message, locator.span(site.start, site.end), hint=outcome.hint, fix=fix, severity=None if check else Severity.INFO)
    result.diagnostics.append(reported)
    result.translated += 1
    return _Done(site, module, action, True, edit, reported, outcome.helpers)


def _file_exists_first(outcome: Rewrite, written, resolved_) -> Rewrite:
    """``echo +b > "$M"`` with M set once to a bonding file: the write failed where that file did
    not exist (the driver not loaded, no such bond), so the translation tests it first, by the
    script's own variable (which stays in use)."""
    target = next(w.target for w, r in zip(written, resolved_, strict=True) if w is not r and w.target is not None)
    text = target.text if target.text.startswith('"') else f'"{target.text}"'
    test = Cmd((Arg((Shell("["),)), Arg((Shell("-e"),)), Arg((Shell(text),)), Arg((Shell("]"),))))
    return dataclasses.replace(outcome, steps=(test, *outcome.steps))


def _through_runner(site: Site, outcome: Rewrite, bodies: dict[str, str]) -> Rewrite | Keep:
    """A translation of several commands behind the script's runner function, where its failure handling allows.

    A runner that passes a failure on runs each command (``run [ ! -e ... ] && run ip ...``),
    so a failing check fails it as the old command did; behind one that swallows a failure the
    checks run first and only the last command runs through it (see runners.py).
    """
    cannot = Keep(reason=f"`{site.runner or 'exec'}` runs one command and the translation needs several")
    if site.runner is None or site.evaluated or not all(isinstance(s, Cmd) for s in outcome.steps):
        return cannot
    handling = runners.on_failure(site.runner, bodies)
    if handling == runners.PASSES:
        return outcome
    tests, act = outcome.steps[:-1], outcome.steps[-1]
    if handling == runners.SWALLOWS and tests and all(_is_test(t) for t in tests):
        return dataclasses.replace(outcome, steps=(Guarded(tuple(tests), act),))
    return cannot


def _is_test(step) -> bool:
    """A `[ ... ]` test: no effect and nothing on stderr, so it may run outside the runner."""
    return isinstance(step, Cmd) and bool(step.args) and step.args[0].literal == "["


def _reads_alike(step) -> bool:
    """Whether a command means the same read again by eval: every word we wrote is plain.

    The script's own words are carried as written; eval read them the same way before.
    Text computed at run time (``"$(ip ...)"``) would be split and read again.
    """

    def plain(p) -> bool:
        if isinstance(p, Shell):
            return p.start is not None or p.text == '"'
        return render_piece(p) == p.value

    return isinstance(step, Cmd) and all(plain(p) for a in step.args for p in a.pieces)


def _shown(site: Site, writer: _Writer, whole: bool = False) -> str:
    """The command as written, on one line (with its redirections when they are part of it)."""
    text = writer.source[site.name.start : site.stmt_end if whole else site.end].decode("utf-8", "replace")
    return " ".join(text.replace("\\\n", " ").split())


def _edit_for(site: Site, outcome: Rewrite, writer: _Writer, *, errexit: bool = True, stops: bool = False) -> _Edit:
    """The edit that puts the outcome's steps in place of the command (``stops``: set -e is surely
    on, so steps that are statements of their own stop the script at the first failure)."""
    if not outcome.steps:
        return _drop(site, writer.source)
    whole = outcome.absorbs is not None
    single = len(outcome.steps) == 1 and isinstance(outcome.steps[0], Cmd)
    if single and not whole:
        # the prefix (VAR=x, sudo ...) stays where it is
        return _Edit(site.name.start, site.end, lambda src: render_steps(outcome.steps, source_text=src))
    end = site.stmt_end if whole else site.end
    standalone = site.stmt_standalone if whole else site.standalone
    kept_redirects = [r for r in site.redirects if whole and r.start != outcome.absorbs]

    line_start = writer.source.rfind(b"\n", 0, site.start) + 1
    indent = writer.source[line_start : site.start].decode("utf-8", "replace")
    # each step on a line of its own, at the command's indentation, where it starts its line
    separator = ("\n" + indent if not indent.strip() else "; ") if stops else None

    def render(src):
        prefix = src(site.start, site.name.start)
        text = render_steps(outcome.steps, prefix=prefix, standalone=standalone and not kept_redirects, source_text=src,
                            errexit=errexit, separator=separator)
        return " ".join([text] + [src(r.start, r.end) for r in kept_redirects])

    return _Edit(site.start, end, render)


def _run_time_edit(site: Site, outcome: Rewrite, run_time: RunTimeWords, writer: _Writer) -> _Edit:
    """The steps in a subshell that splits the words with ``set --`` first (see :mod:`.run_time_words`)."""
    said = []  # the tool and its subcommand, for the message on a wrong count
    for word in site.args:
        if word.value is None or word is run_time.words[0]:
            break
        said.append(word.value)
    command = " ".join([site.tool or site.name.text, *said[:1]])

    def render(src):
        prefix = src(site.start, site.name.start)
        inner = render_steps(outcome.steps, prefix=prefix, standalone=True, source_text=src, errexit=False)
        return wrap(run_time, command, inner)

    return _Edit(site.start, site.stmt_end if outcome.absorbs is not None else site.end, render)


def _drop(site: Site, source: bytes) -> _Edit:
    """Remove a statement: its whole line when it is alone there, else leave ``true`` in its place."""
    line_start = source.rfind(b"\n", 0, site.start) + 1
    line_end = source.find(b"\n", site.stmt_end)
    line_end = len(source) if line_end < 0 else line_end + 1
    alone = not source[line_start : site.start].strip() and not source[site.stmt_end : line_end].strip()
    kept = _Edit(site.start, site.end, lambda src: "true")
    if site.stmt_standalone and alone:
        return _Edit(line_start, line_end, lambda src: "", instead=kept)
    return kept


def _keep_blocks_nonempty(writer: _Writer, bash_ok: bool | None, done: list[_Done], result: Translation) -> None:
    """A dropped line that was the only command of its block (`then ... fi` needs one) becomes `true`."""
    for i, e in enumerate(writer.edits):
        if e.instead is not None:
            without = writer.source[: e.start] + writer.source[e.end :]
            if not bash_ok or _bash_accepts(without.decode("utf-8", "replace")) is False:
                writer.edits[i] = e.instead
                for d in done:
                    if d.edit is e and d.diagnostic in result.diagnostics:
                        fix = Fix(description="replace with: true", edits=(Edit(start=e.instead.start, end=e.instead.end, text="true"),))
                        result.diagnostics[result.diagnostics.index(d.diagnostic)] = d.diagnostic = dataclasses.replace(d.diagnostic, fix=fix)


def _bash_accepts(text: str) -> bool | None:
    """Whether `bash -n` accepts the text (None: no bash here to ask)."""
    bash = shutil.which("bash")
    if bash is None:
        return None
    proc = subprocess.run([bash, "-n"], input=text.encode("utf-8"), capture_output=True, check=False)
    return proc.returncode == 0

