"""`netscript check` on documents: output formats, exit codes, directories."""

from __future__ import annotations

import json
import os

from docfixtures import FIXTURES


def test_json_output_shape(cli):
    result = cli("check", "--format", "json", os.path.join(FIXTURES, "mistakes.md"))
    assert result.exit_code == 1
    found = json.loads(result.stdout)
    assert isinstance(found, list) and found
    for d in found:
        assert {"path", "line", "column", "severity", "code", "message"} <= set(d)
        assert d["severity"] in ("error", "warning", "info")
        assert d["path"].endswith("mistakes.md")
    legacy = [d for d in found if d["code"] == "NS401"]
    assert legacy and all("fix" in d for d in legacy)
    assert not any("fix" in d for d in found if d["code"] == "NS403")


def test_text_output_is_path_line_col_severity_message_code(cli):
    result = cli("check", os.path.join(FIXTURES, "mistakes.md"))
    line = next(x for x in result.stdout.splitlines() if "[NS403]" in x)
    assert line == f"{os.path.join(FIXTURES, 'mistakes.md')}:27:7: error: brctl has no subcommand 'adbr' [NS403]"


def test_exit_0_with_warnings_only(cli):
    result = cli("check", os.path.join(FIXTURES, "howto.txt"))
    assert result.exit_code == 0 and "warning" in result.stdout


def test_exit_0_for_a_clean_document(cli):
    result = cli("check", os.path.join(FIXTURES, "good.md"))
    assert result.exit_code == 0 and result.stdout == ""


def test_exit_2_for_unusable_input(cli, tmp_path):
    binary = tmp_path / "notes.txt"
    binary.write_bytes(b"\xff\xfe\x00bad")
    assert cli("check", binary).exit_code == 2
    assert cli("check", tmp_path / "missing.md").exit_code == 2
    broken_gz = tmp_path / "ip-x.8.gz"
    broken_gz.write_bytes(b"\x1f\x8b\x08\x00garbage")
    assert cli("check", broken_gz).exit_code == 2


def test_a_directory_is_searched_for_documents(cli, tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("```sh\nbrctl adbr x\n```\n")
    (tmp_path / "docs" / "b.rst").write_text("Text::\n\n    brctl addbr x\n")
    (tmp_path / "docs" / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    (tmp_path / "docs" / "spec.ns").write_text("bridge br0\n")
    result = cli("check", "--format", "json", tmp_path / "docs")
    found = {(os.path.basename(d["path"]), d["code"]) for d in json.loads(result.stdout)}
    assert found == {("a.md", "NS403"), ("b.rst", "NS401")}
    assert result.exit_code == 1


def test_specs_are_still_checked_as_specs(cli, tmp_path):
    spec = tmp_path / "x.ns"
    spec.write_text("vlan v0 link eth0 id 5000\nphysical eth0\n")
    result = cli("check", spec)
    assert result.exit_code == 1 and "[NS202]" in result.stdout


def test_pre_commit_hook_runs_netscript_check():
    import re

    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    with open(os.path.join(repo, ".pre-commit-hooks.yaml")) as f:
        hook = f.read()
    assert re.search(r"^- id: netscript-check$", hook, re.M)
    assert re.search(r"^  entry: netscript check$", hook, re.M)
    assert "markdown" in hook and "rst" in hook
