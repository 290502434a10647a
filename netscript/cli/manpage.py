"""netscript(1), written from the click commands themselves so that it cannot drift from them.

``python -m netscript.cli.manpage > man/netscript.1`` regenerates the page
that setup.cfg installs under ``share/man/man1`` (where man-db finds it for
a virtual environment whose ``bin`` is on PATH); tests/test_manpage.py fails
when the committed page differs from what the commands say now.
"""

from __future__ import annotations

import inspect
import sys

import click

from .. import __version__

EXAMPLES = """\
netscript render lab.ns -o lab.sh
netscript render lab.ns --netns demo --netns-prefix demo- | bash
netscript check lab.ns docs/ scripts/
netscript translate old-bridge.sh --diff
netscript plan lab.ns --netns lab --exit-code
netscript apply lab.ns --netns lab --wait 30
netscript export --netns lab -o now.ns
netscript fmt -i lab.ns
"""

EXIT_STATUS = (
    ("0", "all is well"),
    ("1", "problems were found (or hit): findings, refused or rolled-back applies, pending changes with --exit-code"),
    ("2", "unusable input or usage: a spec that does not parse, an unreadable file, a bad option"),
    ("128+N", "apply was stopped by signal N (130 for SIGINT) and undid every change it had made"),
)


def _escape(text: str) -> str:
    out = text.replace("\\", "\\e").replace("-", "\\-")
    return "\n".join("\\&" + line if line.startswith((".", "'")) else line for line in out.splitlines())


def _paragraphs(text: str) -> str:
    """A docstring's paragraphs, each filled by man, separated as man separates them."""
    blocks = [" ".join(b.split()) for b in inspect.cleandoc(text).split("\n\n") if b.strip()]
    return "\n.PP\n".join(_escape(b) for b in blocks)


def _option_line(param: click.Parameter) -> str:
    # short spellings first, in a fixed order: click keeps -h/--help in a set
    spellings = sorted((*param.opts, *param.secondary_opts), key=lambda n: (n.startswith("--"), n))
    names = ", ".join(f"\\fB{_escape(n)}\\fR" for n in spellings)
    if isinstance(param, click.Option) and not param.is_flag:
        metavar = param.metavar or param.type.name.upper()
        if isinstance(param.type, click.Choice):
            metavar = "|".join(str(c) for c in param.type.choices)
        names += f" \\fI{_escape(metavar)}\\fR"
    return names


def page() -> str:
    """The whole man page, in roff."""
    from . import main

    # make_context applies each command's context_settings (-h beside --help) as a real run does
    ctx = main.make_context("netscript", [], resilient_parsing=True)
    lines = [
        f'.TH NETSCRIPT 1 "" "netscript {__version__}" "User Commands"',
        ".SH NAME",
        "netscript \\- " + _escape(main.help or "").split("\n")[0],
        ".SH SYNOPSIS",
        "\\fBnetscript\\fR \\fICOMMAND\\fR [\\fIOPTIONS\\fR] [\\fIARGS\\fR]...",
        ".SH DESCRIPTION",
        _escape(
            "netscript reads a compact spec, legacy shell scripts (brctl, vconfig, teamd, ifenslave, tunctl, "
            "sysfs bonding, ifconfig), command snippets in documentation, or the live kernel, into one model "
            "of interface operations, and writes idempotent bash scripts of ip/bridge/teamd commands, applies "
            "it over netlink (plan, apply, verify, roll back), or reports what is wrong."
        ),
        ".PP",
        _escape(
            "Diagnostics look the same from every command: path:line:col: severity: message [CODE], "
            "or JSON with --format json. netscript rules lists every code."
        ),
        ".SH COMMANDS",
    ]
    for name in main.list_commands(ctx):
        command = main.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        sub = command.make_context(name, [], parent=ctx, resilient_parsing=True)
        usage = " ".join(command.collect_usage_pieces(sub))
        lines += [".SS " + f"netscript {name} {_escape(usage)}".rstrip(), _paragraphs(command.help or "")]
        for param in command.get_params(sub):
            if isinstance(param, click.Option) and param.help and not param.hidden:
                lines += [".TP", _option_line(param), _escape(param.help)]
    lines += [".SH EXIT STATUS"]
    for status, meaning in EXIT_STATUS:
        lines += [".TP", f"\\fB{_escape(status)}\\fR", _escape(meaning)]
    lines += [".SH EXAMPLES", ".nf", _escape(EXAMPLES).rstrip(), ".fi"]
    lines += [
        ".SH ENVIRONMENT",
        ".TP",
        "\\fBNO_COLOR\\fR",
        "Plain text even on a terminal.",
        ".TP",
        "\\fBNETSCRIPT_DEBUG\\fR",
        "Show the Python traceback of an internal error.",
        ".SH FILES",
        ".TP",
        "\\fI/run/netscript/NAME.lock\\fR",
        _escape("The lock an apply holds on namespace NAME while it runs; removed when it ends."),
        ".SH SEE ALSO",
        "\\fBip\\fR(8), \\fBip-link\\fR(8), \\fBbridge\\fR(8), \\fBteamd\\fR(8), \\fBteamdctl\\fR(8)",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(page())
