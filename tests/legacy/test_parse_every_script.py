"""Every script bash reads is read: the shapes tree-sitter-bash lost, recovery past what
the parser cannot read, exact byte spans with multi-byte text, and the parser's process."""

from __future__ import annotations

import subprocess

import pytest

from netscript.frontends.legacy import syntax
from netscript.frontends.legacy.model import Options
from netscript.frontends.legacy.rewrite import translate_script


def run(text: str):
    return translate_script(text, "t.sh", Options())


def codes_at(result, code: str) -> list[int]:
    return sorted(d.span.line for d in result.diagnostics if d.code == code)


# Shapes from real scripts (issue 11) that bash -n accepts, each followed by legacy commands
# that must be translated: tree-sitter-bash dropped them or gave up on the rest of the file.
TRIGGERS = {
    "the second `brctl addbr` after an `if [ $? -gt 0 ]` block": (
        "brctl addbr a > /dev/null\nif [ $? -gt 0 ]\nthen x\nfi\n"
        "brctl addbr b > /dev/null\nif [ $? -gt 0 ]\nthen x\nfi\n",
        ["a", "b"],
    ),
    "a test of two words": (
        'for t in -f -d; do\n  [ "$t" "$file" ] && echo yes\ndone\nbrctl addbr br1\n',
        ["br1"],
    ),
    "`if A && { B || C; } then` with an else": (
        "if true && { false || true; } then\n    brctl addbr br0\nelse\n    brctl addbr br1\nfi\nbrctl addbr br2\n",
        ["br0", "br1", "br2"],
    ),
    "`if A && { B || C; } then CMD` on one line": (
        "if true && { false || true; } then brctl addbr br0\nfi\nbrctl addbr br2\n",
        ["br0", "br2"],
    ),
    "-o and escaped parentheses in a test": (
        'if [ "$a" = x -o \\( "$b" = y -a "$c" = z \\) ]; then\n  brctl addbr br0\nfi\nbrctl addbr br1\n',
        ["br0", "br1"],
    ),
    "`[ $? !=0 ]`": (
        "ls /nonexistent\nif [ $? !=0 ]; then\n  brctl addbr br0\nfi\nbrctl addbr br1\n",
        ["br0", "br1"],
    ),
}


@pytest.mark.parametrize("shape", TRIGGERS)
def test_a_shape_bash_reads_is_read_and_what_follows_it_translated(shape, tmp_path):
    text, bridges = TRIGGERS[shape]
    script = tmp_path / "t.sh"
    script.write_text(text)
    assert subprocess.run(["bash", "-n", str(script)], check=False).returncode == 0
    result = run(text)
    assert codes_at(result, "NS411") == [] and codes_at(result, "NS402") == []
    assert result.translated == len(bridges) and result.left == 0
    out = result.text
    for name in bridges:
        assert f"ip link add name {name} type bridge" in out
    assert "brctl" not in out
    # nothing but the legacy commands changed
    assert [line for line in out.splitlines() if "ip link" not in line] == [line for line in text.splitlines() if "brctl" not in line]


# bash reads `((cmd) )` as a subshell in a subshell once arithmetic fails; mvdan/sh takes `((` for arithmetic.
UNREADABLE = "((echo a) )"


def test_a_line_the_parser_cannot_read_is_left_and_the_commands_after_it_translated():
    text = f"brctl addbr br0\n{UNREADABLE}\nbrctl addbr br1\nif true; then\n  brctl addbr br2\nfi\n"
    result = run(text)
    assert codes_at(result, "NS411") == [2]
    assert result.text == (
        f"ip link add name br0 type bridge\n{UNREADABLE}\nip link add name br1 type bridge\n"
        "if true; then\n  ip link add name br2 type bridge\nfi\n"
    )
    assert result.translated == 3


def test_each_legacy_command_the_parser_cannot_read_is_reported_at_its_own_line():
    text = "brctl addbr br0\n((brctl addbr x) )\n((vconfig add eth0 5) )\nbrctl addbr br1\n"
    result = run(text)
    assert codes_at(result, "NS411") == [2, 3]
    left = [d for d in result.diagnostics if d.code == "NS402"]
    assert [(d.span.line, "brctl" in d.message, "vconfig" in d.message) for d in left] == [(2, True, False), (3, False, True)]
    assert result.text.splitlines() == ["ip link add name br0 type bridge", "((brctl addbr x) )", "((vconfig add eth0 5) )", "ip link add name br1 type bridge"]


