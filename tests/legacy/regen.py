"""Rewrite the golden files of the legacy fixtures from the current code.

    python3 tests/legacy/regen.py

Review the diff of tests/legacy/golden/ before committing it.
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from legacy.goldens import CASES, GOLDEN, SPECS, golden_path, spec, translation


def write(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main() -> None:
    os.makedirs(GOLDEN, exist_ok=True)
    for name in CASES:
        text, report = translation(name)
        write(golden_path(name, ".out"), text)
        write(golden_path(name, ".report"), report)
    for name in SPECS:
        dsl, report = spec(name)
        write(golden_path(name, ".ns"), dsl)
        write(golden_path(name, ".ns.report"), report)
    print(f"wrote {len(CASES) * 2 + len(SPECS) * 2} golden files in {GOLDEN}")


if __name__ == "__main__":
    main()
