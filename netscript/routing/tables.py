"""A route's or rule's table as the kernel numbers it: a VRF's name stands for the VRF's table."""

from __future__ import annotations

from ..ir.index import Index
from ..ir.model import LinkKind


def vrf_table(index: Index, netns: str | None, name: str) -> int | None:
    """The table of the VRF ``name`` in ``netns``, or None when there is no such VRF with a table."""
    link = index.get(netns, name)
    if link is None or link.kind is not LinkKind.VRF:
        return None
    return getattr(link.options, "table", None)


def table_number(index: Index, netns: str | None, table: int | str) -> int:
    """The table's number; the spec was validated, so a VRF's name resolves (NS233 otherwise)."""
    if isinstance(table, int):
        return table
    number = vrf_table(index, netns, table)
    if number is None:
        raise ValueError(f"table {table!r} is no VRF of namespace {netns}: validate the spec first")
    return number
