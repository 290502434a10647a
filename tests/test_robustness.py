"""Hostile and oversized input: a located diagnostic, never a traceback, and bounded cost."""

from __future__ import annotations

import os
import re
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
