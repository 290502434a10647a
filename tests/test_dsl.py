"""The DSL: reading, canonical formatting, round trips, and syntax errors."""

from __future__ import annotations

import glob
from pathlib import Path

import pytest
from conftest import EXAMPLES
from hypothesis import given, settings
from hypothesis import strategies as st

from netscript.backends.dsl import print_program
from netscript.fmt import format_text
from netscript.frontends import dsl
from netscript.ir.model import AdminState, LinkKind


def parse(text):
    program, diagnostics = dsl.parse(text, "t.ns")
    return program, diagnostics


def only(text):
    program, diagnostics = parse(text)
    assert [d for d in diagnostics if d.is_error] == []
    return program


# -- reading ---------------------------------------------------------------


def test_statement_reads_into_typed_ir():
    p = only(
        "netns red\n"
        "physical eth0; physical eth1\n"
        "bridge br0 stp_state on forward_delay 4s hello_time 150cs max_age 20000ms {\n"
        "    ports eth0\n"
        "    port tap1 cost 10 priority 32 hairpin on\n"
        "    addr 192.0.2.1/24 2001:db8::1/64\n"
        "    mtu 9000\n"
        "    up\n"
        "}\n"
        "tap tap1\n"
        "macvlan mv0 link eth1@red mode bridge netns red\n"
        "veth v0 peer v1@red\n"
    )
    br = p.links[2]
    assert br.kind is LinkKind.BRIDGE and br.name == "br0"
    assert br.options.stp_state is True
    assert (br.options.forward_delay, br.options.hello_time, br.options.max_age) == (400, 150, 2000)
    assert [port.name for port in br.ports] == ["eth0", "tap1"]
    assert br.ports[1].options.cost == 10 and br.ports[1].options.hairpin is True
    assert [a.cidr for a in br.addresses] == ["192.0.2.1/24", "2001:db8::1/64"]
    assert br.mtu == 9000 and br.state is AdminState.UP
    mv = p.links[4]
    assert (mv.parent.name, mv.parent.netns, mv.netns, mv.options.mode) == ("eth1", "red", "red", "bridge")
    veth = p.links[5]
    assert (veth.peer.name, veth.peer.netns) == ("v1", "red")


def test_spans_point_at_the_words():
    p = only("\n  bridge   br0 mtu 9000\n")
    link = p.links[0]
    assert (link.span.line, link.span.col) == (2, 12)
    assert (link.setting_span("mtu").line, link.setting_span("mtu").col) == (2, 20)


def test_span_does_not_affect_equality():
    a = only("bridge br0 { up }\n")
    b = only("\n\n\nbridge    br0 {\n  up\n}\n")
    assert a == b


@pytest.mark.parametrize(
    "text, code, col",
    [
        ("brige br0\n", "NS104", 1),
        ("bridge br0 stp_stat on\n", "NS105", 12),
        ("bridge br0 mtu lots\n", "NS106", 16),
        ("bridge br0 forward_delay 2.555s\n", "NS106", 26),
        ("bridge br0 mtu\n", "NS107", 12),
        ("bridge br0 mtu 1500 mtu 9000\n", "NS108", 21),
        ("bridge br0 forward_delay 15\n", "NS109", 26),
        ("veth v0 ports a b\n", "NS103", 9),
        ("veth v0 { ports a }\n", "NS215", 17),
        ("bond b0 { port eth0 prio x }\n", "NS106", 26),
        ("bond b0 { port eth0 cost 3 }\n", "NS105", 21),
        ("netns\n", "NS103", 1),
        ("vlan v1 { up { x } }\n", "NS103", 14),
    ],
)
def test_reading_diagnostics(text, code, col):
    _, diagnostics = parse(text)
    assert [(d.code, d.span.line, d.span.col) for d in diagnostics] == [(code, 1, col)]


def test_did_you_mean():
    _, diagnostics = parse("bridge br0 stp_stat on\n")
    assert diagnostics[0].hint == "did you mean 'stp_state'?"


def test_bare_timer_is_centiseconds_and_said_so():
    p, diagnostics = parse("bridge br0 forward_delay 15\n")
    assert p.links[0].options.forward_delay == 15
    assert "centiseconds" in diagnostics[0].message and diagnostics[0].severity.value == "info"


