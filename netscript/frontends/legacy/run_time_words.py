"""A command whose argument count depends on how a variable splits: translated at run time.

``brctl setpathcost br0 $PAIRS``, with ``PAIRS="eth0 100"``, gives brctl
three arguments, but which ones only the running shell knows. The old tool
saw the words the shell split; the translation asks the shell for the same
words with ``set --`` in a subshell and reads them as ``"$1"``, ``"$2"``...::

    ( set -- $PAIRS; [ $# -eq 2 ] || { echo '...' >&2; exit 1; }; ip link set dev "$1" ... )

From the first word that may split to the end of the command, the words go
to ``set --`` as written; the tool's parser then reads the command with
that many positional words in their place. Only a count the parser takes
alone (or that and more, which the tool ignores) is translated: a command
that takes a list (``brctl addif BR $PORTS``) reads with any count, and its
own translation handles the list. The
subshell keeps the script's own positional parameters, and fails, as the
tool did, when the count is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import CommandLine, Parsed
from .words import Dynamic, Word

MAX_WORDS = 6  # the most positional words tried: more than any legacy command of a fixed count takes
_POSITIONAL = re.compile(r"\$\{?[0-9@*#]")  # the script's own positional parameters, which set -- would replace


@dataclass(frozen=True, slots=True)
class RunTimeWords:
    """The command read with ``count`` positional words for ``words``, which ``set --`` splits at run time."""

    parsed: Parsed
    words: tuple[Word, ...]  # as written, from the first word that may split to the end
    count: int
    at_least: bool = False  # the tool ignores words past ``count`` (else it refuses them)


def positional(n: int, at: int) -> Word:
    """``"$n"``: a word the translation carries as written (a zero-length span: it is not in the script)."""
    return Word(text=f'"${n}"', parts=(Dynamic(f"${n}"),), start=at, end=at)


def read_at_run_time(module, line: CommandLine) -> RunTimeWords | None:
    """The only reading of ``line`` with the splitting words' count left to run time, if there is one."""
    first = next((i for i, w in enumerate(line.args) if w.splits), None)
    if first is None:
        return None
    rest = line.args[first:]
    if any(_POSITIONAL.search(w.text) for w in line.args):
        return None
    at = rest[0].start

    def read(count: int) -> Parsed:
        words = tuple(positional(n, at) for n in range(1, count + 1))
        return module.parse(CommandLine(line.tool, (*line.args[:first], *words), line.start, line.end, line.redirects, line.name))

    # the fewest words the tool takes without a remark; one more it either refuses (a fixed count),
    # ignores (brctl: "ignores the extra arguments", so more are fine too) or takes (a list: not ours)
    count = next((c for c in range(MAX_WORDS + 1) if (p := read(c)).ok and not p.notes), None)
    if count is None:
        return None
    more = read(count + 1)
    if more.ok and not more.notes:
        return None
    return RunTimeWords(read(count), rest, count, at_least=more.ok)


def wrap(run_time: RunTimeWords, command: str, inner: str) -> str:
    """The translation in a subshell that splits the words first, failing as the tool did on a wrong count
    (``command``: the tool and the words before the split, for the message)."""
    words = " ".join(w.text for w in run_time.words)
    said = re.sub(r'([\\$`"])', r"\\\1", command)
    test = "-ge" if run_time.at_least else "-eq"
    check = f'[ $# {test} {run_time.count} ] || {{ echo "{said}: incorrect number of arguments ($#)" >&2; exit 1; }}'
    return f"( set -- {words}; {check}; {inner} )"