def test_a_script_whose_every_line_is_unreadable_gives_up_without_a_process_per_line(monkeypatch):
    calls = []
    original = syntax._run_shfmt
    monkeypatch.setattr(syntax, "_run_shfmt", lambda src: calls.append(1) or original(src))
    syntax._parse_bytes.cache_clear()
    text = "((echo a) )\n" * (syntax.MAX_RETRIES + 20) + "brctl addbr br0\n"
    tree = syntax.parse(text)
    assert len(calls) <= syntax.MAX_RETRIES + 1
    assert len(tree.unreadable) == syntax.MAX_RETRIES + 21  # the rest, brctl's line too, each line on its own
    syntax._parse_bytes.cache_clear()


def test_spans_stay_exact_with_multi_byte_characters():
    text = (
        "# réseau : pont « br0 » ✓\n"
        'echo "héllo wörld ✓" ; brctl addbr bré\n'
        'brctl hairpin bré "ëth0" on # ünïcode ✓\n'
        "x=$(echo 日本語); brctl stp bré on\n"
    )
    result = run(text)
    assert result.text == (
        "# réseau : pont « br0 » ✓\n"
        "echo \"héllo wörld ✓\" ; ip link add name 'bré' type bridge\n"
        "ip link set dev \"ëth0\" type bridge_slave hairpin on # ünïcode ✓\n"
        "x=$(echo 日本語); ip link set dev 'bré' type bridge stp_state 1\n"
    )
    lines = text.splitlines()
    found = sorted((d.span.line, d.span.col) for d in result.diagnostics if d.code == "NS401")
    assert found == [(n, lines[n - 1].index("brctl") + 1) for n in (2, 3, 4)]  # columns count characters


def test_a_carriage_return_is_part_of_the_word_as_bash_reads_it():
    result = run("brctl addbr br0\n\rbrctl addbr br1\n")
    assert result.text == "ip link add name br0 type bridge\n\rbrctl addbr br1\n"


def test_commands_in_backquotes_with_backslashes_are_left_and_reported():
    # mvdan/sh's positions inside `...` skip the escapes (mvdan/sh#1028): no rewrite by guessed bytes
    text = "x=`echo \\\\$y; brctl addbr br0`\nbrctl addbr br1\ny=`brctl addbr br2`\n"
    result = run(text)
    assert result.text == "x=`echo \\\\$y; brctl addbr br0`\nip link add name br1 type bridge\ny=`ip link add name br2 type bridge`\n"
    left = [d for d in result.diagnostics if d.code == "NS402"]
    assert [d.span.line for d in left] == [1] and "backquotes" in left[0].message


def test_one_parser_process_per_script(monkeypatch):
    calls = []
    original = subprocess.Popen

    def counting(argv, *args, **kwargs):
        if argv and str(argv[0]).endswith("shfmt"):
            calls.append(argv)
        return original(argv, *args, **kwargs)

    monkeypatch.setattr(syntax.subprocess, "Popen", counting)
    syntax._parse_bytes.cache_clear()
    text = 'f() {\n  brctl addbr "$1"\n}\ncase "$(uname)" in\n  Linux) f br0 ;;\n  FreeBSD) ifconfig bridge0 create ;;\nesac\nvconfig add eth0 5\n'
    result = run(text)
    assert result.translated == 2
    assert len(calls) == 1 and calls[0][1:] == ["--to-json", "-ln", "bash"]


def test_without_shfmt_the_command_says_what_to_install_and_exits_2(cli, tmp_path, monkeypatch):
    script = tmp_path / "t.sh"
    script.write_text("brctl addbr br0\n")
    monkeypatch.setattr(syntax, "_script_dirs", lambda: [str(tmp_path)])
    monkeypatch.setenv("PATH", str(tmp_path))
    syntax.shfmt_path.cache_clear()
    syntax._parse_bytes.cache_clear()
    try:
        result = cli("translate", script)
    finally:
        syntax.shfmt_path.cache_clear()
    assert result.exit_code == 2
    assert "shfmt" in result.output and "pip install shfmt-py" in result.output
    assert "Traceback" not in result.output