@pytest.mark.parametrize(
    "text, line, col, words",
    [
        ('bridge "br0\n', 1, 8, "unterminated string"),
        ("bridge br0 {\n  up\n", 1, 12, "never closed"),
        ("bridge br0 { up }\nbond b0 {\n veth v0 { peer x }\n", 2, 9, "never closed"),
        ("bridge br0 }\n", 1, 12, "without a matching"),
        ("bridge br0\n{ up }\n", 2, 1, "must follow"),
        ("bridge 'br0'\n", 1, 8, "single quotes"),
        ("bridge br0 { up } x\n", 1, 19, "unexpected"),
    ],
)
def test_syntax_errors_have_position(text, line, col, words):
    with pytest.raises(dsl.DSLSyntaxError) as e:
        parse(text)
    d = e.value.diagnostic
    assert (d.code, d.span.line, d.span.col) == ("NS103", line, col)
    assert words in d.message


# -- fmt --------------------------------------------------------------------

FMT_CASES = [
    # (input, canonical)
    ("bridge   br0   stp_state on\n", "bridge br0 stp_state on\n"),
    ("bridge br0 { ports a b; up }\n", "bridge br0 {\n    ports a b\n    up\n}\n"),
    ("bridge br0 {}\n", "bridge br0\n"),
    ('bridge "br0" { up }\n', "bridge br0 {\n    up\n}\n"),
    ('bridge "a;b"\n', 'bridge "a;b"\n'),
    ('veth "v@x" peer v1@red\n', 'veth "v@x" peer v1@red\n'),
    ("\n\n# top\n\n\nnetns red # ns\n\n\n\nbridge b\n\n", "# top\n\nnetns red  # ns\n\nbridge b\n"),
    ("veth v0 { peer v1 { up; addr 10.0.0.1/24 } }\n", "veth v0 {\n    peer v1 {\n        up\n        addr 10.0.0.1/24\n    }\n}\n"),
    ("bridge b { # ports\n  ports a\n  # last\n}\n", "bridge b {  # ports\n    ports a\n    # last\n}\n"),
    ("bridge b \\\n  stp_state on\n", "bridge b stp_state on\n"),
    ("", ""),
    ("# only a comment\n", "# only a comment\n"),
]


@pytest.mark.parametrize("text, canonical", FMT_CASES)
def test_fmt_table(text, canonical):
    assert format_text(text) == canonical
    assert format_text(canonical) == canonical
    assert dsl.parse(canonical)[0] == dsl.parse(text)[0]


@pytest.mark.parametrize("path", sorted(glob.glob(f"{EXAMPLES}/*.ns")))
def test_examples_are_canonical_and_round_trip(path):
    text = Path(path).read_text()
    assert format_text(text, path) == text
    program = only(text)
    assert only(print_program(program)) == program


# -- property: parse(print(ir)) == ir ----------------------------------------

names = st.text(alphabet=st.characters(blacklist_characters="/: \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u2028\u2029\x00", blacklist_categories=("Cs", "Zs", "Cc")), min_size=1, max_size=6)


@st.composite
def programs(draw):
    lines = ["netns red"]
    bridge_names = draw(st.lists(names, min_size=1, max_size=3, unique=True))
    for n in bridge_names:
        quoted = '"' + n.replace("\\", "\\\\").replace('"', '\\"') + '"'
        opts = []
        if draw(st.booleans()):
            opts.append(f"stp_state {draw(st.sampled_from(['on', 'off']))}")
        if draw(st.booleans()):
            opts.append(f"forward_delay {draw(st.integers(2, 30))}s")
        if draw(st.booleans()):
            opts.append(f"mtu {draw(st.integers(68, 9000))}")
        if draw(st.booleans()):
            opts.append("netns red")
        body = []
        if draw(st.booleans()):
            body.append(f"addr 10.{draw(st.integers(0, 255))}.0.1/24")
        if draw(st.booleans()):
            body.append(draw(st.sampled_from(["up", "down"])))
        block = " { " + "; ".join(body) + " }" if body else ""
        lines.append(f"bridge {quoted} {' '.join(opts)}{block}")
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None)
@given(programs())
def test_print_parse_round_trip(text):
    program = only(text)
    printed = print_program(program)
    assert only(printed) == program
    assert format_text(printed) == printed
    assert only(format_text(text)) == program
