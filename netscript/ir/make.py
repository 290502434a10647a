"""Constructors for the loops that make one node per word or per link.

A frozen dataclass's own ``__init__`` sets each field through
``object.__setattr__`` (the class's ``__setattr__`` refuses), which costs a
Span 1.5 us: the scanner makes one for each of the 8,000 words of a
6,800-line spec, and the kernel reader one Link per live link. A slotted
class's fields are slot descriptors, and setting those directly is what
``object.__setattr__`` ends up doing, at half the cost.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def positional(cls: type[T]) -> Callable[..., T]:
    """A constructor of ``cls`` (a frozen, slotted dataclass) taking every field, in declaration order.

    What it makes equals what ``cls(**fields)`` makes; it takes no defaults
    and runs no ``__post_init__``, so a class with one is refused.
    """
    if not dataclasses.is_dataclass(cls) or "__slots__" not in cls.__dict__:
        raise TypeError(f"{cls.__name__} is not a slotted dataclass")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__} has a __post_init__, which positional() would skip")
    names = [f.name for f in dataclasses.fields(cls)]
    setters = {f"_set_{name}": cls.__dict__[name].__set__ for name in names}
    body = "".join(f"    _set_{name}(node, {name})\n" for name in names)
    source = f"def make({', '.join(names)}):\n    node = _new(_cls)\n{body}    return node\n"
    namespace = {"_new": object.__new__, "_cls": cls, **setters}
    exec(source, namespace)  # one function per class, as dataclasses itself builds __init__
    make = namespace["make"]
    make.__qualname__ = make.__name__ = f"make_{cls.__name__}"
    make.__doc__ = f"{cls.__name__}({', '.join(names)}), every field given, in this order."
    return make


def replacing(cls: type[T]) -> Callable[..., T]:
    """``dataclasses.replace`` for ``cls`` (a frozen, slotted dataclass), for loops that copy a node per link.

    ``replace(node, field=value, ...)`` makes what ``dataclasses.replace`` makes,
    at a third of the cost: the fields not given are copied slot to slot, with
    no ``fields()`` walk, no keyword dictionary and no ``object.__setattr__``.
    """
    make = positional(cls)  # refuses what it cannot make
    names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    params = ", ".join(f"{name}=_KEEP" for name in names)
    args = ", ".join(f"node.{name} if {name} is _KEEP else {name}" for name in names)
    source = f"def replace(node, /, *, {params}):\n    return _make({args})\n"
    namespace: dict[str, Any] = {"_make": make, "_KEEP": _KEEP}
    exec(source, namespace)
    replace = namespace["replace"]
    replace.__qualname__ = replace.__name__ = f"replace_{cls.__name__}"
    return replace


_KEEP = object()  # a field replacing()'s function leaves as it is
