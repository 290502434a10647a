"""The runtime that reads a tool's command words with its grammar (grammars/<tool>.lark)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netscript.frontends.legacy import registry, word_grammar
from netscript.frontends.legacy.args import getopt
from netscript.frontends.legacy.model import CommandLine
from netscript.frontends.legacy.word_grammar import Mismatch, Node, WordGrammar, build_table
from netscript.frontends.legacy.words import Dynamic, Word, words_from_values
from netscript.resources import resource_dir

GRAMMAR = """
start: "add" name [value]      -> add
     | "show" name*            -> show
     | "set" name ("up" | "down") -> set
name: WORD
value: WORD
%declare WORD
"""


@pytest.fixture(scope="module")
def toy() -> WordGrammar:
    return WordGrammar(build_table(GRAMMAR))


def read(g: WordGrammar, line: str):
    return g.parse(words_from_values(line.split()))


def test_a_keyword_is_a_keyword_only_where_the_grammar_accepts_one(toy):
    tree = read(toy, "show add show")
    assert isinstance(tree, Node) and tree.name == "show"
    assert [w.value for w in tree.words("name")] == ["add", "show"]


def test_values_are_found_by_their_role(toy):
    tree = read(toy, "add x 5")
    assert isinstance(tree, Node)
    assert (tree.word("name").value, tree.word("value").value) == ("x", "5")
    assert read(toy, "add x").word("value") is None


def test_an_unknown_word_names_what_was_accepted_there(toy):
    found = read(toy, "set x upp")
    assert isinstance(found, Mismatch)
    assert found.word.value == "upp" and found.word.start == 6
    assert sorted(found.expected) == ["down", "up"] and not found.value and not found.extra


def test_too_few_and_too_many_words(toy):
    short = read(toy, "set x")
    assert isinstance(short, Mismatch) and short.word is None
    extra = read(toy, "add x 5 6")
    assert isinstance(extra, Mismatch) and extra.extra and extra.word.value == "6"


def test_a_word_only_known_at_run_time_is_a_value_never_a_keyword(toy):
    dynamic = Word(text="$CMD", parts=(Dynamic("$CMD"),))
    found = toy.parse([dynamic])
    assert isinstance(found, Mismatch) and found.word is dynamic
    tree = toy.parse([*words_from_values(["show"]), dynamic])
    assert isinstance(tree, Node) and tree.words("name") == [dynamic]


def test_usage_lines_read_off_the_grammar(toy):
    assert toy.usage_for(["add"]) == "add <name> [<value>]"
    assert toy.usage_for(["show"]) == "show [<name>...]"
    assert toy.usage_for(["set"]) == "set <name> {up|down}"


def test_a_cached_table_is_read_without_lark(tmp_path):
    # Importing lark and building a table costs more than a small translation in all
    # (bench/latency.py): the second process must find the table in the cache.
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    probe = (
        "import sys; from netscript.frontends.legacy.word_grammar import grammar; "
        "grammar('brctl'); print('lark' in sys.modules)"
    )
    first = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    second = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    assert (first.stdout.strip(), second.stdout.strip()) == ("True", "False")
    assert [p.name.split("-")[0] for p in (tmp_path / "netscript" / "grammars").iterdir()] == ["brctl"]


def test_tables_of_older_grammar_versions_are_pruned(tmp_path, monkeypatch):
    cache = tmp_path / "netscript" / "grammars"
    cache.mkdir(parents=True)
    stale = [cache / f"brctl-{n:08x}100.json" for n in range(6)]
    for age, path in enumerate(stale):
        path.write_text("{}")
        os.utime(path, (1_000_000 + age, 1_000_000 + age))  # brctl-00000005100.json the newest of them
    other = cache / "vconfig-0000000a100.json"
    other.write_text("{}")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    word_grammar.grammar.cache_clear()
    try:
        word_grammar.grammar("brctl")  # this version's table is not there: built, stored, the oldest pruned
    finally:
        word_grammar.grammar.cache_clear()
    left = {p.name for p in cache.iterdir()}
    built = left - {p.name for p in stale} - {other.name}
    newest = {p.name for p in stale[-(word_grammar.KEPT_VERSIONS - 1) :]}
    assert len(built) == 1 and left == built | newest | {other.name}  # another tool's tables are its own


def test_an_unwritable_cache_only_costs_time(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    word_grammar.grammar.cache_clear()
    try:
        assert isinstance(word_grammar.grammar("brctl").parse(words_from_values(["show"])), Node)
    finally:
        word_grammar.grammar.cache_clear()


TOOL_GRAMMARS = sorted(p.stem for p in (resource_dir("grammars")).glob("*.lark") if p.stem != "netscript")


@pytest.mark.parametrize("tool", TOOL_GRAMMARS)
def test_every_tool_grammar_builds_and_names_its_alternatives(tool):
    text = (resource_dir("grammars") / f"{tool}.lark").read_text()
    table = build_table(text)  # lark's strict LALR: no conflicts, no rule lark refuses
    grammar = WordGrammar(table)
    aliases = {r[2] for r in table["rules"] if r[2]}
    assert aliases == {alias for alias, _, _ in grammar.usage_lines}, "an alias the usage lines miss"


@pytest.mark.parametrize("line,words", [
    ("tunctl -bt tap0", ["-b", "-t", "tap0"]),
    ("tunctl -ttap0 -u qemu", ["-t", "tap0", "-u", "qemu"]),
    ("teamd --team-dev=team0 -k", ["--team-dev", "team0", "-k"]),
    ("teamdctl team0 -o state", ["-o", "team0", "state"]),
    ("tunctl -- -d", ["-d"]),
])
def test_getopt_hands_over_one_option_a_word_and_the_operands_last(line, words):
    tool, *args = line.split()
    options, operands, problem = getopt(tool, words_from_values(args))
    assert problem is None and [w.value for w in [*options, *operands]] == words


def test_a_keyword_is_read_where_the_parser_takes_it_after_its_reductions():
    # LALR merges the lookaheads of alike states: the state that reduces `value` after
    # `type bond` lists `mode` (a setting may follow a setting's value), which the state
    # it reduces to refuses. The word is an argument there, not a keyword.
    g = WordGrammar(build_table("""
