"""Rewrite the .expected file of every fixture from what `netscript check` reports now.

Review the diff before committing: each line is a finding the fixture must
produce, and anything not listed must not be produced.

    python tests/docs/regen.py
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(HERE)))

from netscript.checking import check_file

FIXTURES = os.path.join(HERE, "fixtures")


def findings(path: str) -> list[str]:
    """`LINE:COL severity CODE` for every diagnostic, in document order."""
    result = check_file(path)
    return [f"{d.span.line}:{d.span.col} {d.severity.value} {d.code}" for d in result.diagnostics]


def main():
    for name in sorted(os.listdir(FIXTURES)):
        if name.endswith(".expected"):
            continue
        path = os.path.join(FIXTURES, name)
        with open(path + ".expected", "w") as f:
            f.write("".join(line + "\n" for line in findings(path)))


if __name__ == "__main__":
    main()
