"""Commands on the live kernel: plan, apply, export.

``plan`` and ``apply`` read their spec through :func:`netscript.frontends.load`
like every other command, so any input a frontend understands works; a spec
with validation errors never reaches the kernel.
"""

from __future__ import annotations

import contextlib
import io
import json
import shlex
import sys
from typing import NoReturn

import click

from . import (
    EXIT_OK,
    EXIT_PROBLEMS,
    Reporter,
    colour_sigil,
    coloured,
    format_option,
    load_valid,
    main,
    output_option,
    say,
    write_output,
)

netns_option = click.option("--netns", metavar="NS", help="Put the links the spec leaves unqualified in namespace NS.")
prefix_option = click.option(
    "--netns-prefix", metavar="PREFIX", default="", help="Prefix the names of the namespaces the spec declares."
)
prune_option = click.option(
    "--prune", is_flag=True, help="Also delete links the spec does not mention (never physical ones), release ports "
    "and remove addresses it does not list."
)


def _spec(spec: str, netns, prefix, reporter: Reporter, document=None):
    """The spec read, validated and placed; else the diagnostics (and with --format json, ``document()``) and exit."""
    from .. import collector
    from ..placement import place
    from ..validate import placement_problems

    # a spec of thousands of links is read as some 10^5 objects in no reference cycle (see netscript.collector)
    with collector.paused():
        placed = load_valid(spec, reporter)
        if placed is not None:
            placed = place(placed, netns=netns, prefix=prefix)
    if placed is None:
        _give_up(reporter, document, reporter.exit_code())
    problems = placement_problems(placed, netns=netns, prefix=prefix)
    if problems:  # --netns / --netns-prefix that ip netns add would refuse: usage, not findings
        reporter.add(problems, fatal=True)
        _give_up(reporter, document, reporter.exit_code())
    return placed


def _kernel_errors():
    from ..api import kernel_errors

    return kernel_errors()


def _unreadable(reporter: Reporter, error: Exception, document=None) -> NoReturn:
    from ..api import unreadable

    reporter.add([unreadable(error)])
    _give_up(reporter, document, EXIT_PROBLEMS)


def _give_up(reporter: Reporter, document, status: int, output: str = "-") -> NoReturn:
    """Stop with the diagnostics; with --format json the command's document too, so stdout always has one."""
    reporter.emit()
    if reporter.fmt == "json" and document is not None:
        _write_document(document(), output)
    sys.exit(status)


def _write_document(document: dict, output: str = "-") -> None:
    write_output(output, json.dumps(document, indent=2) + "\n")


def _spaces(program) -> str:
    from ..backends.netlink.liveplan import involved_namespaces

    names = [ns or "this namespace" for ns in involved_namespaces(program)]
    return ", ".join(names) if names else "this namespace"


def _where(netns) -> str:
    return f"namespace {netns}" if netns else "this namespace"


def render_steps(steps, stream, colour: bool = False) -> None:
    from ..backends.netlink.steps import SIGILS

    width = len(str(len(steps)))
    indent = " " * width
    # the same few words (ip, -n NS, link, set, dev, up...) in every command: each quoted once
    quoted: dict[str, str] = {}

    def quote(word: str) -> str:
        if word not in quoted:
            quoted[word] = shlex.quote(word)
        return quoted[word]

    for number, step in enumerate(steps, 1):
        mark = "  [disrupts]" if step.disrupts else ""
        sigil = colour_sigil(SIGILS.get(step.action, "~"), colour)
        stream.write(f"{number:>{width}} {sigil} {_titled(step)}{mark}\n")
        for d in step.differences:
            stream.write(f"{indent}     {d.attribute}: {_value(d.actual)} -> {_value(d.wanted)}\n")
        for command in step.commands:
            stream.write(f"{indent}     $ {' '.join(map(quote, command))}\n")


