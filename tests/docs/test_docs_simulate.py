"""Snippet semantics on the model: each rule from effects, independent of any parser."""

from __future__ import annotations

import pytest

from netscript.docs.document import Document
from netscript.docs.simulate import Step, assumed_links, simulate
from netscript.frontends.legacy import effects as fx
from netscript.ir.model import AdminState, LinkKind

DOC = Document("t.md", "\n".join(f"command {n}" for n in range(20)) + "\n", "markdown")


def at(n: int) -> dict:
    """The span of document line n (1-based)."""
    start = DOC._line_starts[n - 1]
    return {"start": start, "end": start + 9}


def run(*steps):
    return [(d.code, d.severity.value, d.span.line) for d in simulate(list(steps), DOC)]


def step(tool, *effects):
    return Step(tool, list(effects))


BR0 = step("ip", fx.CreateLink("br0", LinkKind.BRIDGE, **at(1)))


@pytest.mark.parametrize(
    "steps, expected",
    [
        # duplicate creation
        ([BR0, step("ip", fx.CreateLink("br0", LinkKind.BRIDGE, **at(2)))], [("NS205", "error", 2)]),
        # re-creating after deleting is fine
        ([BR0, step("ip", fx.DeleteLink("br0", **at(2))), step("ip", fx.CreateLink("br0", LinkKind.BRIDGE, **at(3)))], []),
        # veth whose peer has its own name
        ([step("ip", fx.CreateLink("v0", LinkKind.VETH, peer="v0", **at(1)))], [("NS603", "error", 1)]),
        ([step("ip", fx.CreateLink("v0", LinkKind.VETH, peer="v1", **at(1)))], []),
        # enslaving to a master the snippet deleted
        ([BR0, step("ip", fx.DeleteLink("br0", **at(2))), step("brctl", fx.Enslave("eth0", "br0", **at(3)))], [("NS601", "error", 3)]),
        # a master that could never exist: a bad name, or a kind without ports
        ([step("ip", fx.Enslave("eth0", "a-name-longer-than-15", **at(1)))], [("NS602", "error", 1)]),
        (
            [step("ip", fx.CreateLink("v0", LinkKind.VETH, peer="v1", **at(1))), step("ip", fx.Enslave("eth0", "v0", **at(2)))],
            [("NS602", "error", 2)],
        ),
        # two masters: brctl refuses, ip moves the port
        ([step("brctl", fx.Enslave("eth0", "br0", **at(1))), step("brctl", fx.Enslave("eth0", "br1", **at(2)))], [("NS206", "error", 2)]),
        ([step("ip", fx.Enslave("eth0", "br0", **at(1))), step("ip", fx.Enslave("eth0", "br1", **at(2)))], [("NS206", "warning", 2)]),
        # released in between: fine
        (
            [step("brctl", fx.Enslave("eth0", "br0", **at(1))), step("brctl", fx.Release("eth0", **at(2))), step("brctl", fx.Enslave("eth0", "br1", **at(3)))],
            [],
        ),
        # macvlan and ipvlan on one parent
        (
            [
                step("ip", fx.CreateLink("mv0", LinkKind.MACVLAN, parent="eth0", **at(1))),
                step("ip", fx.CreateLink("iv0", LinkKind.IPVLAN, parent="eth0", **at(2))),
            ],
            [("NS208", "error", 2)],
        ),
        (
            [
                step("ip", fx.CreateLink("mv0", LinkKind.MACVLAN, parent="eth0", **at(1))),
                step("ip", fx.CreateLink("iv0", LinkKind.IPVLAN, parent="eth1", **at(2))),
            ],
            [],
        ),
        # a team port added while up (only when the snippet set it up)
        (
            [
                step("teamd", fx.CreateLink("team0", LinkKind.TEAM, **at(1))),
                step("ip", fx.SetLink("eth1", state=AdminState.UP, **at(2))),
                step("teamdctl", fx.Enslave("eth1", "team0", **at(3))),
            ],
            [("NS209", "error", 3)],
        ),
        ([step("teamd", fx.CreateLink("team0", LinkKind.TEAM, **at(1))), step("teamdctl", fx.Enslave("eth1", "team0", **at(2)))], []),
        # names used without being created are assumed to exist
        ([step("ip", fx.Enslave("eth0", "br0", **at(1))), step("ip", fx.SetLink("eth0", state=AdminState.UP, **at(2)))], []),
        # using a deleted link; its vlan went with it
        (
            [
                step("ip", fx.CreateLink("v10", LinkKind.VLAN, parent="eth0", **at(1))),
                step("ip", fx.DeleteLink("eth0", **at(2))),
                step("ip", fx.SetLink("v10", state=AdminState.UP, **at(3))),
            ],
            [("NS601", "error", 3)],
        ),
        # namespaces keep names apart
        ([BR0, step("ip", fx.CreateLink("br0", LinkKind.BRIDGE, netns="red", **at(2)))], []),
    ],
)
def test_snippet_semantics(steps, expected):
    assert run(*steps) == expected


def test_a_failed_command_changes_nothing():
    # the second creation fails, so deleting once leaves br0 gone and a use of it is an error
    steps = [
        BR0,
        step("ip", fx.CreateLink("br0", LinkKind.BRIDGE, **at(2))),
        step("ip", fx.DeleteLink("br0", **at(3))),
        step("ip", fx.SetLink("br0", state=AdminState.UP, **at(4))),
    ]
    assert run(*steps) == [("NS205", "error", 2), ("NS601", "error", 4)]


def test_assumed_links_are_what_the_snippet_uses_but_does_not_make():
    steps = [BR0, step("ip", fx.Enslave("eth0", "br0", **at(2))), step("ip", fx.Enslave("eth1", "bond0", **at(3)))]
    links, masters = assumed_links(steps)
    assert links == {(None, "eth0"), (None, "eth1")}
    assert masters == {(None, "bond0")}
