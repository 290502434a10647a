"""`check --strict`, `check --fix` saying what it fixed, and `check --fix --diff`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest
from docfixtures import FIXTURES

HOWTO = """# Bridge

```console
$ sudo brctl addbr br0
$ sudo brctl addif br0 eth0
$ ip link set br0 up
```

```sh
brctl adbr br1
```
"""

HOWTO_FIXED = HOWTO.replace("brctl addbr br0", "ip link add name br0 type bridge").replace(
    "brctl addif br0 eth0", "ip link set dev eth0 master br0"
)


def test_strict_fails_on_warnings_only(cli):
    howto = os.path.join(FIXTURES, "howto.txt")  # legacy commands: warnings, no error
    assert cli("check", howto).exit_code == 0
    strict = cli("check", "--strict", howto)
    assert strict.exit_code == 1 and "warning" in strict.stdout


def test_strict_passes_clean_documents(cli, tmp_path):
    assert cli("check", "--strict", os.path.join(FIXTURES, "good.md")).exit_code == 0
    doc = tmp_path / "ok.md"
    doc.write_text("```sh\nip link add name br0 type bridge\n```\n")
    assert cli("check", "--strict", doc).exit_code == 0


def test_fix_says_what_it_fixed_and_reports_only_what_is_left(cli, tmp_path):
    doc = tmp_path / "howto.md"
    doc.write_text(HOWTO)
    result = cli("check", "--fix", doc)
    assert doc.read_text() == HOWTO_FIXED
    assert f"netscript: fixed 2 legacy commands in {doc}" in result.stderr
    # the findings just fixed are not reported; the one left is, where it is now
    lines = [line for line in result.stdout.splitlines() if line.startswith(str(doc))]
    assert lines == [f"{doc}:10:7: error: brctl has no subcommand 'adbr' [NS403]"]
    assert result.exit_code == 1


def test_fix_with_nothing_to_fix_says_so_and_changes_nothing(cli, tmp_path):
    doc = tmp_path / "good.md"
    shutil.copy(os.path.join(FIXTURES, "good.md"), doc)
    before = doc.read_bytes()
    result = cli("check", "--fix", doc)
    assert result.exit_code == 0 and doc.read_bytes() == before
    assert "netscript: nothing to fix" in result.stderr and "fixed" not in result.stderr


def test_fix_then_strict_passes_once_every_warning_is_fixed(cli, tmp_path):
    doc = tmp_path / "howto.md"
    doc.write_text(HOWTO.split("```sh")[0])
    assert cli("check", "--strict", doc).exit_code == 1
    assert cli("check", "--fix", "--strict", doc).exit_code == 0


def test_diff_prints_the_fixes_and_writes_nothing(cli, tmp_path):
    doc = tmp_path / "howto.md"
    doc.write_text(HOWTO)
    result = cli("check", "--fix", "--diff", doc)
    assert doc.read_text() == HOWTO
    assert result.stdout.startswith(f"--- {doc}\n+++ {doc}\n@@ ")
    assert (
        "-$ sudo brctl addbr br0\n-$ sudo brctl addif br0 eth0\n"
        "+$ sudo ip link add name br0 type bridge\n+$ sudo ip link set dev eth0 master br0\n"
    ) in result.stdout
    assert f"would fix 2 legacy commands in {doc}" in result.stderr
    # what the diff does not settle is still reported (on standard error: stdout is the diff)
    assert "[NS403]" in result.stderr and "[NS401]" not in result.stderr
    assert result.exit_code == 1  # the error is in the file as it stands


@pytest.mark.skipif(shutil.which("patch") is None, reason="needs patch")
def test_the_diff_applies_with_patch_and_gives_what_fix_writes(cli, tmp_path):
    doc = tmp_path / "howto.md"
    doc.write_text(HOWTO)
    diff = cli("check", "--diff", doc).stdout  # --diff alone implies --fix
    subprocess.run(["patch", "-s", str(doc)], input=diff, text=True, check=True)
    assert doc.read_text() == HOWTO_FIXED


def test_diff_of_a_gzipped_man_page_shows_the_roff_text(cli, tmp_path):
    import gzip

    with open(os.path.join(FIXTURES, "bridge-demo.8"), "rb") as f:
        source = f.read()
    page = tmp_path / "bridge-demo.8.gz"
    page.write_bytes(gzip.compress(source))
    before = page.read_bytes()
    result = cli("check", "--diff", page)
    assert page.read_bytes() == before
    assert "+ip link add name br0 type bridge\n" in result.stdout and "-brctl addbr br0\n" in result.stdout


def test_diff_with_json_findings_keeps_stdout_for_the_diff(cli, tmp_path):
    doc = tmp_path / "howto.md"
    doc.write_text(HOWTO)
    result = cli("check", "--diff", "--format", "json", doc)
    assert result.stdout.startswith("--- ")
    assert [d["code"] for d in json.loads(result.stderr)] == ["NS403"]
