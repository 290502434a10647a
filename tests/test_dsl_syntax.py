"""The DSL scanner against the grammar: one language, read two ways.

``dsl_syntax.parse`` reads specs without lark, so that a small command does
not pay for building (or importing) it; ``parse_with_grammar`` reads them
with lark from grammars/netscript.lark, the definition. These tests hold the
scanner to the grammar: for every text, the same statements, words, spans,
block spans and comments, or the same syntax error at the same place. A
change to the grammar that the scanner does not follow fails here.
"""

from __future__ import annotations

import glob
import os
import subprocess
import sys

import pytest
from conftest import EXAMPLES, REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netscript.frontends import dsl_syntax


def outcome(read, text):
    try:
        return read(text, "t.ns")
    except dsl_syntax.DSLSyntaxError as e:
        return e.diagnostic


def assert_same(text):
    by_grammar = outcome(dsl_syntax.parse_with_grammar, text)
    assert outcome(dsl_syntax.parse, text) == by_grammar, text
    return by_grammar


SPECS = sorted(glob.glob(os.path.join(EXAMPLES, "*.ns")) + glob.glob(os.path.join(REPO, "tests", "**", "*.ns"),
                                                                           recursive=True))


@pytest.mark.parametrize("path", SPECS, ids=os.path.basename)
def test_every_spec_in_the_repository_reads_the_same(path):
    with open(path, encoding="utf-8") as f:
        tree = assert_same(f.read())
    assert isinstance(tree, dsl_syntax.SyntaxTree) and tree.statements


CASES = [
    # valid: separators, blocks, quoting, comments, continuations, line endings
    "",
    "\n\n",
    "bridge br0\n",
    "bridge br0",
    "bridge br0 stp_state on forward_delay 4s {\n    ports tap1 tap2\n    addr 192.0.2.1/24\n    up\n}\n",
    "a;b;;c\n",
    "a {}\n",
    "a {b}\n",
    "a { b { c } }\n",
    "a { b; c { d }; e }; f\n",
    "a {\n\n  b\n\n}\n\nc\n",
    'bridge "a;b" "x\\"y" "t\\tn\\n" "" {}\n',
    "# only a comment",
    "a # c1\n  # c2\nb # c3 { } ;\n",
    "a \\\n b \\\r\n c\n",
    "a\r\nb\r\n\r\n{x}\n" + "c\r\n",
    "\ta\f b  \n",
    "é ü 日本 x@y a/b=c,d\n",
    # invalid: every kind of syntax error
    "a { b\n",
    "a { b { c }\n",
    "a }\n",
    "}\n",
    "{ a }\n",
    "a\n{ b }\n",
    "a { b } c\n",
    'a { b } "c"\n',
    "a { b } {\n",
    "a { b } }\n",
    'a "b\n',
    "a 'b'\n",
    "a \\ b\n",
    "a \\",
    "a \r b\n",
    "a \v b\n",
    "a \u00a0 b\n",
    "a \x1c b\n",
    "x { # {\n",
    'x { "{" \n',
]


@pytest.mark.parametrize("text", CASES)
def test_cases_read_the_same(text):
    assert_same(text)


# Fragments around every character the grammar gives a meaning to, and some
# it does not (Unicode white space, control characters, single quotes).
FRAGMENTS = st.one_of(
    st.sampled_from(
        ["bridge", "br0", "x", " ", "  ", "\t", "\f", "\n", "\r\n", "\n\n", "{", "}", ";", "# c", "#{", "\\\n",
         "\\\r\n", '"q"', '"a b"', '"\\""', '"\\', '"', "'", "\\", "\r", "\v", "\u00a0", "\x1c", "\u2028", "é", ""]
    ),
    st.text(alphabet=st.sampled_from('ab{};#"\'\\ \t\n\r\x0bé'), max_size=4),
)


@given(st.lists(FRAGMENTS, max_size=30).map("".join))
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_text_reads_the_same(text):
    assert_same(text)


@st.composite
def spec_texts(draw, depth=0):
    """Texts the grammar accepts, with blocks, separators and comments anywhere they may go."""
    blank = st.sampled_from(["", " ", "\t", "  "])
    sep = st.sampled_from(["\n", ";", "\n\n", "\r\n", " # note\n", ";\n"])
    word = st.sampled_from(["bridge", "br0", "up", "addr", "192.0.2.1/24", '"a b"', '"x\\"y"', "é"])
    out = [draw(st.sampled_from(["", "\n", "# head\n"]))]
    for _ in range(draw(st.integers(0, 4))):
        words = draw(st.lists(word, min_size=1, max_size=4))
        out.append(draw(blank) + draw(st.sampled_from([" ", " \\\n  "])).join(words))
        if depth < 2 and draw(st.booleans()):
            out.append(draw(blank) + "{" + draw(sep) + draw(spec_texts(depth + 1)) + "}")
        out.append(draw(sep))
    return "".join(out)


@given(spec_texts())
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_specs_read_the_same(text):
    assert isinstance(assert_same(text), dsl_syntax.SyntaxTree)


def test_positions_and_comments_are_kept():
    tree = dsl_syntax.parse('a "b c" {  # x\n  d\n}\n', "t.ns")
    (statement,) = tree.statements
    assert [(w.text, w.raw, w.quoted, w.span.col, w.span.end_col) for w in statement.words] == [
        ("a", "a", False, 1, 2),
        ("b c", '"b c"', True, 3, 8),
    ]
    assert (statement.span.line, statement.span.col, statement.span.end_line, statement.span.end_col) == (1, 1, 3, 2)
    assert (statement.block_span.line, statement.block_span.col) == (1, 9)
    assert statement.block[0].words[0].span.line == 2
    assert [(c.text, c.line, c.col) for c in tree.comments] == [("# x", 1, 12)]


def test_reading_a_spec_does_not_import_lark():
    code = (
        "import sys\n"
        "from netscript.frontends import dsl\n"
        "dsl.parse('bridge br0 {\\n  up\\n}\\n', 't.ns')\n"
        "print('lark' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert out.stdout.strip() == "False"


def test_deep_nesting_reads_without_recursion():
    depth = sys.getrecursionlimit() * 2
    tree = dsl_syntax.parse("a {" * depth + "}" * depth, "t.ns")
    inner, levels = tree.statements, 0
    while inner:
        inner, levels = inner[0].block, levels + 1
    assert levels == depth
