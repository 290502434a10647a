"""The registry of link kinds: one module per kind, one line here per kind.

A kind's module is imported the first time the kind is asked for, so a command
that meets two kinds pays for two modules, not for all of them (bench/latency.py
measures whole commands); going through :data:`KINDS` imports every one, in the
registry's order.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping

from ..ir.model import LinkKind
from .spec import KindSpec, settings  # noqa: F401

# the DSL word -> (its module here, the KindSpec's name in it)
REGISTRY: dict[str, tuple[str, str]] = {
    "physical": ("simple", "PHYSICAL"),
    "bridge": ("bridge", "SPEC"),
    "bond": ("bond", "SPEC"),
    "team": ("team", "SPEC"),
    "vlan": ("vlan", "SPEC"),
    "macvlan": ("macvlan", "MACVLAN"),
    "macvtap": ("macvlan", "MACVTAP"),
    "ipvlan": ("ipvlan", "SPEC"),
    "veth": ("veth", "SPEC"),
    "tap": ("tuntap", "TAP"),
    "tun": ("tuntap", "TUN"),
    "dummy": ("simple", "DUMMY"),
    "vxlan": ("vxlan", "SPEC"),
    "vrf": ("vrf", "SPEC"),
    "geneve": ("geneve", "SPEC"),
    "gretap": ("gretap", "SPEC"),
    "ipip": ("ipip", "SPEC"),
}

_loaded: dict[str, KindSpec] = {}


def _load(word: str) -> KindSpec:
    if word not in _loaded:
        module, name = REGISTRY[word]
        _loaded[word] = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    return _loaded[word]


class _Registry(Mapping[LinkKind, KindSpec]):
    """Every kind -> its KindSpec, in the registry's order."""

    def __getitem__(self, kind: LinkKind) -> KindSpec:
        if not isinstance(kind, LinkKind) or kind.value not in REGISTRY:
            raise KeyError(kind)
        return _load(kind.value)

    def __iter__(self) -> Iterator[LinkKind]:
        return (_load(word).kind for word in REGISTRY)

    def __len__(self) -> int:
        return len(REGISTRY)


KINDS: Mapping[LinkKind, KindSpec] = _Registry()


def spec(kind: LinkKind) -> KindSpec:
    return _load(kind.value)


def by_word(word: str) -> KindSpec | None:
    """The kind a DSL statement word names (`bridge`, `bond`...)."""
    return _load(word) if word in REGISTRY else None


def by_ip_type(word: str) -> KindSpec | None:
    """The kind `ip link add ... type WORD` makes (None: one netscript does not model)."""
    spec = by_word(word)  # the usual case: the DSL word is ip's
    if spec is not None and spec.ip_type == word:
        return spec
    return next((s for s in KINDS.values() if s.ip_type == word), None)
