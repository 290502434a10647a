"""positional(): the cheaper constructor makes the very node the dataclass would."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from netscript.diagnostics import Span
from netscript.frontends.dsl_syntax import Word
from netscript.ir.make import positional
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
