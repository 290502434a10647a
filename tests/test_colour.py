"""Colour on a terminal: severities and plan symbols; NO_COLOR and pipes get plain text."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

import pytest
from conftest import REPO

RED_BOLD = "\x1b[31m\x1b[1m"
NETSCRIPT = [sys.executable, "-m", "netscript"]


def on_a_terminal(args, **env_changes) -> str:
    """Run with standard output and error on a pseudo-terminal, as a person would."""
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | env_changes
    leader, follower = pty.openpty()
    proc = subprocess.Popen(args, stdout=follower, stderr=follower, env=env, cwd=REPO)
    os.close(follower)
    out = b""
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not data:
            break
        out += data
    proc.wait()
    os.close(leader)
    return out.decode()


@pytest.fixture
def bad_spec(tmp_path):
    path = tmp_path / "bad.ns"
    path.write_text("bridge br0 hello_time 2cs\n")
    return path


def test_severities_are_coloured_on_a_terminal(bad_spec):
    out = on_a_terminal([*NETSCRIPT, "check", str(bad_spec)])
    assert f"{bad_spec}:1:23: {RED_BOLD}error\x1b[0m: br0: hello_time 2cs" in out


def test_no_color_and_pipes_get_plain_text(bad_spec):
    out = on_a_terminal([*NETSCRIPT, "check", str(bad_spec)], NO_COLOR="1")
    assert "\x1b[" not in out and f"{bad_spec}:1:23: error: " in out
    piped = subprocess.run([*NETSCRIPT, "check", str(bad_spec)], capture_output=True, text=True, cwd=REPO, check=False)
    text = piped.stdout + piped.stderr
    assert "\x1b[" not in text and f"{bad_spec}:1:23: error: " in text


@pytest.mark.kernel
def test_plan_symbols_are_coloured_on_a_terminal(netns, tmp_path):
    spec = tmp_path / "s.ns"
    spec.write_text("bridge br0 {\n    up\n}\n")
    out = on_a_terminal([*NETSCRIPT, "plan", str(spec), "--netns", netns])
    assert f"1 \x1b[32m\x1b[1m+\x1b[0m create bridge br0 in {netns}" in out
    plain = on_a_terminal([*NETSCRIPT, "plan", str(spec), "--netns", netns], NO_COLOR="1")
    assert f"1 + create bridge br0 in {netns}" in plain
