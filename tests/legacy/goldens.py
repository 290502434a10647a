"""The fixture scripts, how each is translated, and where its golden files are.

Regenerate after a reviewed change with ``python3 tests/legacy/regen.py`` and
read the diff of ``tests/legacy/golden/``.
"""

from __future__ import annotations

import os

from netscript.diagnostics import SourceCache, render_text
from netscript.frontends.legacy.model import Options
from netscript.frontends.legacy.reader import read_script
from netscript.frontends.legacy.rewrite import translate_script
from netscript.source import Source

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "fixtures")
GOLDEN = os.path.join(HERE, "golden")

# fixture -> the translate options it is rendered with (one golden per entry)
CASES = {
    "ifupdown-bridge.sh": {},
    "ifupdown-vlan.sh": {},
    "ifenslave-hook.sh": {},
    "init-lanbridge.sh": {},
    "xen-network-bridge.sh": {},
    "qemu-ifup.sh": {},
    "dracut-module-setup.sh": {},
    "teamd-up.sh": {"team_as_bond": True},
    "lab-straight.sh": {"idempotent": True},
}
# straight-line fixtures that also become a spec (translate --to dsl)
SPECS = {"lab-straight.sh": {}}


def fixture_text(name: str) -> str:
    with open(os.path.join(FIXTURES, name), encoding="utf-8") as f:
        return f.read()


def render_report(diagnostics, path: str, text: str, summary: str) -> str:
    cache = SourceCache()
    cache.texts[path] = text
    ordered = sorted(diagnostics, key=lambda d: (d.span.line if d.span else 0, d.span.col if d.span else 0, d.code))
    return render_text(ordered, cache) + f"{path}: {summary}\n"


def translation(name: str):
    """(translated text, report text) of one fixture, as the goldens hold them."""
    text = fixture_text(name)
    path = f"fixtures/{name}"
    result = translate_script(text, path, Options(**CASES[name]))
    return result.text, render_report(result.diagnostics, path, text, result.summary)


def spec(name: str) -> tuple[str, str]:
    """(DSL text, report text) of a straight-line fixture read as a spec."""
    from netscript.backends.dsl import print_program

    text = fixture_text(name)
    path = f"fixtures/{name}"
    loaded = read_script(Source(path, text), Options(**SPECS[name]))
    dsl = print_program(loaded.program) if loaded.program is not None else ""
    return dsl, render_report(loaded.diagnostics, path, text, "spec")


def golden_path(name: str, suffix: str) -> str:
    return os.path.join(GOLDEN, name + suffix)
