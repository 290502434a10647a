"""positional() and replacing(): the cheaper constructor and copy make the very node the dataclass would."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from netscript.diagnostics import Span
from netscript.frontends.dsl_syntax import Word
from netscript.frontends.kernel.state import Observed
from netscript.ir.make import positional, replacing
from netscript.ir.model import Address, AdminState, Link, LinkKind, Ref


@pytest.mark.parametrize(
    ("cls", "fields"),
    [
        (Span, {"path": "a.ns", "line": 3, "col": 5, "end_line": 3, "end_col": 9}),
        (Word, {"text": "br0", "raw": '"br0"', "span": Span(path="a.ns", line=1, col=1), "quoted": True}),
        (Ref, {"name": "eth0", "netns": "red", "default_netns": False, "span": None}),
        (Link, {"name": "v0", "kind": LinkKind.VETH, "netns": "red", "parent": None, "options": None, "ports": (),
                "addresses": (Address(cidr="192.0.2.1/24"),), "mtu": 9000, "mac": None, "txqueuelen": None,
                "state": AdminState.UP, "peer": None, "span": None, "setting_spans": ()}),
    ],
)
def test_same_node_as_the_dataclass_makes(cls, fields):
    made = positional(cls)(*fields.values())
    expected = cls(**fields)
    assert type(made) is cls
    assert made == expected and hash(made) == hash(expected) and repr(made) == repr(expected)
    assert {f.name: getattr(made, f.name) for f in dataclasses.fields(cls)} == fields
    assert pickle.loads(pickle.dumps(made)) == expected
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.__setattr__(dataclasses.fields(cls)[0].name, None)


def test_every_field_is_required_in_order():
    make = positional(Span)
    with pytest.raises(TypeError):
        make("a.ns", 1, 2)  # end_line and end_col have defaults in Span(), not here


def test_refuses_what_it_would_get_wrong():
    @dataclasses.dataclass(frozen=True)
    class Unslotted:
        x: int

    @dataclasses.dataclass(frozen=True, slots=True)
    class Checked:
        x: int

        def __post_init__(self):
            pass

    for cls in (Unslotted, Checked, int):
        with pytest.raises(TypeError):
            positional(cls)


LINK = Link(name="v0", kind=LinkKind.VETH, netns="red", mtu=9000, addresses=(Address(cidr="192.0.2.1/24"),))


@pytest.mark.parametrize(
    ("node", "changes"),
    [
        (LINK, {"state": AdminState.UP}),
        (LINK, {"netns": None, "addresses": (), "state": AdminState.DOWN}),
        (LINK, {}),
        (Observed(link=LINK, index=7, master="br0", link_local=("fe80::1/64",)), {"link": LINK, "link_local": ()}),
        (Span(path="a.ns", line=1, col=2, end_line=1, end_col=5), {"end_col": 9}),
    ],
)
def test_replacing_copies_as_dataclasses_replace_does(node, changes):
    made = replacing(type(node))(node, **changes)
    expected = dataclasses.replace(node, **changes)
    assert type(made) is type(node) and made is not node
    assert made == expected and repr(made) == repr(expected)
    assert all(getattr(made, f.name) is getattr(expected, f.name) for f in dataclasses.fields(node))


def test_replacing_refuses_a_field_the_class_has_not():
    with pytest.raises(TypeError):
        replacing(Link)(LINK, colour="red")
    with pytest.raises(TypeError):
        replacing(Link)(LINK, AdminState.UP)  # the changes are named, as dataclasses.replace takes them
