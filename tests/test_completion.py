"""Shell completion as the README tells users to set it up: the real shells, the real command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from conftest import REPO

# the console script pip installs beside this interpreter: the name completion is keyed on
ENTRY = [os.path.join(os.path.dirname(sys.executable), "netscript")]


def complete(words: str, cword: int) -> list[str]:
    env = {**os.environ, "COMP_WORDS": words, "COMP_CWORD": str(cword), "_NETSCRIPT_COMPLETE": "bash_complete"}
    out = subprocess.run([*ENTRY], capture_output=True, text=True, env=env, cwd=REPO, check=True).stdout
    return [line.split(",", 1)[1] for line in out.splitlines()]


def test_commands_and_options_complete():
    assert complete("netscript ap", 1) == ["apply"]
    assert "--exit-code" in complete("netscript plan --ex", 2)


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_the_bash_script_the_readme_evals_defines_the_completion():
    env = {**os.environ, "_NETSCRIPT_COMPLETE": "bash_source"}
    script = subprocess.run([*ENTRY], capture_output=True, text=True, env=env, cwd=REPO, check=True).stdout
    probe = script + (
        '\nPATH="$BIN:$PATH"; COMP_WORDS=(netscript ap); COMP_CWORD=1; _netscript_completion netscript'
        '\nprintf "%s\\n" "${COMPREPLY[@]}"; complete -p netscript'
    )
    done = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, check=False,
                          env={**os.environ, "BIN": os.path.dirname(ENTRY[0])})
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "apply"
    assert "-F _netscript_completion" in done.stdout