def _titled(step) -> str:
    """A step's title with the namespace it acts in: `create macvlan eth0 in c1`, not three alike."""
    from ..backends.netlink.steps import Action

    where = step.target_netns if step.action is Action.MOVE else step.netns
    if where is None or step.action is Action.ADD_NETNS or step.action is Action.MOVE:
        return step.title
    return f"{step.title} in {where}"


def _value(v) -> str:
    from ..backends.netlink.steps import _show

    return _show(v)


@main.command(name="plan")
@click.argument("spec", type=click.Path(dir_okay=False, allow_dash=True))
@netns_option
@prefix_option
@prune_option
@click.option(
    "--exit-code", is_flag=True, help="Exit 1 when there are changes to make, as `git diff --exit-code` does."
)
@format_option
@output_option("Write the plan to FILE instead of standard output.")
def plan_command(spec, netns, netns_prefix, prune, exit_code, fmt, output):
    """Show what `apply` would change, and the `ip` command for each step; touch nothing."""
    import io

    from .. import api
    from ..backends import netlink
    from ..diagnostics import Severity, has_errors

    reporter = Reporter(fmt)

    def failed():
        return api.plan_document(spec, netns, None, reporter.diagnostics)

    program = _spec(spec, netns, netns_prefix, reporter, failed)
    say(lambda: f"reading the live state of {_spaces(program)}")
    try:
        plan = netlink.make_plan(program, prune=prune)
    except _kernel_errors() as e:
        _unreadable(reporter, e, failed)
    say(f"planned {len(plan.steps)} step(s), {len(plan.disrupting)} disrupting traffic")
    reporter.add(plan.problems)
    if has_errors(plan.problems):  # e.g. the namespace to build in is missing: no plan to show
        _give_up(reporter, failed, reporter.exit_code(), output)
    # what apply would refuse without --force is worth knowing before, not an error here
    refused = api.refusals(plan)
    found = list(reporter.diagnostics)  # the document lists the refusals apart
    for d in refused:
        reporter.add([type(d)(code=d.code, severity=Severity.WARNING, message=d.message, span=d.span, hint=d.hint)])
    out = io.StringIO()
    if fmt == "json":
        document = api.plan_document(spec, netns, plan, found, refused)
        out.write(json.dumps(document, indent=2) + "\n")
    elif not plan.steps:
        out.write(f"no changes: {_where(netns)} matches {spec}\n")
    else:
        disrupting = len(plan.disrupting)
        out.write(
            f"{len(plan.steps)} change(s) to make {_where(netns)} match {spec}"
            + (f", {disrupting} disrupting traffic" if disrupting else "")
            + ":\n"
        )
        render_steps(plan.steps, out, colour=output == "-" and coloured(sys.stdout))
    reporter.emit()
    write_output(output, out.getvalue())
    status = reporter.exit_code()
    sys.exit(EXIT_PROBLEMS if exit_code and plan.steps and status == EXIT_OK else status)


