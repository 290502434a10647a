"""`netscript translate` from the command line: outputs, reports, exit codes, --in-place."""

from __future__ import annotations

import json
import os
import stat

import pytest

OLD = """#!/bin/sh
# bring up the lab bridge
brctl addbr br0
brctl setfd br0 2.5
brctl showmacs br0 | awk 'NR > 1 {print $1}'
brctl adbr br9
"""
NEW = """#!/bin/sh
# bring up the lab bridge
ip link add name br0 type bridge
ip link set dev br0 type bridge forward_delay 250
brctl showmacs br0 | awk 'NR > 1 {print $1}'
brctl adbr br9
"""


@pytest.fixture
def script(tmp_path):
    path = tmp_path / "old-bridge.sh"
    path.write_text(OLD)
    path.chmod(0o750)
    return path


def test_the_translation_goes_to_stdout_and_the_report_to_stderr(cli, script):
    result = cli("translate", script)
    assert result.stdout == NEW
    lines = result.stderr.splitlines()
    assert f"{script}:3:1: info: translated: brctl addbr br0 [NS401]" in lines
    assert f"{script}:5:1: warning: left as written (the output of brctl showmacs is parsed, and no modern command prints that format): brctl showmacs br0 [NS402]" in lines
    assert f"{script}:6:7: error: brctl has no subcommand 'adbr' [NS403]" in lines
    assert lines[-1] == f"{script}: 2 translated, 2 left, 0 warned"
    assert result.exit_code == 1  # the typo is an error


def test_exit_0_when_everything_is_fine(cli, tmp_path):
    path = tmp_path / "ok.sh"
    path.write_text("brctl addbr br0\n")
    result = cli("translate", path)
    assert result.exit_code == 0 and result.stdout == "ip link add name br0 type bridge\n"


def test_output_file_keeps_the_executable_bit(cli, script, tmp_path):
    out = tmp_path / "new-bridge.sh"
    result = cli("translate", script, "-o", out)
    assert out.read_text() == NEW and result.stdout.endswith("2 translated, 2 left, 0 warned\n")
    assert os.stat(out).st_mode & stat.S_IXUSR


def test_diff(cli, script):
    result = cli("translate", "--diff", script)
    assert "-brctl addbr br0\n-brctl setfd br0 2.5\n+ip link add name br0 type bridge\n+ip link set dev br0 type bridge forward_delay 250\n" in result.stdout
    assert " # bring up the lab bridge\n" in result.stdout


def test_check_changes_nothing_and_exits_1_while_legacy_remains(cli, script, tmp_path):
    result = cli("translate", "--check", script)
    assert result.exit_code == 1 and script.read_text() == OLD
    assert f"{script}:3:1: warning: legacy command: brctl addbr br0; modern equivalent: ip link add name br0 type bridge [NS401]" in result.stdout.splitlines()
    clean = tmp_path / "clean.sh"
    clean.write_text("ip link add name br0 type bridge\n")
    assert cli("translate", "--check", clean).exit_code == 0


def test_in_place_keeps_a_backup_and_the_mode(cli, script):
    result = cli("translate", "--in-place", script)
    assert script.read_text() == NEW
    backup = script.with_name(script.name + ".bak")
    assert backup.read_text() == OLD
    assert stat.S_IMODE(os.stat(script).st_mode) == 0o750 == stat.S_IMODE(os.stat(backup).st_mode)
    assert result.stdout.endswith("2 translated, 2 left, 0 warned\n")
    # a second run finds nothing new to change and leaves the first backup alone
    cli("translate", "--in-place", script)
    assert backup.read_text() == OLD and not script.with_name(script.name + ".bak.1").exists()


def test_in_place_never_leaves_a_half_written_file(cli, script, monkeypatch):
    from netscript.cli import translate

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(translate.os, "replace", crash)
    with pytest.raises(OSError):
        cli("translate", "--in-place", script)
    assert script.read_text() == OLD
    leftovers = [p for p in os.listdir(script.parent) if p.startswith(".netscript-")]
    assert leftovers == []


def test_json_report(cli, script):
    result = cli("translate", "--format", "json", script)
    report = json.loads(result.stderr)
    assert (report["translated"], report["left"], report["warned"]) == (2, 2, 0)
    first = report["diagnostics"][0]
    assert {"path", "line", "column", "severity", "code", "message"} <= set(first)
    assert first["fix"] == "replace with: ip link add name br0 type bridge"


def test_to_dsl(cli, tmp_path):
    path = tmp_path / "lab.sh"
    path.write_text("brctl addbr br0\nbrctl stp br0 on\nbrctl addif br0 eth0\n")
    out = tmp_path / "net.ns"
    result = cli("translate", "--to", "dsl", path, "-o", out)
    assert result.exit_code == 0
    assert out.read_text() == "physical eth0\n\nbridge br0 stp_state on {\n    ports eth0\n}\n"


def test_to_dsl_refuses_control_flow_with_exit_1(cli, script):
    result = cli("translate", "--to", "dsl", script)
    assert result.exit_code == 1 and result.stdout == ""
    assert "[NS409]" in result.stderr


def test_team_as_bond_and_idempotent_flags(cli, tmp_path):
    path = tmp_path / "team.sh"
    path.write_text("""teamd -d -t team0 -c '{"runner": {"name": "roundrobin"}}'\n""")
    assert cli("translate", path).stdout == path.read_text()
    assert cli("translate", "--team-as-bond", "--idempotent", path).stdout == (
        "ip link show dev team0 >/dev/null 2>&1 || ip link add name team0 type bond mode balance-rr miimon 100\n"
    )


def test_unusable_input_exits_2(cli, tmp_path):
    assert cli("translate", tmp_path / "missing.sh").exit_code == 2
    binary = tmp_path / "bin.sh"
    binary.write_bytes(b"\x00\x01brctl")
    assert cli("translate", binary).exit_code == 2
    broken = tmp_path / "broken.sh"
    broken.write_text("brctl addbr br0\nif then fi (\n")
    result = cli("translate", broken)
    assert result.exit_code == 2 and "[NS103]" in result.stderr


def test_usage_errors(cli, script):
    assert cli("translate", "--in-place", "--diff", script).exit_code == 2
    assert cli("translate", "--in-place", "-o", "x.sh", script).exit_code == 2
