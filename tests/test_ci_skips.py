"""Under CI, a test may skip only because of the kernel (tests/conftest.py's hook).

Each case runs a small test file through pytest in a subprocess with
tests/conftest.py loaded as a plugin, once as CI runs it and once as a
developer does, and compares what became of each test.
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET

from conftest import REPO

TESTS = os.path.join(REPO, "tests")

CASES = '''
import pytest

@pytest.fixture
def lab():
    pytest.skip("kernel-lab tests run inside the QEMU guest: bash tests/kernel/run")

def test_tool_missing():
    pytest.skip("needs frobctl (frob-utils)")

@pytest.mark.skipif(True, reason="needs root to create network namespaces")
def test_root_missing():
    pass

def test_kernel_lab_on_the_host(lab):
    pass

def test_driver_missing():
    pytest.skip("this kernel lacks the bonding driver")

@pytest.mark.xfail(reason="a known bug", strict=True)
def test_known_bug():
    assert False

def test_passes():
    pass
'''


def outcomes(tmp_path, source: str, ci: str | None) -> tuple[int, dict[str, str], str]:
    """pytest's exit status, {test name: outcome} and its output for `source` as a test file."""
    (tmp_path / "test_cases.py").write_text(source)
    junit = tmp_path / "junit.xml"
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci is not None:
        env["CI"] = ci
    env["PYTHONPATH"] = os.pathsep.join([TESTS, env.get("PYTHONPATH", "")])
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "conftest", "-p", "no:cacheprovider", "-q",
         "--rootdir", str(tmp_path), f"--junitxml={junit}", "test_cases.py"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
    )
    seen = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        kinds = [child.tag for child in case if child.tag in ("failure", "error", "skipped")]
        seen[case.get("name")] = kinds[0] if kinds else "passed"
    return proc.returncode, seen, proc.stdout + proc.stderr


def test_a_developer_sees_every_skip_as_a_skip(tmp_path):
    for ci in (None, "false"):
        status, seen, output = outcomes(tmp_path, CASES, ci)
        assert status == 0, output
        assert seen == {
            "test_tool_missing": "skipped",
            "test_root_missing": "skipped",
            "test_kernel_lab_on_the_host": "skipped",
            "test_driver_missing": "skipped",
            "test_known_bug": "skipped",  # junit's word for xfailed
            "test_passes": "passed",
        }


def test_under_ci_only_the_kernel_may_be_a_reason_to_skip(tmp_path):
    status, seen, output = outcomes(tmp_path, CASES, "true")
    assert status == 1, output
    assert seen == {
        "test_tool_missing": "failure",
        "test_root_missing": "error",  # the skip happened in setup
        "test_kernel_lab_on_the_host": "skipped",
        "test_driver_missing": "skipped",
        "test_known_bug": "skipped",
        "test_passes": "passed",
    }
    assert "skipped under CI: needs frobctl (frob-utils)" in output
    assert "skipped under CI: needs root to create network namespaces" in output


def test_under_ci_a_module_skipped_for_a_tool_is_a_collection_error(tmp_path):
    source = 'import pytest\npytest.skip("needs teamd (libteam-utils)", allow_module_level=True)\n'
    status, _, output = outcomes(tmp_path, source, None)
    assert status == 5, output  # nothing ran, nothing failed
    status, _, output = outcomes(tmp_path, source, "true")
    assert status == 2, output
    assert "skipped under CI: needs teamd (libteam-utils)" in output
