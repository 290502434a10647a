"""The `netscript` command: one vocabulary for every way in and out.

Exit status everywhere: 0 all is well, 1 problems found (or hit), 2 unusable
input or usage. Diagnostics look the same from every command:
``path:line:col: severity: message [CODE]``, or JSON with ``--format json``.

Heavy libraries (lark, jinja2, pyroute2) are imported inside the
commands that need them, and a command's module only when it runs, so
``netscript --help`` stays fast and a small command pays only for itself
(bench/latency.py measures them).
"""

from __future__ import annotations

import atexit
import gc
import os
import re
import sys
from collections.abc import Callable

import click

from .. import __version__
from ..atomic import atomic_write
from ..diagnostics import (
    Diagnostic,
    SourceCache,
    has_errors,
    render_text,
    sort_key,
    write_json,
)

EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE = 0, 1, 2

format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="How to print diagnostics.",
)


def output_option(help="Write to FILE instead of standard output."):
    return click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-", help=help)


class Reporter:
    """Collects diagnostics and prints them once, in file order."""

    def __init__(self, fmt: str, stream=None):
        self.fmt = fmt
        self.stream = stream
        self.diagnostics: list[Diagnostic] = []
        self.sources = SourceCache()
        self.fatal = False

    def add(self, diagnostics, source=None, fatal=False):
        self.diagnostics += diagnostics
        if source is not None:
            self.sources.texts[source.path] = source.text
        self.fatal |= fatal

    def emit(self):
        stream = self.stream or sys.stderr
        ordered = sorted(self.diagnostics, key=sort_key)
        if self.fmt == "json":
            write_json(ordered, stream)  # one at a time: 350k findings never become one string
        elif ordered:
            text = render_text(ordered, self.sources)
            stream.write(colour_severities(text) if coloured(stream) else text)
        stream.flush()

    def exit_code(self) -> int:
        if self.fatal:
            return EXIT_UNUSABLE
        return EXIT_PROBLEMS if has_errors(self.diagnostics) else EXIT_OK


# Colour on a terminal only, and never with NO_COLOR set (https://no-color.org): a pipe,
# a file or an editor reading the output gets the plain text every other path gets.
SEVERITY_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}
SIGIL_COLOURS = {"+": "green", "-": "red", "~": "yellow"}
_SEVERITY_AT_LINE_START = re.compile(r"^((?:\S.*?:\d+:\d+: )?)(error|warning|info)(:)", re.MULTILINE)


def coloured(stream) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def colour_severities(text: str) -> str:
    return _SEVERITY_AT_LINE_START.sub(
        lambda m: m.group(1) + click.style(m.group(2), fg=SEVERITY_COLOURS[m.group(2)], bold=True) + m.group(3), text
    )


def colour_sigil(sigil: str, on: bool) -> str:
    return click.style(sigil, fg=SIGIL_COLOURS.get(sigil), bold=True) if on else sigil


def write_output(path: str, text: str, *, executable: bool = False, mode: int | None = None) -> None:
    """Standard output for "-", else an atomic write: the old file or the whole new one."""
    if path == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    say(f"writing {path} ({len(text.splitlines())} lines)")
    try:
        atomic_write(path, text, mode if mode is not None else 0o755 if executable else 0o644)
    except OSError as e:
        from ..codes import diag

        # unusable usage: the user named a place we cannot write to; nothing was written there
        problem = diag("NS110", f"cannot write {path}: {e.strerror or e}", None)
        sys.stderr.write(render_text([problem]))
        sys.exit(EXIT_UNUSABLE)


def load_valid(path: str, reporter: Reporter):
    """Load and validate a spec; returns the Program, or None when it must not be used."""
    from ..frontends import load
    from ..validate import validate

    loaded = load(path)
    reporter.add(loaded.diagnostics, loaded.source, fatal=loaded.fatal)
    if loaded.program is None:
        return None
    program = loaded.program
    say(lambda: f"read {path}: {len(list(program.all_links()))} link(s), {len(program.namespaces)} namespace(s)")
    found = validate(program)
    reporter.add(found)
    say(f"validated {path}: {len(found)} finding(s)")
    if has_errors(reporter.diagnostics):
        return None
    return program


# -v/--verbose: what is read, what is planned and what is run, on standard error.
_verbose = False


def say(message: str | Callable[[], str]) -> None:
    """One line of -v output (nothing without -v); a function gives a message that costs something to make."""
    if _verbose:
        click.echo(f"netscript: {message() if callable(message) else message}", err=True)


def _set_verbose(ctx, param, value) -> None:
    # the group's option is processed first on every run (given or not): it sets the
    # switch afresh; a command's own -v can only turn it on
    global _verbose
    _verbose = bool(value) or (_verbose and ctx.parent is not None)


def _verbose_option() -> click.Option:
    return click.Option(["-v", "--verbose"], is_flag=True, expose_value=False, is_eager=True, callback=_set_verbose,
                        help="Say what is read, what is planned and what is run (on standard error).")


# Each stage's commands live in a module of their own beside this one,
# imported when one of its commands runs (all of them for --help), so a
# command pays only for its own imports: command -> module.
COMMANDS = {
    "render": "spec",
    "fmt": "spec",
    "rules": "spec",
    "check": "check",
    "translate": "translate",
    "plan": "live",
    "apply": "live",
    "export": "live",
}


def _register(name: str | None = None):
    """Import the module of command ``name``, or of every command."""
    import importlib

    modules = [COMMANDS[name]] if name in COMMANDS else sorted(set(COMMANDS.values()))
    for module in modules:
        importlib.import_module(f"{__name__}.{module}")


class _Commands(click.Group):
    def get_command(self, ctx, cmd_name):
        _register(cmd_name)
        command = super().get_command(ctx, cmd_name)
        if command is None:  # not a command, or missing from COMMANDS: look everywhere
            _register()
            command = super().get_command(ctx, cmd_name)
        # every command takes -v as the group does (`netscript check -v x.md`), from one place
        if command is not None and not any(p.name == "verbose" for p in command.params):
            command.params.insert(0, _verbose_option())
        return command

    def list_commands(self, ctx):
        _register()
        return super().list_commands(ctx)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="netscript")
@click.option("-v", "--verbose", is_flag=True, expose_value=False, is_eager=True, callback=_set_verbose,
              help="Say what is read, what is planned and what is run (on standard error).")
def main():
    """Build Linux virtual networks (bridges, bonds, teams, VLANs, veths, ...) from one spec."""


def run():
    """Console entry point: click's exit codes, and never a traceback for a closed pipe."""
    # At exit the collector makes one last pass over every object still alive (the modules',
    # and a command's spec, state and plan: some 10^5); none is garbage the exit does not
    # free anyway, and the pass was 5% of a re-apply with nothing to do. Frozen, it is skipped.
    atexit.register(gc.freeze)
    try:
        main(standalone_mode=True)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(EXIT_PROBLEMS)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as e:  # a bug of ours: one line, not a traceback, unless asked
        if os.environ.get("NETSCRIPT_DEBUG"):
            raise
        click.echo(f"netscript: internal error: {type(e).__name__}: {e} (NETSCRIPT_DEBUG=1 shows where)", err=True)
        sys.exit(EXIT_UNUSABLE)

