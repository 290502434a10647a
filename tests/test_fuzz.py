"""Every command that reads input survives any input: exit 0, 1 or 2, never a traceback.

Random bytes and soups of the tokens the readers care about (DSL keywords,
braces and quotes, legacy and iproute2 words, prompts, roff and Markdown
markup, unusual white space, very long words) go through the CLI as files of
each kind. Derandomized and bounded: the same examples on every run, a few
seconds in all (NETSCRIPT_FUZZ_EXAMPLES=3000 searches harder; that is how the
tree-sitter-bash crash on `{` before a far code point was found). plan and
apply are left out: they read or change the kernel.
"""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netscript.cli import main

TOKENS = [
    # the DSL
    "netns", "bridge", "bond", "team", "vlan", "veth", "macvlan", "ipvlan", "tap", "vxlan", "vrf", "dummy", "physical",
    "peer", "ports", "port", "slaves", "addr", "up", "down", "mtu", "mac", "link", "id", "mode", "stp_state", "forward_delay",
    "4s", "010", "1500", "192.0.2.1/24", "2001:db8::1/64", "00:11:22:33:44:55", "br0", "eth0", "v1@red", "a;b",
    "{", "}", ";", '"', '\\"', "#", "\\", "\\\n", "@", "%", "=", "'",
    # shell and legacy tools
    "ip", "-n", "add", "del", "set", "dev", "type", "master", "brctl", "addbr", "addif", "setfd", "stp", "vconfig",
    "ifconfig", "ifenslave", "tunctl", "-t", "teamd", "teamdctl", "-d", "-c", '{"runner":{"name":"lacp"}}', "sudo",
    "echo", "/sbin/brctl", "$BR", "${X}", "$(", ")", "`", "|", "||", "&&", "&", ">", "2>", "-a2>", "<<EOF", "EOF",
    "if", "then", "fi", "for", "do", "done", "BR=br0", "/sys/class/net/bond0/bonding/mode", "$ ", "# ",
    # documents
    "```", "```bash", "```netscript", "~~~", "::", ".. code-block:: bash", "    ", ".TH X 8", ".SH NAME", ".nf", ".fi",
    ".EX", ".EE", ".B", "\\-", "\\fB", "\\fR", ".br", "<!-- netscript-check: skip -->",
    # white space and oddities
    " ", " ", "\t", "\n", "\n", "\n", "\r", "\r\n", "\f", "\v", "\u00a0", "\u2028", "\u3000", "\ufeff", "é", "\u200b",
    "a" * 300, "9" * 40,
]

soup = st.lists(st.sampled_from(TOKENS), max_size=40).flatmap(
    lambda tokens: st.lists(st.sampled_from(["", " ", "\n"]), min_size=len(tokens), max_size=len(tokens)).map(
        lambda seps: "".join(t + s for t, s in zip(tokens, seps))
    )
)
inputs = st.one_of(
    soup.map(lambda t: t.encode("utf-8")),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.binary(max_size=200),
)

# (command words, file name): every reader of every command that reads a file.
TARGETS = [
    (("check",), "in.ns"),
    (("check",), "in.sh"),
    (("check",), "in.md"),
    (("check",), "in.rst"),
    (("check",), "in.txt"),
    (("check",), "in.8"),
    (("check",), "in"),  # by content
    (("render",), "in.ns"),
    (("fmt",), "in.ns"),
    (("translate",), "in.sh"),
    (("translate", "--to", "dsl"), "in.sh"),
]

FUZZ = settings(
    derandomize=True,
    max_examples=int(os.environ.get("NETSCRIPT_FUZZ_EXAMPLES", "150")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.parametrize("command, name", TARGETS, ids=[f"{' '.join(c)}-{n}" for c, n in TARGETS])
@FUZZ
@given(data=inputs)
def test_commands_survive_any_input(tmp_path, command, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    result = CliRunner().invoke(main, [*command, str(path)])
    crash = result.exception if not isinstance(result.exception, SystemExit) else None
    assert crash is None, f"{type(crash).__name__}: {crash} on {data!r}"
    assert result.exit_code in (0, 1, 2), data
    assert "internal error" not in result.output and "Traceback" not in result.output, data
