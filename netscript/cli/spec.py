"""Commands on DSL specs: render, fmt, rules."""

import os
import sys

import click

from . import (
    EXIT_OK,
    EXIT_PROBLEMS,
    Reporter,
    format_option,
    load_valid,
    main,
    output_option,
    write_output,
)


@main.command()
@click.argument("spec", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "-o",
    "--output",
    type=click.Path(allow_dash=True),
    default="-",
    help="Write the script to FILE (made executable), with --to networkd the files into directory DIR, with "
    "--to netplan the YAML to FILE (mode 0600, as netplan wants), instead of standard output.",
)
@click.option(
    "--to",
    "target",
    type=click.Choice(["bash", "networkd", "netplan"]),
    default="bash",
    show_default=True,
    help="What to write: a bash script that builds the spec now, or systemd-networkd files or a netplan YAML "
    "file that build it at boot.",
)
@click.option("--prefix", "file_prefix", metavar="PREFIX", default=None,
              help="--to networkd: start each file's name with PREFIX (default 10-netscript-).")
@click.option("--prune", is_flag=True,
              help="--to networkd: remove the files of an earlier render in DIR that this one no longer writes "
              "(only files that start with the prefix and say netscript wrote them).")
@click.option("--teardown", is_flag=True, help="Render the script that removes what the spec creates.")
@click.option("--batch", is_flag=True, help="Large topologies: one state read, then `ip -batch` per namespace.")
@click.option("--netns", metavar="NS", help="Build the links the spec leaves unqualified in namespace NS.")
@click.option("--netns-prefix", metavar="PREFIX", default="", help="Prefix the names of the namespaces the spec declares.")
@click.option(
    "--no-disrupt",
    is_flag=True,
    help="The script refuses, before changing anything, what disrupts traffic (re-creating, enslaving or taking "
    "down an existing link, changing its MAC), as apply --no-disrupt does.",
)
@format_option
def render(spec, output, target, file_prefix, prune, teardown, batch, netns, netns_prefix, no_disrupt, fmt):
    """Render SPEC as an idempotent bash script of ip/bridge/teamd commands, or as systemd-networkd files."""
    from ..backends import bash
    from ..backends.batch import unsafe_for_batch
    from ..placement import place
    from ..plan import plan
    from ..plan import teardown as teardown_plan

    reporter = Reporter(fmt)
    program = load_valid(spec, reporter)
    if program is None:
        reporter.emit()
        sys.exit(reporter.exit_code())
    if batch and teardown:
        raise click.UsageError("--batch and --teardown do not go together")
    if no_disrupt and teardown:
        raise click.UsageError("--no-disrupt and --teardown do not go together: a teardown only deletes")
    program = place(program, netns=netns, prefix=netns_prefix)
    if target != "bash" and (batch or teardown or no_disrupt):
        raise click.UsageError("--batch, --teardown and --no-disrupt are for --to bash")
    if target != "bash":
        if target == "netplan" and (file_prefix is not None or prune):
            raise click.UsageError("--prefix and --prune are for --to networkd")
        if prune and output == "-":
            raise click.UsageError("--prune needs -o DIR")
        source = os.path.basename(spec) if spec != "-" else "standard input"
        status = write_boot_config(target, program, source, output, reporter, prefix=file_prefix, prune=prune)
        reporter.emit()
        sys.exit(status)
    if file_prefix is not None or prune:
        raise click.UsageError("--prefix and --prune are for --to networkd")
    unsafe = unsafe_for_batch(program) if batch else []
    if unsafe:
        reporter.add(unsafe)
        reporter.emit()
        sys.exit(EXIT_PROBLEMS)
    source = os.path.basename(spec) if spec != "-" else "standard input"
    if teardown:
        text = bash.render(teardown_plan(program), source=source, teardown=True)
    elif batch:
        text = bash.render_batch(plan(program), source=source, no_disrupt=no_disrupt)
    else:
        text = bash.render(plan(program), source=source, no_disrupt=no_disrupt)
    reporter.emit()
    write_output(output, text, executable=True)


def write_boot_config(target, program, source, output, reporter, *, prefix=None, prune=False) -> int:
    """Render ``program`` as networkd files (into directory ``output``) or netplan YAML (file
    ``output``); write nothing when a construct cannot be said. Returns the exit status."""
    if target == "networkd":
        from ..backends import networkd, unit_files

        prefix = prefix or networkd.DEFAULT_PREFIX
        rendered = networkd.render(program, source=source, prefix=prefix)
    else:
        from ..backends import netplan

        rendered = netplan.render(program, source=source)
    reporter.add(rendered.diagnostics)
    if reporter.exit_code() != EXIT_OK:
        return reporter.exit_code()
    if target == "netplan":
        write_output(output, rendered.files["netplan.yaml"], mode=0o600)
    elif output == "-":
        sys.stdout.write(unit_files.as_text(rendered.files))
    else:
        unit_files.write(output, rendered.files, prefix=prefix, prune=prune)
    return EXIT_OK


@main.command(name="fmt")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True))
@output_option("Write the formatted text to FILE (one input file only).")
@click.option("-i", "--in-place", is_flag=True, help="Rewrite each file in place.")
@click.option("--check", "check_only", is_flag=True, help="Change nothing; exit 1 if a file is not canonical.")
@format_option
def fmt_command(files, output, in_place, check_only, fmt):
    """Print DSL files in canonical form (comments and order kept)."""
    from ..fmt import FormatRefused, format_text
    from ..frontends.dsl_syntax import DSLSyntaxError
    from ..source import SourceError, read

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
        except FormatRefused as e:  # the layout would hide an error: report it, write nothing
            reporter.add(e.diagnostics, source)
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

    from ..codes import RULES

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
