"""`netscript check`: validation and reporting (and, when asked, fixing and running doc snippets)."""

import sys

import click

from . import EXIT_OK, EXIT_PROBLEMS, Reporter, format_option, main


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@format_option
@click.option(
    "--fix",
    is_flag=True,
    help="Rewrite legacy commands in documents' code blocks to their modern form, in place, and say what was fixed.",
)
@click.option(
    "--diff",
    is_flag=True,
    help="Print the fixes --fix would make as a unified diff instead of writing them (implies --fix).",
)
@click.option("--strict", is_flag=True, help="Warnings fail too: exit 1 when there is any warning.")
@click.option(
    "--run",
    "run_snippets",
    is_flag=True,
    help="Also run each document's snippets, in order, in one throwaway network namespace (root; never the host's), and say how many ran, passed, failed and were skipped.",
)
def check(paths, fmt, fix, diff, strict, run_snippets):
    """Check specs, shell scripts and documents (Markdown, reST, man pages, text) without touching anything.

    The reader is picked by extension and content: .ns specs; .sh/.bash;
    .md; .rst; man pages (roff, gzipped or not); anything else as plain text.
    Exit status: 0 clean (or warnings only), 1 errors (or, with --strict,
    warnings), 2 unusable input. With --fix it is about the files as fixed;
    with --diff, which writes nothing, about the files as they are.
    """
    from ..checking import check_file, expand

    # the diff owns standard output (`| git apply`); the findings go to standard error then
    reporter = Reporter(fmt, stream=sys.stderr if diff else sys.stdout)
    standing = []  # every finding about the files as they are left
    summaries = []
    runs = None
    for path in expand(paths):
        result = check_file(path)
        shown = result.diagnostics
        if diff:
            settled = _show_diff(result)
            if settled:
                summaries.append(f"would fix {_what(settled)} in {path}")
            shown = [d for d in result.diagnostics if not any(d is s for s in settled)]
        elif fix and result.source is not None and not result.fatal and path != "-":
            from ..docs.fix import write_fixes

            settled = write_fixes(path, result.diagnostics)
            if settled:
                summaries.append(f"fixed {_what(settled)} in {path}")
                result = check_file(path)  # what is left, where it now is (a fix may add lines)
                shown = result.diagnostics
        standing += result.diagnostics
        if run_snippets:
            found = _run(result)  # the fixed text, after --fix
            if found is not None:
                if runs is None:
                    runs = found
                else:
                    runs.add(found)
                standing += found.diagnostics
                shown = shown + found.diagnostics
        reporter.add(shown, result.source, fatal=result.fatal)
    reporter.emit()
    if fmt == "text":
        for line in summaries:
            click.echo(f"netscript: {line}", err=True)
        if (fix or diff) and not summaries:
            click.echo("netscript: nothing to fix", err=True)
        if runs is not None:
            click.echo(f"netscript: {runs.summary()}", err=True)
    code = reporter.exit_code()
    if code == EXIT_OK and diff and any(d.is_error for d in standing):
        code = EXIT_PROBLEMS
    if code == EXIT_OK and strict and any(d.severity.value == "warning" for d in standing):
        code = EXIT_PROBLEMS
    sys.exit(code)


def _run(result):
    """``--run`` on one checked document: a RunReport, or None for a spec or unusable input."""
    from ..docs.formats import detect

    if result.source is None or result.fatal:
        return None
    fmt = detect(result.path, result.source.text)
    if fmt == "dsl":
        return None
    from ..docs.run import run_session

    return run_session(result.source, fmt)


def _show_diff(result) -> list:
    """Print what the fixes of one checked file would change; the findings they settle."""
    from ..docs.fix import fixed_text
    from .translate import _unified_diff

    if result.source is None or result.fatal:
        return []
    fixed = fixed_text(result.source.text, result.diagnostics)
    if fixed.applied:
        sys.stdout.write(_unified_diff(result.path, fixed.before, fixed.after))
        sys.stdout.flush()
    return fixed.applied


def _what(settled) -> str:
    """``3 legacy commands``: what a set of fixes settled, for the summary line."""
    n = len(settled)
    if all(d.code == "NS401" for d in settled):
        return f"{n} legacy command{'s' if n != 1 else ''}"
    return f"{n} finding{'s' if n != 1 else ''}"
