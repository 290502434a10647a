"""Placing a spec (--netns, --netns-prefix): where each link, its parent and its peer end up."""

from __future__ import annotations

from netscript.frontends.dsl import parse
from netscript.ir.model import Ref
from netscript.placement import place

SPEC = """netns c1
physical eth1
bridge br0
veth v0 peer eth0@c1
macvlan m0 link eth1 netns c1 mode bridge
macvlan m1 link eth1@. netns c1 mode bridge
"""


def spec():
    program, problems = parse(SPEC, "s.ns")
    assert problems == []
    return program


def links(program) -> dict:
    return {(link.netns, link.name): link for link in program.all_links()}


def test_netns_moves_the_unqualified_links_and_a_prefix_the_declared_namespaces():
    program = spec()
    placed = links(place(program, netns="t", prefix="p-"))
    assert set(placed) == {("t", "eth1"), ("t", "br0"), ("t", "v0"), ("p-c1", "eth0"), ("p-c1", "m0"), ("p-c1", "m1")}
    assert placed[("t", "v0")].peer == placed[("p-c1", "eth0")]
    # a plain parent of a link in a namespace is resolved before the move: c1 has no eth1, the default one has
    assert placed[("p-c1", "m0")].parent == Ref(name="eth1", netns="t")
    assert placed[("p-c1", "m1")].parent == Ref(name="eth1", netns="t", default_netns=True)


def test_a_link_nothing_moves_is_kept_not_copied():
    # --netns-prefix alone leaves the default namespace's links where they are: 1,900 of them are not copied
    program = spec()
    before, after = links(program), links(place(program, prefix="p-"))
    assert after[(None, "br0")] is before[(None, "br0")]
    assert after[(None, "eth1")] is before[(None, "eth1")]
    assert after[("p-c1", "m0")].span is before[("c1", "m0")].span  # moved: a copy, from the same place in the spec
