"""-o FILE where FILE cannot be written: one located error, exit 2, nothing written, no traceback."""

from __future__ import annotations

import os

import pytest
from conftest import EXAMPLES


@pytest.mark.parametrize("command", [["render"], ["fmt"], ["translate"]])
def test_an_output_in_a_missing_directory_is_a_usage_error(cli, tmp_path, command):
    source = os.path.join(EXAMPLES, "lab.ns") if command != ["translate"] else str(tmp_path / "old.sh")
    if command == ["translate"]:
        (tmp_path / "old.sh").write_text("brctl addbr br0\n")
    target = tmp_path / "missing" / "out"
    result = cli(*command, source, "-o", target)
    assert result.exit_code == 2, result.output
    assert f"error: cannot write {target}: No such file or directory [NS110]" in result.stderr
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert not (tmp_path / "missing").exists()
