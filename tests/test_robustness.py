"""Hostile and oversized input: a located diagnostic, never a traceback, and bounded cost."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys

import pytest

LOCATED = re.compile(r"^(?P<path>[^\n]+?):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning|info): (?P<message>.+) \[(?P<code>NS\d+)\]$", re.MULTILINE)


def located(output: str) -> list[dict]:
    return [m.groupdict() for m in LOCATED.finditer(output)]


# -- crashes ------------------------------------------------------------------


@pytest.mark.parametrize("command", [("check",), ("render",), ("fmt",), ("fmt", "--check")])
def test_deep_nesting_is_a_located_syntax_error(cli, tmp_path, command):
    spec = tmp_path / "deep.ns"
    spec.write_text("bridge x {\n" * 1000 + "}\n" * 1000)
    result = cli(*command, spec)
    assert result.exit_code == 2, result.output
    found = located(result.output)
    assert [(d["path"], d["line"], d["col"], d["code"]) for d in found] == [(str(spec), "3", "10", "NS103")]
    assert "nest" in found[0]["message"]


def test_two_levels_of_blocks_still_read(cli, tmp_path):
    spec = tmp_path / "peer.ns"
    spec.write_text('veth v0 {\n    peer "v{1}" {\n        up # {\n    }\n}\n')
    assert cli("check", spec).exit_code == 0
    spec.write_text("veth v0 {\n    peer v1 {\n        up {\n        }\n    }\n}\n")
    result = cli("check", spec)
    assert result.exit_code == 2
    assert [(d["line"], d["col"], d["code"]) for d in located(result.output)] == [("3", "12", "NS103")]


@pytest.mark.parametrize(
    "text, at",
    [
        ("veth v0 {\n  peer v1 {\n    up {\n    }\n  }\n}\n", (3, 8)),  # found by the scan, as it reads
        ('veth v0 {\n peer "v1" {\n up "x" { }\n }\n}\n', (3, 9)),
        ("a 'b'\nveth v0 { peer v1 { up { } } }\n", (2, 24)),  # after another error: still the one reported
        ("a }\nveth v0 {\n peer v1 { x {\n", (3, 14)),
    ],
)
def test_a_block_too_deep_is_the_error_wherever_it_is(text, at):
    from netscript.frontends import dsl

    with pytest.raises(dsl.DSLSyntaxError) as e:
        dsl.parse(text, "t.ns")
    assert (e.value.diagnostic.span.line, e.value.diagnostic.span.col) == at and "nest" in e.value.diagnostic.message


@pytest.mark.parametrize("suffix, text, line", [(".sh", "ip addr add dev eth0\n", 1), (".md", "Text.\n\n```\nip addr add dev eth0\n```\n", 4)])
def test_ip_address_without_an_address_is_located(cli, tmp_path, suffix, text, line):
    script = tmp_path / f"a{suffix}"
    script.write_text(text)
    result = cli("check", script)
    assert result.exit_code == 1, result.output
    found = located(result.output)
    assert [(d["line"], d["code"]) for d in found if d["severity"] == "error"] == [(str(line), "NS405")]
    assert "address" in found[0]["message"]
    if suffix == ".sh":
        translated = cli("translate", script)
        assert translated.exit_code == 1 and translated.stdout == text
        assert [(d["line"], d["code"]) for d in located(translated.stderr)] == [("1", "NS405")]


def test_word_glued_to_a_redirection_is_an_argument(cli, tmp_path):
    script = tmp_path / "b.sh"
    script.write_text("ls -a2>/dev/null\nbrctl addbr br0 -x2>/dev/null\n")
    result = cli("translate", script)
    assert result.exit_code == 0, result.output
    assert result.stdout == script.read_text()  # the brctl line, with its argument glued on, is left as written
    left = [d for d in located(result.stderr) if d["line"] == "2"]
    assert left and left[0]["code"] == "NS402" and "redirection" in left[0]["message"]
    assert cli("check", script).exit_code in (0, 1)


def test_digits_before_a_redirection_are_a_descriptor():
    from netscript.frontends.legacy.shell import scan

    (ls, brctl) = scan("ls -a2>/dev/null\nbrctl addbr br0 2>/dev/null\n", {"brctl"}).sites
    assert [a.value for a in ls.args] == ["-a2"] and ls.redirects[0].fd is None and ls.redirects[0].writes_stdout
    assert [a.value for a in brctl.args] == ["addbr", "br0"] and brctl.redirects[0].fd == 2


def test_characters_beyond_the_shell_parsers_tables_do_not_kill_the_process(tmp_path):
    # tree-sitter-bash looked such code points up in a 384-entry table: SIGSEGV/SIGBUS, at random.
    paths = []
    for n, cp in enumerate(range(0x10000, 0x10FFFF, 0x10FFFF // 24)):
        path = tmp_path / f"s{n}.sh"
        path.write_text("{" + chr(cp), encoding="utf-8")
        paths.append(str(path))
    # Whether the read lands on unmapped memory depends on the process's layout: several tries.
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    for command in [["check", *paths]] * 5 + [["translate", paths[0]], ["translate", "--to", "dsl", paths[1]]]:
        done = subprocess.run([sys.executable, "-m", "netscript", *command], check=False, capture_output=True, text=True, timeout=120, env=env)
        assert done.returncode in (0, 1, 2), (command[0], done.returncode, done.stderr[-500:])
        assert "internal error" not in done.stderr


def test_non_ascii_text_keeps_its_words():
    from netscript.frontends.legacy.shell import scan

    script = scan('brctl addbr "bré"\nbrctl addif bré ëth0 # ünïcode\né=1 true\n', {"brctl"})
    assert [[w.value for w in s.words] for s in script.sites] == [
        ["brctl", "addbr", "bré"],
        ["brctl", "addif", "bré", "ëth0"],
        ["é=1", "true"],  # as bash reads it: not a name, so not an assignment
    ]


def _gzip_of_zeros(size: int) -> bytes:
    import zlib

    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip framing
    chunk = b"\0" * (1 << 20)
    data = [packer.compress(b".TH X 8\n")]
    for _ in range(size >> 20):
        data.append(packer.compress(chunk))
    return b"".join(data) + packer.flush()


def test_a_gzip_bomb_is_refused_at_the_file(cli, tmp_path):
    bomb = tmp_path / "bomb.8.gz"
    bomb.write_bytes(_gzip_of_zeros(64 << 20))
    assert bomb.stat().st_size < 100_000
    result = cli("check", bomb)
    assert result.exit_code == 2
    assert [(d["path"], d["line"], d["col"], d["code"]) for d in located(result.output)] == [(str(bomb), "1", "1", "NS102")]
    assert "MiB" in result.output


def test_corrupt_gzip_is_refused_at_the_file(cli, tmp_path):
    bad = tmp_path / "bad.8.gz"
    bad.write_bytes(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + b"\xff" * 50)
    result = cli("check", bad)
    assert result.exit_code == 2
    assert [(d["line"], d["code"]) for d in located(result.output)] == [("1", "NS102")]


def test_gzipped_man_page_under_the_limit_is_read(cli, tmp_path):
    import gzip

    page = tmp_path / "brctl-demo.8.gz"
    page.write_bytes(gzip.compress(b".TH X 8\n.SH EXAMPLE\n.nf\nbrctl addbr br0\n.fi\n" + b".\\\" padding\n" * 100_000))
    result = cli("check", page)
    assert [(d["line"], d["code"]) for d in located(result.output)] == [("4", "NS401")]


# -- diagnostics at scale -------------------------------------------------------


class _CountingText(str):
    """A file's text that counts how often it is split into lines."""

    splits = 0

    def split(self, *args, **kwargs):
        type(self).splits += 1
        return super().split(*args, **kwargs)

    def splitlines(self, *args, **kwargs):
        type(self).splits += 1
        return super().splitlines(*args, **kwargs)


