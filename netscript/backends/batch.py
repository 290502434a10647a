"""The `--batch` form of the bash backend, for topologies of thousands of links.

The plain script asks the kernel about each link before acting on it: clear,
but two or three `ip` processes per link. The batch script reads each
namespace once (`ip -d -j link show` and `ip -j address show`), tests the same
guards as the plain script against that read (:mod:`.bash`, :mod:`.guards`),
and queues the `ip` commands that are needed for one `ip -batch` per run of
commands in one namespace. What it re-creates or takes down it forgets from
the read, so the steps after act on it. A re-run finds nothing to do and
sends nothing.

Names go through `ip -batch` lines and the read's JSON unquoted, so a few
characters are refused here (NS301) and need the plain script.
"""

from __future__ import annotations

import re

from ..codes import diag
from ..ir.model import Program

# `ip -batch` splits lines on white space and reads quotes, '#' and '\' itself;
# '@' stays out too (`ip` writes name@peer). Names with these need the plain script.
_BATCH_UNSAFE = re.compile(r"""[\s"'#\\@]""")


def unsafe_for_batch(program: Program):
    out = []
    named = [(text, span) for link in program.all_links()
             for text, span in [(link.name, link.span), (link.netns or "", link.span)] + [(p.name, p.span) for p in link.ports]]
    # routes, rules and neighbours name devices too, and may name ones the spec does not declare
    named += [(dev, route.setting_span("dev")) for route in program.routes for dev in route.devices]
    named += [(n.dev, n.setting_span("dev")) for n in program.neighbours]
    named += [(dev, rule.setting_span(key)) for rule in program.rules for key, dev in (("iif", rule.iif), ("oif", rule.oif))
              if dev is not None]
    for text, span in named:
        if _BATCH_UNSAFE.search(text):
            out.append(
                diag(
                    "NS301",
                    f"{text!r} cannot go through `ip -batch` (white space, quotes, '#', '\\\\' or '@')",
                    span,
                    hint="render without --batch",
                )
            )
    return out