start: "add" setting* [tail]
setting: "mode" value -> mode
tail: "type" value argument* -> type
value: WORD
argument: WORD
%declare WORD
"""))
    tree = g.parse(words_from_values(["add", "mode", "x", "type", "bond", "mode", "y"]))
    assert isinstance(tree, Node)
    assert [w.value for w in next(tree.nodes("type")).words("argument")] == ["mode", "y"]


# Each grammar's tool, and the words that lead to it (ip_link is read after `ip link`).
LEADS = {"ip_link": ["ip", "link"], "ip_address": ["ip", "address"], "ip_tuntap": ["ip", "tuntap"],
         "ip_route": ["ip", "route", "add"], "ip_rule": ["ip", "rule", "add"], "ip_neigh": ["ip", "neigh", "add"], "ip_netns": ["ip", "netns"]}
VALUES = ["br0", "eth0", "0", "1", "4095", "70000", "010", "10.0.0.1/24", "2001:db8::1/64", "-x", "--", "on", "", "a" * 20]


@settings(derandomize=True, max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
@pytest.mark.parametrize("tool", TOOL_GRAMMARS)
def test_any_words_give_a_command_or_findings_never_a_traceback(tool, data):
    keywords = sorted(word_grammar.grammar(tool).by_word)
    lead = LEADS.get(tool, [tool])
    words = data.draw(st.lists(st.sampled_from(keywords + VALUES) | st.text(min_size=1, max_size=3), max_size=8))
    values = words_from_values([*lead, *words])
    line = CommandLine(values[0].value, tuple(values[1:]), values[0].start, values[-1].end, (), values[0])
    parsed = registry.parse_line(line)
    assert parsed is not None and (parsed.command is not None or parsed.notes or lead[0] in ("ip", "bridge"))