@main.command(name="apply")
@click.argument("spec", type=click.Path(dir_okay=False, allow_dash=True))
@netns_option
@prefix_option
@prune_option
@click.option("--no-disrupt", is_flag=True, help="Refuse steps that disrupt traffic (delete, recreate, move, down...).")
@click.option("--force", is_flag=True, help="Allow steps that cut the interface carrying the default route.")
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    metavar="SECONDS",
    help="Give up after SECONDS when another apply holds a namespace (default: wait as long as it takes).",
)
@format_option
def apply_command(spec, netns, netns_prefix, prune, no_disrupt, force, wait, fmt):
    """Make the kernel match SPEC now: all of it, verified, or nothing (changes are rolled back).

    SIGINT, SIGTERM and SIGHUP stop it between two changes and undo the
    changes made; it then exits 128 + the signal's number (130 for Ctrl-C).
    """
    from .. import api
    from ..backends import netlink

    reporter = Reporter(fmt)

    def failed():
        return api.apply_document(spec, netns, None, reporter.diagnostics)

    program = _spec(spec, netns, netns_prefix, reporter, failed)

    def waiting(namespace, pid):
        click.echo(f"netscript: waiting for another apply on {namespace} (pid {pid})", err=True)

    say(lambda: f"locking, reading and planning {_spaces(program)}; each change is journalled, then read back")
    try:
        result = netlink.apply(program, prune=prune, no_disrupt=no_disrupt, force=force, on_wait=waiting, wait=wait)
    except _kernel_errors() as e:
        _unreadable(reporter, e, failed)
    reporter.add(result.problems)
    if result.plan is not None:
        say(f"planned {len(result.plan.steps)} step(s); sent {result.requests} request(s) to the kernel"
            + ("; rolled back" if result.rolled_back else ""))
    out = io.StringIO()
    if fmt == "json":
        document = api.apply_document(spec, netns, result, reporter.diagnostics)
        out.write(json.dumps(document, indent=2) + "\n")
    elif result.ok and not result.done:
        out.write(f"no changes: {_where(netns)} already matches {spec}\n")
    elif result.ok:
        render_steps(result.done, out, colour=coloured(sys.stdout))
        out.write(f"applied {len(result.done)} change(s); read back, {_where(netns)} matches {spec}\n")
    # The kernel is as reported whether or not anyone reads the report
    # (`apply | head -1`): a closed pipe does not change the exit status.
    with contextlib.suppress(BrokenPipeError):
        reporter.emit()
    try:
        sys.stdout.write(out.getvalue())
        sys.stdout.flush()
    except BrokenPipeError:
        _discard_stdout()
    sys.exit(result.interrupted.exit_status if result.interrupted else reporter.exit_code())


def _discard_stdout() -> None:
    """A reader closed our standard output: send what is left nowhere, so exiting does not fail on it."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


@main.command(name="export")
@click.option("--netns", metavar="NS", help="Read namespace NS instead of the one netscript runs in.")
@click.option(
    "--netns-prefix",
    metavar="PREFIX",
    default="",
    help="Also write every namespace named PREFIX*, declared without the prefix (as apply --netns-prefix made them).",
)
@click.option("--all-netns", is_flag=True, help="Also write every named namespace (ip netns list), declared.")
@output_option("Write the spec to FILE instead of standard output.")
@format_option
def export_command(netns: str | None, netns_prefix: str, all_netns: bool, output: str, fmt: str) -> None:
    """Print the live state as a spec (MAC addresses and kernel defaults left out).

    With --all-netns or --netns-prefix the spec spans namespaces: apply it
    with the same options and it builds the same topology again.
    """
    from ..backends.dsl import print_program
    from ..codes import diag
    from ..frontends import kernel
    from ..validate import namespace_name_problem

    reporter = Reporter(fmt)
    problem = namespace_name_problem(netns) if netns is not None else None
    problems = [f"--netns: {problem}"] if problem else []
    if netns_prefix and "/" in netns_prefix:
        problems.append(f"--netns-prefix {netns_prefix!r}: a namespace name cannot contain '/'")
    if problems:
        reporter.add([diag("NS211", p, None) for p in problems], fatal=True)
        reporter.emit()
        sys.exit(reporter.exit_code())
    also = kernel.export_namespaces(netns, all_netns, netns_prefix)
    say(f"reading {_where(netns)}" + (f" and {len(also)} more namespace(s)" if also else ""))
    try:
        state = kernel.read([netns, *also])
        program = kernel.export(state, netns, also, netns_prefix)
    except _kernel_errors() as e:
        _unreadable(reporter, e)
    reporter.add([diag("NS511", f"{o.text}: {o.reason}", None) for o in program.opaque])
    reporter.emit()
    write_output(output, print_program(program))
    sys.exit(EXIT_OK if reporter.exit_code() == EXIT_OK else reporter.exit_code())
