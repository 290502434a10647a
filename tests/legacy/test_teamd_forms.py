"""teamd command lines that name the team only in a file, or not at all.

- ``teamd -f FILE -d``: the name and config are in the file; with ``--team-as-bond``
  it stays as written with the reason (it crashed with an internal error).
- ``teamd -k -p PIDFILE`` without ``-t``: teamd 1.31 fails with "Team device name not
  specified." (checked below with the real teamd), so netscript reports it as teamd's
  own error, and says the pid file is not enough.
- ``teamd -k -c '{"device": ...}'`` after a start with ``-N`` in a branch: named by the
  config alone, it stays with the reason and the team's name (it crashed with an
  internal error).
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from netscript.frontends.legacy.model import Options
from netscript.frontends.legacy.rewrite import translate_script

FILE_FORMS = ["teamd -f /etc/teamd/team0.conf -d", "teamd -f F -k", "teamd -f F -e", "teamd -f F -N -r -d"]


@pytest.mark.parametrize("legacy", FILE_FORMS)
@pytest.mark.parametrize("as_bond", [False, True])
def test_a_team_named_in_its_file_stays_with_the_reason(cli, tmp_path, legacy, as_bond):
    script = tmp_path / "t.sh"
    script.write_text(legacy + "\n")
    result = cli("translate", *(["--team-as-bond"] if as_bond else []), script)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(legacy + "\n")
    assert "[NS402]" in result.output and "internal error" not in result.output
    if as_bond:
        assert "in the file" in result.output


@pytest.mark.parametrize("legacy", ["teamd -k -p /run/teamd/x.pid", "teamd -e -p /run/teamd/x.pid"])
def test_a_pid_file_without_the_name_is_teamds_own_error(legacy):
    result = translate_script(legacy + "\n", "t.sh", Options(team_as_bond=True))
    assert result.text == legacy + "\n"
    errors = [d for d in result.diagnostics if d.code == "NS404"]
    assert errors and "Team device name not specified" in errors[0].message


def test_with_the_name_a_pid_file_is_fine():
    result = translate_script("teamd -t team0 -k -p /run/teamd/x.pid\n", "t.sh", Options(team_as_bond=True))
    assert result.text == "ip link delete dev team0\n"


@pytest.mark.skipif(shutil.which("teamd") is None, reason="needs libteam-utils (tests/system-packages.txt)")
def test_teamd_itself_wants_the_name_even_with_a_pid_file(tmp_path):
    proc = subprocess.run(["teamd", "-k", "-p", str(tmp_path / "x.pid")], capture_output=True, text=True, check=False)
    assert proc.returncode == 1 and "Team device name not specified" in proc.stderr


def test_a_kill_named_by_its_config_after_a_start_that_may_keep_the_team_stays_with_the_name():
    script = (
        'if [ "$1" = a ]; then\n'
        """  teamd -N -d -c '{"device": "team0", "runner": {"name": "activebackup"}}'\n"""
        "fi\n"
        """teamd -k -c '{"device": "team0"}'\n"""
    )
    result = translate_script(script, "t.sh", Options(team_as_bond=True))
    assert result.text.endswith("""teamd -k -c '{"device": "team0"}'\n""")  # the kill stays
    (kept,) = [d for d in result.diagnostics if d.code == "NS402" and d.span.line == 4]
    assert "started with -N" in kept.message and "ip link delete dev team0" in (kept.hint or "")
