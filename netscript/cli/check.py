"""`netscript check`: validation and reporting (and, when asked, fixing and running doc snippets)."""

import sys

import click

from . import Reporter, format_option, main


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@format_option
@click.option("--fix", is_flag=True, help="Rewrite legacy commands in documents' code blocks to their modern form, in place.")
@click.option(
    "--run",
    "run_snippets",
    is_flag=True,
    help="Also run each document snippet in a throwaway network namespace (root; never the host's).",
)
def check(paths, fmt, fix, run_snippets):
    """Check specs, shell scripts and documents (Markdown, reST, man pages, text) without touching anything.

    The reader is picked by extension and content: .ns specs; .sh/.bash;
    .md; .rst; man pages (roff, gzipped or not); anything else as plain text.
    """
    from ..checking import check_paths

    reporter = Reporter(fmt, stream=sys.stdout)
    fixed = 0
    for result in check_paths(paths, fix=fix, run=run_snippets):
        reporter.add(result.diagnostics, result.source, fatal=result.fatal)
        fixed += result.fixed
    reporter.emit()
    if fix and fmt == "text":
        click.echo(f"netscript: {fixed} fix{'es' if fixed != 1 else ''} applied", err=True)
    sys.exit(reporter.exit_code())
