"""The undo journal: every change made records how to take it back.

Rolling back runs the undo actions newest first, so the state walks back
through the same intermediate states it went through. An undo that fails is
reported and the rest still run: leaving one thing wrong beats leaving
everything after it wrong too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Undo:
    description: str  # "delete bridge br0", "set ve0 mtu back to 1500"
    action: Callable[[], None]


@dataclass
class Journal:
    entries: list[Undo] = field(default_factory=list)

    def record(self, description: str, action: Callable[[], None]) -> None:
        self.entries.append(Undo(description, action))

    def __len__(self) -> int:
        return len(self.entries)

    def keep(self) -> None:
        """The changes stay: drop their undo actions.

        They are closures over the executor, which holds this journal: a
        reference cycle per change, which reference counting frees at once
        when the list is emptied, and the cyclic collector only later, at a
        cost, when it is not.
        """
        self.entries.clear()

    def roll_back(self) -> list[str]:
        """Undo everything, newest first; return what could not be undone (empty: all of it)."""
        problems = []
        while self.entries:
            undo = self.entries.pop()
            try:
                undo.action()
            except Exception as e:  # any failure: an undo must never stop the others
                describe = getattr(e, "describe", None)
                problems.append(f"{undo.description}: {describe() if describe else e}")
        return problems