def test_each_file_is_split_into_lines_once():
    from netscript.codes import diag
    from netscript.diagnostics import SourceCache, Span, render_text

    text = _CountingText("".join(f"brctl addbr br{i}\n" for i in range(500)))
    cache = SourceCache()
    cache.texts["a.sh"] = text
    found = [diag("NS201", f"name {i}", Span(path="a.sh", line=i + 1, col=13, end_line=i + 1, end_col=16)) for i in range(500)]
    out = render_text(found, cache)
    assert _CountingText.splits == 1
    assert "    brctl addbr br499\n                ^^^\n" in out


def test_a_long_line_is_echoed_as_a_window_with_the_caret_under_the_finding(cli, tmp_path):
    spec = tmp_path / "long.ns"
    spec.write_text("dummy d0 mtu 1500; " * 5000 + "bond b0 mode fastest\n")
    result = cli("check", spec)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    at = next(i for i, line in enumerate(lines) if "[NS203]" in line)
    assert lines[at].startswith(f"{spec}:1:{19 * 5000 + 14}: error:")
    shown, caret = lines[at + 1], lines[at + 2]
    assert len(shown) < 250 and shown.startswith("    ...")
    assert shown[caret.index("^") :].startswith("fastest") and caret.strip() == "^" * len("fastest")


