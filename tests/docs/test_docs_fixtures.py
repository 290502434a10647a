"""Every fixture document produces exactly the findings in its .expected file: no more, no fewer.

The fixtures are documents in every format with known-good snippets (which
must yield nothing) and planted mistakes. `python tests/docs/regen.py`
rewrites the .expected files for review.
"""

from __future__ import annotations

import gzip
import os
import shutil
from pathlib import Path

import pytest
from docfixtures import FIXTURES
from regen import findings

CASES = sorted(n for n in os.listdir(FIXTURES) if not n.endswith(".expected"))


def expected(name: str) -> list[str]:
    with open(os.path.join(FIXTURES, name + ".expected")) as f:
        return [line.rstrip("\n") for line in f if line.strip()]


@pytest.mark.parametrize("name", CASES)
def test_fixture_findings_are_exactly_the_expected_ones(name):
    assert findings(os.path.join(FIXTURES, name)) == expected(name)


def test_every_format_has_a_fixture():
    from netscript.docs.formats import detect

    formats = {detect(n, Path(FIXTURES, n).read_text()) for n in CASES}
    assert formats >= {"markdown", "rst", "man", "text", "shell"}


def test_known_good_snippets_yield_nothing():
    assert expected("good.md") == []


def test_planted_mistakes_are_all_found():
    codes = {line.split()[-1] for line in expected("mistakes.md")}
    assert {"NS206", "NS601", "NS403", "NS604", "NS202", "NS401"} <= codes


def test_gzipped_man_page_reads_like_the_plain_one(tmp_path):
    plain = os.path.join(FIXTURES, "bridge-demo.8")
    zipped = tmp_path / "bridge-demo.8.gz"
    with open(plain, "rb") as f:
        zipped.write_bytes(gzip.compress(f.read()))
    assert findings(str(zipped)) == expected("bridge-demo.8")


def test_a_document_without_extension_is_read_by_content(tmp_path):
    page = tmp_path / "bridge-demo"
    shutil.copy(os.path.join(FIXTURES, "bridge-demo.8"), page)
    assert findings(str(page)) == expected("bridge-demo.8")
