"""Commands on the live kernel: plan, apply, export.

``plan`` and ``apply`` read their spec through :func:`netscript.frontends.load`
like every other command, so any input a frontend understands works; a spec
with validation errors never reaches the kernel.
"""

from __future__ import annotations

import json
import sys

import click

from ..backends.netlink import codes as _netlink_codes  # noqa: F401  (the NS5xx codes, for `netscript rules`)
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

netns_option = click.option("--netns", metavar="NS", help="Put the links the spec leaves unqualified in namespace NS.")
prefix_option = click.option(
    "--netns-prefix", metavar="PREFIX", default="", help="Prefix the names of the namespaces the spec declares."
)
prune_option = click.option(
    "--prune", is_flag=True, help="Also delete links the spec does not mention (never physical ones), release ports "
    "and remove addresses it does not list."
)


def _spec(spec: str, netns, prefix, reporter: Reporter):
    from ..plan import place

    program = load_valid(spec, reporter)
    if program is None:
        reporter.emit()
        sys.exit(reporter.exit_code())
    return place(program, netns=netns, prefix=prefix)


def _kernel_errors():
    from ..backends.netlink.kernel import KernelError
    from ..frontends.kernel import NamespaceMissing, NetlinkError

    return (NamespaceMissing, NetlinkError, KernelError, OSError)


def _unreadable(reporter: Reporter, error: Exception) -> None:
    from ..codes import diag
    from ..frontends.kernel import NamespaceMissing

    if isinstance(error, NamespaceMissing):
        reporter.add([diag("NS501", str(error), None, hint=f"create it first (ip netns add {error.name})")])
    else:
        describe = getattr(error, "describe", None)
        text = describe() if describe else (getattr(error, "strerror", None) or str(error))
        reporter.add([diag("NS509", f"cannot read the live state: {text}", None, hint="netscript needs root")])
    reporter.emit()
    sys.exit(EXIT_PROBLEMS)


def _where(netns) -> str:
    return f"namespace {netns}" if netns else "this namespace"


def render_steps(steps, stream) -> None:
    from ..backends.netlink.steps import SIGILS

    width = len(str(len(steps)))
    for number, step in enumerate(steps, 1):
        mark = "  [disrupts]" if step.disrupts else ""
        stream.write(f"{number:>{width}} {SIGILS.get(step.action, '~')} {step.title}{mark}\n")
        for d in step.differences:
            stream.write(f"{'':>{width}}     {d.attribute}: {_value(d.actual)} -> {_value(d.wanted)}\n")
        for command in step.commands:
            stream.write(f"{'':>{width}}     $ {' '.join(_quote(w) for w in command)}\n")


def _value(v) -> str:
    from ..backends.netlink.steps import _show

    return _show(v)


def _quote(word: str) -> str:
    import shlex

    return shlex.quote(word)


@main.command(name="plan")
@click.argument("spec", type=click.Path(dir_okay=False, allow_dash=True))
@netns_option
@prefix_option
@prune_option
@format_option
@output_option("Write the plan to FILE instead of standard output.")
def plan_command(spec, netns, netns_prefix, prune, fmt, output):
    """Show what `apply` would change, and the `ip` command for each step; touch nothing."""
    import io

    from ..backends import netlink
    from ..backends.netlink import guard
    from ..diagnostics import Severity

    reporter = Reporter(fmt)
    program = _spec(spec, netns, netns_prefix, reporter)
    try:
        plan = netlink.make_plan(program, prune=prune)
    except _kernel_errors() as e:
        _unreadable(reporter, e)
    reporter.add(plan.problems)
    # what apply would refuse without --force is worth knowing before, not an error here
    for d in guard.refusals(plan.steps, plan.state, no_disrupt=False, force=False):
        reporter.add([type(d)(code=d.code, severity=Severity.WARNING, message=d.message, span=d.span, hint=d.hint)])
    out = io.StringIO()
    if fmt == "json":
        out.write(json.dumps({"spec": spec, "steps": [s.as_dict() for s in plan.steps]}, indent=2) + "\n")
    elif not plan.steps:
        out.write(f"no changes: {_where(netns)} matches {spec}\n")
    else:
        disrupting = len(plan.disrupting)
        out.write(
            f"{len(plan.steps)} change(s) to make {_where(netns)} match {spec}"
            + (f", {disrupting} disrupting traffic" if disrupting else "")
            + ":\n"
        )
        render_steps(plan.steps, out)
    reporter.emit()
    write_output(output, out.getvalue())
    sys.exit(reporter.exit_code())


@main.command(name="apply")
@click.argument("spec", type=click.Path(dir_okay=False, allow_dash=True))
@netns_option
@prefix_option
@prune_option
@click.option("--no-disrupt", is_flag=True, help="Refuse steps that disrupt traffic (delete, recreate, move, down...).")
@click.option("--force", is_flag=True, help="Allow steps that cut the interface carrying the default route.")
@format_option
def apply_command(spec, netns, netns_prefix, prune, no_disrupt, force, fmt):
    """Make the kernel match SPEC now: all of it, verified, or nothing (changes are rolled back)."""
    from ..backends import netlink

    reporter = Reporter(fmt)
    program = _spec(spec, netns, netns_prefix, reporter)

    def waiting(namespace, pid):
        click.echo(f"netscript: waiting for another apply on {namespace} (pid {pid})", err=True)

    try:
        result = netlink.apply(program, prune=prune, no_disrupt=no_disrupt, force=force, on_wait=waiting)
    except _kernel_errors() as e:
        _unreadable(reporter, e)
    reporter.add(result.problems)
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "spec": spec,
                    "applied": [s.as_dict() for s in result.done],
                    "rolled_back": result.rolled_back,
                    "requests": result.requests,
                },
                indent=2,
            )
        )
    elif result.ok and not result.done:
        click.echo(f"no changes: {_where(netns)} already matches {spec}")
    elif result.ok:
        render_steps(result.done, sys.stdout)
        click.echo(f"applied {len(result.done)} change(s); read back, {_where(netns)} matches {spec}")
    reporter.emit()
    sys.exit(reporter.exit_code())


@main.command(name="export")
@click.option("--netns", metavar="NS", help="Read namespace NS instead of the one netscript runs in.")
@output_option("Write the spec to FILE instead of standard output.")
@format_option
def export_command(netns, output, fmt):
    """Print the live state of a namespace as a spec (MAC addresses and kernel defaults left out)."""
    from ..backends.dsl import print_program
    from ..codes import diag
    from ..frontends import kernel

    reporter = Reporter(fmt)
    try:
        state = kernel.read([netns])
        program = kernel.export(state, netns)
    except _kernel_errors() as e:
        _unreadable(reporter, e)
    reporter.add([diag("NS511", f"{o.text}: {o.reason}", None) for o in program.opaque])
    reporter.emit()
    write_output(output, print_program(program))
    sys.exit(EXIT_OK if reporter.exit_code() == EXIT_OK else reporter.exit_code())