def test_a_finding_repeated_many_times_is_counted_not_repeated(cli, tmp_path):
    script = tmp_path / "one.sh"
    script.write_text("brctl addbr x;" * 1000 + "\nbrctl addbr y\n")
    result = cli("translate", script)
    assert result.exit_code == 0
    report = result.stderr
    assert len(report) < 20_000
    assert report.count("info: translated: brctl addbr x [NS401]") == 20
    assert f"{script}: ... 980 more like the above [NS401]" in report
    assert "info: translated: brctl addbr y [NS401]" in report
    assert report.endswith(f"{script}: 1001 translated, 0 left, 0 warned\n")
    every = json.loads(cli("translate", "--format", "json", script).stderr)["diagnostics"]
    assert len(every) == 1001


@pytest.mark.parametrize("odd", ["\f", "\v", "\r", "\u2028", "\x85"])
def test_the_echoed_line_is_the_line_of_the_finding(cli, tmp_path, odd):
    script = tmp_path / "odd.sh"
    script.write_text(f"echo a{odd}b{odd}c\nbrctl addbr br0\n", encoding="utf-8")
    result = cli("translate", script)
    assert f"{script}:2:1: info: translated: brctl addbr br0 [NS401]\n    brctl addbr br0\n    ^^^^^^^^^^^^^^^\n" in result.stderr
    spec = tmp_path / "odd.ns"
    spec.write_text(f"# a{odd}b\nbond b0 mode fastest\n", encoding="utf-8")
    result = cli("check", spec)
    assert "    bond b0 mode fastest\n                 ^^^^^^^\n" in result.output


def test_control_characters_are_not_echoed_to_the_terminal(cli, tmp_path):
    spec = tmp_path / "esc.ns"
    spec.write_text("bond b0 mode fastest # \x1b[2J\x07\n")
    result = cli("check", spec)
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "    bond b0 mode fastest # ?[2J?\n" in result.output


def test_joining_line_pieces_at_once_is_adding_them():
    from netscript.docs.document import Line

    pieces = [Line.verbatim("ip link \\", 0)[:-1], Line(" ", (12, 12)), Line.verbatim("add é", 12), Line.verbatim("", 19)]
    added = pieces[0]
    for p in pieces[1:]:
        added = added + p
    joined = Line.joined(pieces)
    assert (joined.text, tuple(joined.origins)) == (added.text, tuple(added.origins)) == ("ip link  add é", (*range(8), 12, *range(12, 17), 19))


def test_a_long_continued_command_in_a_document_is_one_command(cli, tmp_path):
    doc = tmp_path / "cont.md"
    doc.write_text("```\nbrctl addbr \\\n" + "  x \\\n" * 3000 + "  y\n```\n")
    found = located(cli("check", doc).output)
    assert [(d["line"], d["col"], d["code"]) for d in found] == [("2", "1", "NS401"), ("4", "3", "NS404")]  # extra arguments from line 4


# -- writing files ----------------------------------------------------------------


def _owned_by_nobody(path, mode):
    if os.geteuid() != 0:
        pytest.skip("needs root to give a file to another owner")
    os.chown(path, 65534, 65534)
    os.chmod(path, mode)


def _mode_and_owner(path):
    st = os.stat(path)
    return stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid


def test_fmt_in_place_keeps_mode_and_owner(cli, tmp_path):
    spec = tmp_path / "lab.ns"
    spec.write_text("bridge   br0 {up}\n")
    _owned_by_nobody(spec, 0o640)
    assert cli("fmt", "-i", spec).exit_code == 0
    assert spec.read_text() == "bridge br0 {\n    up\n}\n"
    assert _mode_and_owner(spec) == (0o640, 65534, 65534)


def test_translate_in_place_keeps_mode_and_owner_of_the_file_and_its_backup(cli, tmp_path):
    script = tmp_path / "old.sh"
    script.write_text("brctl addbr br0\n")
    _owned_by_nobody(script, 0o750)
    assert cli("translate", "--in-place", script).exit_code == 0
    assert script.read_text() == "ip link add name br0 type bridge\n"
    assert _mode_and_owner(script) == _mode_and_owner(tmp_path / "old.sh.bak") == (0o750, 65534, 65534)


def test_check_fix_keeps_mode_and_owner(cli, tmp_path):
    doc = tmp_path / "howto.md"
    doc.write_text("```\nbrctl addbr br0\n```\n")
    _owned_by_nobody(doc, 0o604)
    cli("check", "--fix", doc)
    assert doc.read_text() == "```\nip link add name br0 type bridge\n```\n"
    assert _mode_and_owner(doc) == (0o604, 65534, 65534)


def test_render_over_an_existing_file_makes_it_executable_and_keeps_its_owner(cli, tmp_path):
    spec = tmp_path / "lab.ns"
    spec.write_text("dummy d0\n")
    out = tmp_path / "lab.sh"
    out.write_text("old\n")
    _owned_by_nobody(out, 0o640)
    assert cli("render", spec, "-o", out).exit_code == 0
    assert _mode_and_owner(out) == (0o750, 65534, 65534)  # executable where it was readable
    new = tmp_path / "new.sh"
    assert cli("render", spec, "-o", new).exit_code == 0
    assert _mode_and_owner(new) == (0o755, 0, 0)  # a new file: as before


