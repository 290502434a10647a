"""`netscript check`: validation and reporting only."""

import sys

import click

from . import Reporter, format_option, main

@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@format_option
def check(paths, fmt):
    """Check specs (and, as readers are added, scripts and documents) without touching anything."""
    from ..checking import check_paths

    reporter = Reporter(fmt, stream=sys.stdout)
    for result in check_paths(paths):
        reporter.add(result.diagnostics, result.source, fatal=result.fatal)
    reporter.emit()
    sys.exit(reporter.exit_code())
