"""How much of the fixture corpus netscript translates, and how faithfully.

    python3 tests/legacy/measure.py [--no-run] [SCRIPT ...]

Prints, over tests/legacy/corpus/: the live legacy invocations found,
translated and left (with the reasons, grouped), the percentage translated,
wrong translations (a script whose translation leaves another kernel state
or exit status than the original, run in fresh network namespaces; needs
root), changed lines that held no legacy command, new shellcheck findings,
and lines still running a legacy tool that the translator did not report.
"""

from __future__ import annotations

import os
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

from tests.legacy import corpus  # the checkout's tests, found through sys.path above


def main(argv: list[str]) -> int:
    run = "--no-run" not in argv
    names = [a for a in argv if not a.startswith("-")] or corpus.names()
    translated = left = 0
    reasons: Counter = Counter()
    wrong, changed, shellcheck, unreported, broken = [], [], [], [], []
    for name in names:
        result = corpus.translation(name)
        translated += result.translated
        left += result.left
        reasons += corpus.left_reasons(result)
        if corpus.bash_n(result.text):
            broken.append(name)
        changed += [f"{name}: {line.strip()}" for line in corpus.changed_without_legacy(name)]
        shellcheck += [f"{name}: {code} x{n}" for code, n in corpus.new_shellcheck_findings(name).items()]
        unreported += [f"{name}: {line.strip()}" for line in corpus.unreported_left(name)]
        if run and corpus.runnable(name):
            difference = corpus.compare_runs(name)
            if difference is not None:
                wrong.append(f"{name}: {difference.splitlines()[0]}")
    found = translated + left
    print(f"scripts: {len(names)} ({sum(corpus.runnable(n) for n in names)} run in namespaces)" + ("" if run else ", not run"))
    print(f"live legacy invocations found: {found}")
    print(f"translated: {translated} ({100 * translated / found if found else 100:.1f}%)")
    print(f"left: {left}")
    for reason, n in reasons.most_common():
        print(f"  {n:3d}  {reason}")
    for title, items in (
        ("wrong translations (kernel state or exit status differs)", wrong),
        ("translations bash -n refuses", broken),
        ("changed lines without a legacy command", changed),
        ("new shellcheck findings", shellcheck),
        ("legacy commands left without a finding at their line", unreported),
    ):
        print(f"{title}: {len(items)}")
        for item in items:
            print(f"  {item}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