# -- fmt keeps what a spec says -------------------------------------------------------

HIDDEN_BY_LAYOUT = "netns x { }\nbridge b0 {\n  addr 192.0.2.1/24 { }\n}\n"


@pytest.mark.parametrize("options", [(), ("-i",), ("--check",), ("-o", "OUT")])
def test_fmt_does_not_make_an_invalid_spec_valid(cli, tmp_path, options):
    spec = tmp_path / "inv.ns"
    spec.write_text(HIDDEN_BY_LAYOUT)
    out = tmp_path / "out.ns"
    result = cli("fmt", *[str(out) if o == "OUT" else o for o in options], spec)
    checked = cli("check", spec)
    assert result.exit_code == checked.exit_code == 1
    assert result.stdout == "" and spec.read_text() == HIDDEN_BY_LAYOUT and not out.exists()
    where = [(d["line"], d["col"], d["code"]) for d in located(result.stderr)]
    assert where == [(d["line"], d["col"], d["code"]) for d in located(checked.output)] == [("1", "1", "NS103"), ("3", "21", "NS103")]


def test_fmt_still_lays_out_a_spec_whose_errors_it_keeps(cli, tmp_path):
    spec = tmp_path / "typo.ns"
    spec.write_text("bridge   br0 stp_stat on {  up }\n")
    result = cli("fmt", spec)
    assert result.exit_code == 0 and result.stdout == "bridge br0 stp_stat on {\n    up\n}\n"


# -- a carriage return is a character of a word, as bash reads it ---------------------


def test_a_lone_cr_in_a_loop_body_is_part_of_the_word_it_touches(cli, tmp_path):
    script = tmp_path / "cr.sh"
    text = "for i in 1 2; do\n  vconfig add eth0 $i\n  \rbrctl addif br0 eth0.$i\ndone\n"
    script.write_text(text, newline="")
    assert subprocess.run(["bash", "-n", str(script)], check=False).returncode == 0
    result = cli("translate", script)
    assert result.exit_code == 0, result.output
    # bash runs "\rbrctl" (not found), not brctl: that line stays as it is, and nothing claims otherwise
    assert result.stdout == text.replace("vconfig add eth0 $i", "ip link add link eth0 name eth0.$i type vlan id $i")
    assert "NS302" not in result.stderr
    assert result.stderr.endswith(f"{script}: 1 translated, 0 left, 0 warned\n")
    assert "\r" not in result.stderr


def test_crlf_line_ends_are_read_as_bash_reads_them(cli, tmp_path):
    from netscript.frontends.legacy.shell import scan

    (site,) = scan("brctl addbr br0\r\n", {"brctl"}).sites
    assert [w.value for w in site.words] == ["brctl", "addbr", "br0\r"]
    loop = tmp_path / "loop.sh"
    loop.write_text("for b in br0; do\r\n  brctl addbr $b\r\ndone\r\n", newline="")
    assert subprocess.run(["bash", "-n", str(loop)], check=False, capture_output=True).returncode != 0
    result = cli("translate", loop)
    assert result.exit_code == 2 and "[NS103]" in result.stderr
    spec = cli("translate", "--to", "dsl", loop)
    assert spec.exit_code == 2 and "dos2unix" in spec.stderr


def test_json_is_laid_out_as_before_one_diagnostic_at_a_time(cli, tmp_path):
    from netscript.diagnostics import render_json

    script = tmp_path / "x.sh"
    script.write_text('brctl addbr "a\\"b"\nbrctl setfd br0 2.5\nvconfig add eth0 5\n')
    result = json.loads(cli("translate", "--format", "json", script).stderr)
    document = {k: result[k] for k in ("path", "translated", "left", "warned", "diagnostics")}
    assert cli("translate", "--format", "json", script).stderr == json.dumps(document, indent=2) + "\n"
    assert len(document["diagnostics"]) >= 3
    from netscript.checking import check_file

    found = check_file(str(script)).diagnostics
    assert render_json(found) == json.dumps([d.as_dict() for d in found], indent=2) + "\n"
    assert render_json([]) == "[]\n"


def test_translate_json_without_findings_is_a_document(cli, tmp_path):
    script = tmp_path / "plain.sh"
    script.write_text("ls\n")
    out = cli("translate", "--format", "json", script).stderr
    assert out == json.dumps({"path": str(script), "translated": 0, "left": 0, "warned": 0, "diagnostics": []}, indent=2) + "\n"
