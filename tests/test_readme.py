"""The README checks itself: the specs it shows are the real files, and its commands are valid.

A fenced block whose first line is ``# examples/NAME`` stands for that file: the
rest of the block must be the file, byte for byte, so the README cannot drift
from the example it quotes. ``netscript check README.md`` reads its shell and
``netscript`` blocks the way a user's CI would, and must find nothing.
"""

from __future__ import annotations

import os
import re

from conftest import REPO

README = os.path.join(REPO, "README.md")
FENCE = re.compile(r"^(`{3,}|~{3,})")
CLOSING_FENCE = re.compile(r"^(`{3,}|~{3,})\s*$")
FILE_TITLE = re.compile(r"^# (examples/\S+)$")


def fenced_blocks(text: str) -> list[tuple[int, list[str]]]:
    """(line number of the opening fence, the block's lines) for each fenced block.

    As CommonMark reads them: a block ends at a fence of the same character, at
    least as long as the one that opened it, with nothing after it.
    """
    blocks, fence, start, body = [], None, 0, []
    for number, line in enumerate(text.splitlines(), 1):
        if fence is None:
            opening = FENCE.match(line)
            if opening:
                fence, start, body = opening.group(1), number, []
            continue
        closing = CLOSING_FENCE.match(line)
        if closing and closing.group(1)[0] == fence[0] and len(closing.group(1)) >= len(fence):
            blocks.append((start, body))
            fence = None
        else:
            body.append(line)
    assert fence is None, f"README.md:{start}: fence never closed"
    return blocks


def shown_files() -> list[tuple[int, str, str]]:
    """(line, path, text shown) for every block the README titles with a file's path."""
    with open(README, encoding="utf-8") as f:
        blocks = fenced_blocks(f.read())
    shown = []
    for line, body in blocks:
        title = FILE_TITLE.match(body[0]) if body else None
        if title:
            shown.append((line, title.group(1), "".join(x + "\n" for x in body[1:])))
    return shown


def test_fenced_blocks_are_found_with_their_exact_lines():
    text = "intro\n```netscript\n# examples/x.ns\nbridge br0\n~~~\n``` x\n```` \n\n~~~~\n```\n~~~\n~~~~\n"
    assert fenced_blocks(text) == [(2, ["# examples/x.ns", "bridge br0", "~~~", "``` x"]), (9, ["```", "~~~"])]


def test_every_file_the_readme_shows_is_that_file_byte_for_byte():
    shown = shown_files()
    assert "examples/lab.ns" in [path for _, path, _ in shown]
    for line, path, text in shown:
        with open(os.path.join(REPO, path), encoding="utf-8") as f:
            actual = f.read()
        assert text == actual, f"README.md:{line}: the block titled {path} is not that file"


def test_netscript_check_finds_nothing_in_the_readme(cli):
    result = cli("check", README)
    assert result.exit_code == 0, result.output
    assert result.output == ""
