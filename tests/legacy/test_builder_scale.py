"""Replaying a script's effects finds each link by key, never by looking through every link so far."""

from __future__ import annotations

from netscript.frontends.legacy import effects as fx
from netscript.frontends.legacy.program import Builder
from netscript.ir.model import LinkKind


class _CountedLinks(dict):
    """The builder's links, counting how often all of them are gone through."""

    walks = 0

    def values(self):
        _CountedLinks.walks += 1
        return super().values()


def _replay(effects) -> Builder:
    builder = Builder("s.sh", lambda start, end: None)
    builder.links = _CountedLinks()
    _CountedLinks.walks = 0
    for effect in effects:
        builder.apply(effect, "")
    return builder


def test_creating_enslaving_and_deleting_links_looks_nothing_up_by_walking_all_links():
    # 100,000 `brctl addbr` took minutes: each creation looked for a veth peer of the name in every link before it
    effects = [fx.CreateLink(f"br{i}", LinkKind.BRIDGE) for i in range(200)]
    effects += [fx.CreateLink(f"v{i}", LinkKind.VETH, peer=f"p{i}") for i in range(50)]
    effects += [fx.Enslave(f"p{i}", "br0", LinkKind.BRIDGE) for i in range(50)]
    effects += [fx.CreateLink(f"d{i}", LinkKind.DUMMY) for i in range(100)]
    effects += [fx.Enslave(f"d{i}", f"br{i}", LinkKind.BRIDGE) for i in range(100)]
    effects += [fx.Release(f"d{i}") for i in range(50)]
    effects += [fx.DeleteLink(f"d{i}") for i in range(50, 100)]
    builder = _replay(effects)
    assert _CountedLinks.walks == 0
    program = builder.program()
    br0 = next(link for link in program.links if link.name == "br0")
    assert [p.name for p in br0.ports] == [f"p{i}" for i in range(50)]  # the veth peers, found by name
    assert [link.name for link in program.links if link.ports] == ["br0"]  # released, or deleted


def test_a_peer_moved_to_another_namespace_is_found_there():
    builder = _replay([
        fx.CreateLink("v0", LinkKind.VETH, peer="p0"),
        fx.AddNetns("red"),
        fx.SetLink("p0", move_to_netns="red"),
        fx.Enslave("p0", "br0", LinkKind.BRIDGE, netns="red"),
    ])  # fmt: skip
    link = builder.program().links
    assert [(x.name, x.netns, [p.name for p in x.ports]) for x in link] == [("v0", None, []), ("br0", "red", ["p0"])]
    assert builder.find("red", "p0") is builder.find(None, "v0").peer
    assert builder.find(None, "p0") is None


def test_two_peers_of_one_name_the_first_pair_wins_as_before():
    builder = _replay([
        fx.CreateLink("a", LinkKind.VETH, peer="p"),
        fx.CreateLink("b", LinkKind.VETH, peer="p"),
    ])  # fmt: skip
    assert builder.find(None, "p") is builder.links[(None, "a")].peer
    builder.apply(fx.DeleteLink("a"), "")
    assert builder.find(None, "p") is builder.links[(None, "b")].peer
