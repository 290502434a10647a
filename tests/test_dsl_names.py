"""Names with namespaces in the DSL: a port named in its master's namespace, a quoted name in another."""

from __future__ import annotations

from netscript.backends.dsl import print_program
from netscript.frontends import dsl_syntax
from netscript.frontends.dsl import parse
from netscript.validate import validate


def codes(text: str) -> list[str]:
    program, found = parse(text, "t.ns")
    return [d.code for d in found] + ([d.code for d in validate(program)] if program else [])


def test_a_port_named_with_its_masters_own_namespace_is_that_port():
    text = "netns red\nveth v0 peer eth0@red\nbridge br0 netns red {\n    port eth0@red cost 5\n}\n"
    program, found = parse(text, "t.ns")
    assert found == [] and validate(program) == []
    [bridge] = [link for link in program.links if link.name == "br0"]
    assert [p.name for p in bridge.ports] == ["eth0"]
    assert codes("netns red\nveth v0 peer eth0@red\nbridge br0 netns red {\n    ports eth0@red\n}\n") == []


def test_a_port_named_in_another_namespace_than_its_master_is_ns212():
    assert codes("netns red\nveth x peer y@red\nbridge br0 {\n    ports y@red\n}\n") == ["NS212"]


def test_listing_one_port_twice_says_so():
    program, _ = parse("veth v0 peer v1\nbridge br0 {\n    ports v0\n    port v0 cost 5\n}\n", "t.ns")
    [problem] = validate(program)
    assert problem.code == "NS206" and problem.message == "v0 is listed twice as a port of br0"


def test_a_quoted_name_in_another_namespace():
    text = 'netns red\nveth v0 peer "a;b"@red\n'
    program, found = parse(text, "t.ns")
    assert found == [] and validate(program) == []
    [veth] = program.links
    assert (veth.peer.name, veth.peer.netns) == ("a;b", "red")
    printed = print_program(program)  # the printer writes it so, and it reads back the same
    assert 'veth v0 peer "a;b"@red' in printed and parse(printed, "t.ns")[0] == program
    # the scanner and the lark grammar read it alike
    fast, slow = dsl_syntax.parse(text, "t.ns"), dsl_syntax.parse_with_grammar(text, "t.ns")
    assert [[(w.text, w.raw) for w in st.words] for st in fast.statements] == [
        [(w.text, w.raw) for w in st.words] for st in slow.statements
    ]


AMBIGUOUS = "netns c1\nphysical eth1\nveth v0 peer eth1@c1\nmacvlan eth0 link eth1 netns c1 mode bridge\n"


def test_a_parent_name_in_two_namespaces_is_warned_about_and_at_dot_names_the_default_one():
    program, _ = parse(AMBIGUOUS, "t.ns")
    [warning] = validate(program)
    assert warning.code == "NS229" and "eth1@." in warning.hint
    pinned, _ = parse(AMBIGUOUS.replace("link eth1 ", "link eth1@. "), "t.ns")
    assert validate(pinned) == []
    [macvlan] = [link for link in pinned.links if link.name == "eth0"]
    from netscript.ir.index import Index

    assert Index.build(pinned).parent_key(macvlan) == (None, "eth1")
    printed = print_program(pinned)
    assert "macvlan eth0 netns c1 link eth1@. mode bridge" in printed and parse(printed, "t.ns")[0] == pinned


def test_a_forgotten_name_is_said_to_be_missing_not_an_unknown_setting():
    _, found = parse("tap user root vnet_hdr on\n", "t.ns")
    [problem] = found
    assert problem.code == "NS107" and problem.span.col == 5
    assert problem.message == "tap needs a name before its settings: 'user' is a tap setting"
    # a name that happens to be a setting's word is still a name when settings follow it
    program, found = parse("bridge mtu mtu 1400\ntap up\n", "t.ns")
    assert found == [] and [link.name for link in program.links] == ["mtu", "up"]
