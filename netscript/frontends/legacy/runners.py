"""What a script's own runner function does when the command it runs fails.

``run brctl addif br0 v0`` runs one command; its translation may need a check
first (``[ ! -e .../master ] && ip link set ... master br0``). Whether the
function may run each of those commands depends on what it does with a failure:

- it passes the failure on (``"$@"`` as its last statement, or ``"$@" || fatal``
  where fatal exits non-zero): the failing check fails the wrapper as the old
  command did, so the function runs each command of the translation;
- it swallows it (``"$@" 2>/dev/null || true``): a check run through it would
  always pass, so the checks run before it and only the command it guards
  runs through the function (``if CHECK; then do_without_error ip ...; fi``);
- anything else (retries, a status it makes up): the line stays, with the reason.
"""

from __future__ import annotations

import re

PASSES = "passes"
SWALLOWS = "swallows"

_RUN = r'(?:command\s+)?"?\$[@*]"?'
# the body's last statement: its status is the function's
_LAST_RUNS = re.compile(rf"^{_RUN}$")
_LAST_OR = re.compile(rf"^{_RUN}(?:\s+[0-9]?>\s*/dev/null)*\s*\|\|\s*(.+)$")
_EXITS = re.compile(r"^(?:exit|return)\s+[1-9][0-9]*$")
_SWALLOWED = re.compile(r"^(?:true|:|return\s+0|exit\s+0|return|exit)$")


def on_failure(name: str, bodies: dict[str, str]) -> str | None:
    """PASSES, SWALLOWS or None (unknown) for the runner function ``name``."""
    last = _last_statement(bodies.get(name, ""))
    if last is None:
        return None
    if _LAST_RUNS.match(last):
        return PASSES
    m = _LAST_OR.match(last)
    if m is None:
        return None
    fallback = m.group(1).strip()
    if _SWALLOWED.match(fallback):
        return SWALLOWS
    if _EXITS.match(fallback):
        return PASSES
    called = fallback.split()[0]
    if called != name and _exits_non_zero(bodies.get(called)):
        return PASSES  # `"$@" || fatal "..."`: it never comes back from a failure
    return None


def _statements(body: str) -> list[str]:
    inner = body.strip()
    if inner.startswith(("{", "(")) and inner.endswith(("}", ")")):
        inner = inner[1:-1]
    return [s.strip() for s in re.split(r"[;\n]", inner) if s.strip() and not s.strip().startswith("#")]


def _last_statement(body: str) -> str | None:
    statements = _statements(body)
    if not statements or any(re.match(r"(?:if|for|while|until|case|do|done|fi|esac)\b", s) for s in statements):
        return None  # control flow: what it returns is not read here
    return statements[-1]


def _exits_non_zero(body: str | None) -> bool:
    """Whether a function ends with ``exit N`` (N > 0) and exits nowhere else."""
    if body is None:
        return False
    last = _last_statement(body)
    return last is not None and bool(_EXITS.match(last)) and last.startswith("exit") and len(re.findall(r"\bexit\b", body)) == 1
