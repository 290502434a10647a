"""`netscript translate`: legacy shell scripts -> modern commands, or -> a spec."""

import json
import os
import sys

import click

from ..atomic import atomic_write
from . import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_UNUSABLE,
    Reporter,
    format_option,
    main,
    output_option,
    write_output,
)


@main.command()
@click.argument("script", type=click.Path(dir_okay=False, allow_dash=True))
@output_option("Write the result to FILE instead of standard output.")
@click.option("--diff", is_flag=True, help="Print a unified diff instead of the translated script.")
@click.option("--in-place", is_flag=True, help="Rewrite SCRIPT atomically, keeping the original as SCRIPT.bak.")
@click.option(
    "--to",
    "target",
    type=click.Choice(["sh", "dsl", "networkd", "netplan"]),
    default="sh",
    show_default=True,
    help="sh: the script with modern commands; dsl: a declarative spec; networkd, netplan: the boot-time "
    "configuration of that spec, -o DIR for networkd's files (dsl, networkd and netplan: straight-line scripts only).",
)
@click.option("--check", "check_only", is_flag=True, help="Change nothing; exit 1 if legacy commands remain.")
@click.option("--team-as-bond", is_flag=True, help="Replace teamd/teamdctl with the bonding driver.")
@click.option("--idempotent", is_flag=True, help="Make creations safe to re-run (check before creating).")
@format_option
def translate(script, output, diff, in_place, target, check_only, team_as_bond, idempotent, fmt):
    """Translate brctl, vconfig, ifenslave, tunctl, teamd, bonding sysfs writes and ifconfig in SCRIPT.

    Only the legacy commands change; every other byte stays as it was.
    Each legacy command is reported (translated or left, and why), then a
    summary. Exit status: 0 done, 1 errors (or legacy found with --check),
    2 unusable input.
    """
    from ..frontends.legacy.model import Options
    from ..source import SourceError, read

    if in_place and (script == "-" or output != "-" or diff or target != "sh" or check_only):
        raise click.UsageError(
            "--in-place rewrites SCRIPT itself: not with standard input, -o, --diff, --to or --check"
        )
    writes_stdout = not (in_place or check_only or output != "-")
    reporter = Reporter(fmt, stream=sys.stderr if writes_stdout else sys.stdout)
    try:
        source = read(script)
    except SourceError as e:
        reporter.add([e.diagnostic], fatal=True)
        reporter.emit()
        sys.exit(EXIT_UNUSABLE)
    options = Options(team_as_bond=team_as_bond, idempotent=idempotent)
    if target != "sh":
        sys.exit(_to_spec(source, options, output, reporter, check_only, target))

    from ..frontends.legacy.rewrite import translate_script

    result = translate_script(source.text, source.path, options, check=check_only)
    reporter.add(result.diagnostics, source, fatal=result.fatal)
    if result.fatal:
        _emit(reporter, result, source.path)
        sys.exit(EXIT_UNUSABLE)
    if check_only:
        pass
    elif diff:
        write_output(output, _unified_diff(source.path, source.text, result.text))
    elif in_place:
        if result.text != source.text:
            _replace_keeping_backup(script, result.text)
    else:
        write_output(output, result.text, executable=output != "-" and _is_executable(script))
    _emit(reporter, result, source.path)
    code = reporter.exit_code()
    if code == EXIT_OK and check_only and (result.translated or result.left):
        code = EXIT_PROBLEMS
    sys.exit(code)


def _emit(reporter: Reporter, result, path: str) -> None:
    """Diagnostics in file order, then the summary line (JSON: one object)."""
    from ..diagnostics import sort_key, write_json

    stream = reporter.stream
    if reporter.fmt == "json":
        counts = {"path": path, "translated": result.translated, "left": result.left, "warned": result.warned}
        stream.write(json.dumps(counts, indent=2).removesuffix("\n}") + ',\n  "diagnostics": ')
        write_json(sorted(reporter.diagnostics, key=sort_key), stream, level=1)
        stream.write("}\n")
    else:
        reporter.emit()
        stream.write(f"{path}: {result.summary}\n")
    stream.flush()


def _to_spec(source, options, output: str, reporter: Reporter, check_only: bool, target: str) -> int:
    """The script as a spec (the DSL), or as that spec's boot-time configuration."""
    from ..backends.dsl import print_program
    from ..frontends.legacy.reader import read_script
    from ..validate import validate
    from .spec import write_boot_config

    loaded = read_script(source, options)
    reporter.add(loaded.diagnostics, source, fatal=loaded.fatal)
    if loaded.program is not None:
        reporter.add(validate(loaded.program))
    if loaded.program is not None and not check_only and reporter.exit_code() == EXIT_OK:
        if target == "dsl":
            write_output(output, print_program(loaded.program))
        else:
            write_boot_config(target, loaded.program, os.path.basename(source.path), output, reporter)
    reporter.emit()
    if loaded.program is None and not loaded.fatal:
        return EXIT_PROBLEMS
    return reporter.exit_code()


def _unified_diff(path: str, old: str, new: str) -> str:
    import difflib  # here: only --diff pays for it

    before, after = (path, path) if os.path.isabs(path) else (f"a/{path}", f"b/{path}")
    lines = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True), before, after)
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def _is_executable(path: str) -> bool:
    try:
        return bool(os.stat(path).st_mode & 0o111)
    except OSError:
        return False


def _backup_path(path: str) -> str:
    candidate, n = path + ".bak", 1
    while os.path.exists(candidate):
        candidate, n = f"{path}.bak.{n}", n + 1
    return candidate


def _replace_keeping_backup(path: str, text: str) -> None:
    """Back the original up (a new file, never an older backup overwritten), then replace it."""
    with open(path, "rb") as f:
        original = f.read()
    atomic_write(_backup_path(path), original, like=path)  # the original's mode and owner
    atomic_write(path, text.encode("utf-8"))
