"""-v says what is read, planned and run, on standard error, before or after the command's name."""

from __future__ import annotations

import os

from conftest import EXAMPLES

LAB = os.path.join(EXAMPLES, "lab.ns")


def test_verbose_before_or_after_the_command_and_only_when_asked(cli, tmp_path):
    out = tmp_path / "lab.sh"
    for args in (["-v", "render", LAB, "-o", out], ["render", "-v", LAB, "-o", out], ["render", LAB, "--verbose", "-o", out]):
        result = cli(*args)
        assert result.exit_code == 0, result.output
        lines = result.stderr.splitlines()
        assert lines[0].startswith(f"netscript: read {LAB}: ") and "link(s)" in lines[0]
        assert lines[-1].startswith(f"netscript: writing {out} (")
    quiet = cli("render", LAB, "-o", out)
    assert quiet.exit_code == 0 and quiet.stderr == ""


def test_verbose_plan_says_what_it_reads_and_plans(cli, netns, tmp_path):
    result = cli("plan", "-v", LAB, "--netns", netns, "--netns-prefix", netns + "-")
    assert f"netscript: reading the live state of {netns}" in result.stderr
    assert "netscript: planned " in result.stderr and "step(s)" in result.stderr
