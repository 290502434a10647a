"""The `netscript` command: one vocabulary for every way in and out.

Exit status everywhere: 0 all is well, 1 problems found (or hit), 2 unusable
input or usage. Diagnostics look the same from every command:
``path:line:col: severity: message [CODE]``, or JSON with ``--format json``.

Heavy libraries (lark, jinja2, pyroute2) are imported inside the commands
that need them, so ``netscript --help`` stays fast.
"""

from __future__ import annotations

import os
import sys
import tempfile

import click

from . import __version__
from .diagnostics import Diagnostic, SourceCache, has_errors, render_json, render_text, sort_key

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
            stream.write(render_json(ordered))
        elif ordered:
            stream.write(render_text(ordered, self.sources))
        stream.flush()

    def exit_code(self) -> int:
        if self.fatal:
            return EXIT_UNUSABLE
        return EXIT_PROBLEMS if has_errors(self.diagnostics) else EXIT_OK


def write_output(path: str, text: str, *, executable: bool = False) -> None:
    """Write atomically: the target is either the old file or the whole new one."""
    if path == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".netscript-", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o755 if executable else 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def load_valid(path: str, reporter: Reporter):
    """Load and validate a spec; returns the Program, or None when it must not be used."""
    from .frontends import load
    from .validate import validate

    loaded = load(path)
    reporter.add(loaded.diagnostics, loaded.source, fatal=loaded.fatal)
    if loaded.program is None:
        return None
    reporter.add(validate(loaded.program))
    if has_errors(reporter.diagnostics):
        return None
    return loaded.program


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="netscript")
def main():
    """Build Linux virtual networks (bridges, bonds, teams, VLANs, veths, ...) from one spec."""


@main.command()
@click.argument("spec", type=click.Path(dir_okay=False, allow_dash=True))
@output_option("Write the script to FILE (made executable) instead of standard output.")
@click.option("--teardown", is_flag=True, help="Render the script that removes what the spec creates.")
@click.option("--batch", is_flag=True, help="Large topologies: one state read, then `ip -batch` per namespace.")
@click.option("--netns", metavar="NS", help="Build the links the spec leaves unqualified in namespace NS.")
@click.option("--netns-prefix", metavar="PREFIX", default="", help="Prefix the names of the namespaces the spec declares.")
@format_option
def render(spec, output, teardown, batch, netns, netns_prefix, fmt):
    """Render SPEC as an idempotent bash script of ip/bridge/teamd commands."""
    from .backends import bash
    from .backends.batch import unsafe_for_batch
    from .plan import place, plan
    from .plan import teardown as teardown_plan

    reporter = Reporter(fmt)
    program = load_valid(spec, reporter)
    if program is None:
        reporter.emit()
        sys.exit(reporter.exit_code())
    if batch and teardown:
        raise click.UsageError("--batch and --teardown do not go together")
    program = place(program, netns=netns, prefix=netns_prefix)
    unsafe = unsafe_for_batch(program) if batch else []
    if unsafe:
        reporter.add(unsafe)
        reporter.emit()
        sys.exit(EXIT_PROBLEMS)
    source = os.path.basename(spec) if spec != "-" else "standard input"
    if teardown:
        text = bash.render(teardown_plan(program), source=source, teardown=True)
    elif batch:
        text = bash.render_batch(plan(program), source=source)
    else:
        text = bash.render(plan(program), source=source)
    reporter.emit()
    write_output(output, text, executable=True)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@format_option
def check(paths, fmt):
    """Check specs (and, as readers are added, scripts and documents) without touching anything."""
    from .checking import check_paths

    reporter = Reporter(fmt, stream=sys.stdout)
    for result in check_paths(paths):
        reporter.add(result.diagnostics, result.source, fatal=result.fatal)
    reporter.emit()
    sys.exit(reporter.exit_code())


@main.command(name="fmt")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True))
@output_option("Write the formatted text to FILE (one input file only).")
@click.option("-i", "--in-place", is_flag=True, help="Rewrite each file in place.")
@click.option("--check", "check_only", is_flag=True, help="Change nothing; exit 1 if a file is not canonical.")
@format_option
def fmt_command(files, output, in_place, check_only, fmt):
    """Print DSL files in canonical form (comments and order kept)."""
    from .fmt import format_text
    from .frontends.dsl_syntax import DSLSyntaxError
    from .source import SourceError, read

    if output != "-" and len(files) > 1:
        raise click.UsageError("-o takes one input file")
    reporter = Reporter(fmt)
    unformatted = []
    for path in files:
        try:
            source = read(path)
            text = format_text(source.text, path)
        except SourceError as e:
            reporter.add([e.diagnostic], fatal=True)
            continue
        except DSLSyntaxError as e:
            reporter.add([e.diagnostic], source, fatal=True)
            continue
        if check_only:
            if text != source.text:
                unformatted.append(path)
        elif in_place:
            if text != source.text:
                write_output(path, text)
        else:
            write_output(output, text)
    reporter.emit()
    for path in unformatted:
        click.echo(f"{path}: not in canonical form (run: netscript fmt -i {path})", err=True)
    code = reporter.exit_code()
    sys.exit(code if code else (EXIT_PROBLEMS if unformatted else EXIT_OK))


@main.command()
@format_option
def rules(fmt):
    """List every diagnostic code with its meaning."""
    import json

    from .codes import RULES

    if fmt == "json":
        click.echo(
            json.dumps(
                [{"code": r.code, "name": r.name, "severity": r.severity.value, "summary": r.summary} for r in RULES.values()],
                indent=2,
            )
        )
        return
    for r in sorted(RULES.values(), key=lambda r: r.code):
        click.echo(f"{r.code}  {r.severity.value:<7}  {r.name:<28}  {r.summary}")


def run():
    """Console entry point: click's exit codes, and never a traceback for a closed pipe."""
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
