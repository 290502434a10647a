"""What plan and apply print when nobody, or nothing, is there to use it."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import REPO
from test_apply_interrupt import big_spec

pytestmark = pytest.mark.kernel


def test_plan_on_a_missing_namespace_reports_it_and_shows_no_plan(cli, tmp_path):
    spec = tmp_path / "s.ns"
    spec.write_text("bridge br0 {\n    up\n}\n")
    result = cli("plan", spec, "--netns", "ns-does-not-exist")
    assert result.exit_code == 1
    assert "namespace ns-does-not-exist does not exist [NS501]" in result.stderr
    assert result.stdout == ""


def test_apply_into_a_closed_pipe_exits_as_the_apply_did(netns, tmp_path):
    # `netscript apply big.ns | head -1`: the reader leaves after one line of a long report
    spec = tmp_path / "big.ns"
    big_spec(spec, bridges=80)  # a report longer than a pipe holds (64 KiB)
    proc = subprocess.Popen([sys.executable, "-m", "netscript", "apply", str(spec), "--netns", netns],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0)
    first = proc.stdout.readline()  # unbuffered: this reader takes the first line and no more
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0, err
    assert first.startswith(b"  1 + create bridge br0")
    assert err == ""