def test_a_long_script_read_in_pieces_gives_what_reading_it_whole_gives(monkeypatch):
    # shfmt --to-json holds ~70 KB a line in memory: long scripts are cut between statements
    from netscript.frontends.legacy import registry
    from netscript.frontends.legacy.shell import scan

    text = (
        "brctl addbr br0\n"
        "if true; then\n  brctl addbr br1\n  cat <<EOF\nbrctl addbr not-a-command\n\nEOF\nfi\n"
        "brctl addif br0 \\\n  eth0\n"
        'echo "a\nbrctl addbr in-a-string\nb"\n'
        "f() {\n  vconfig add eth0 5\n}\n"
        "((echo a) )\n"
        "brctl addbr br2 && brctl addbr br3\n"
    ) * 3

    def sites():
        syntax._parse_bytes.cache_clear()
        script = scan(text, registry.TOOLS)
        return [(s.start, s.end, s.stmt_end, [w.text for w in s.words], s.usage, s.blocks) for s in script.sites], script.errors

    whole = sites()
    calls = []
    original = syntax._run_shfmt
    monkeypatch.setattr(syntax, "_run_shfmt", lambda src: calls.append(1) or original(src))
    for size in range(1, 7):  # cuts fall on every line: in the if, the here-document, the string...
        monkeypatch.setattr(syntax, "PIECE_LINES", size)
        monkeypatch.setattr(syntax, "MAX_PIECE_LINES", 8 * size)
        assert sites() == whole, size
    syntax._parse_bytes.cache_clear()
    assert len(calls) > 20
    assert len(whole[1]) == 3  # the `((echo a) )` lines
    words = [site[3] for site in whole[0]]
    assert ["brctl", "addbr", "br3"] in words and ["brctl", "addbr", "not-a-command"] not in words and ["brctl", "addbr", "in-a-string"] not in words


def test_shfmt_runs_with_its_memory_capped(monkeypatch):
    # shfmt's JSON grows with the square of the nesting (3,000 `&&` took 7.5 GB): past the cap it
    # stops, out of memory, and the script is reported unreadable (the old parser crashed on it)
    limits = []
    original = syntax._cap_memory

    def reading(pid):
        original(pid)
        with open(f"/proc/{pid}/limits") as f:
            limits.extend(line.split()[3:5] for line in f if line.startswith("Max address space"))

    monkeypatch.setattr(syntax, "_cap_memory", reading)
    syntax._parse_bytes.cache_clear()
    result = run("brctl addbr br0\n")
    syntax._parse_bytes.cache_clear()
    assert result.translated == 1
    assert limits == [[str(syntax.SHFMT_MEMORY), str(syntax.SHFMT_MEMORY)]]


def test_when_shfmt_dies_without_saying_where_the_script_is_reported_unreadable(monkeypatch):
    monkeypatch.setattr(syntax, "_run_shfmt", lambda src: (None, None))  # as when it runs out of memory
    syntax._parse_bytes.cache_clear()
    text = "brctl addbr br0\n\nbrctl addbr br1\n"
    result = run(text)
    syntax._parse_bytes.cache_clear()
    assert result.text == text and result.translated == 0
    assert codes_at(result, "NS411") == [1, 3] and codes_at(result, "NS402") == [1, 3]


# What goes with a line the parser cannot read is not a command: its continuation lines,
# a here-document it opens, a string it leaves open. Blanking the line alone would read them as commands.
CARRIED_BY_AN_UNREADABLE_LINE = {
    "a string": '((echo "a\nbrctl addbr evil\n") )\n',
    "a continuation": "((echo a) ) && \\\nbrctl addbr evil\n",
    "a here-document": "((cat) ) <<EOF\nbrctl addbr evil\nEOF\n",
    "a tab-stripped here-document": "((cat) ) <<-'END'\n\tbrctl addbr evil\n\tEND\n",
}


@pytest.mark.parametrize("what", CARRIED_BY_AN_UNREADABLE_LINE)
def test_what_an_unreadable_line_carries_is_left_with_it(what, tmp_path):
    text = CARRIED_BY_AN_UNREADABLE_LINE[what] + "brctl addbr br1\n"
    script = tmp_path / "t.sh"
    script.write_text(text)
    assert subprocess.run(["bash", "-n", str(script)], check=False).returncode == 0
    result = run(text)
    assert result.text == text.replace("brctl addbr br1", "ip link add name br1 type bridge")
    carried = text.count("\n") - 1
    assert codes_at(result, "NS411") == list(range(1, carried + 1))
    assert codes_at(result, "NS402") == [2]  # reported, never rewritten
