"""Shared fixtures: throwaway network namespaces and the CLI.

Tests that touch the kernel run in a namespace made for them and deleted
afterwards (with every namespace named after it), never in the host's own.

Under CI (the CI environment variable set, as CI services do and .ci/run
does), a skip is an error unless its reason names the kernel: a test may skip
because this machine's kernel lacks (or has) a driver, as the kernel-lab tests
do on the host, but not because a tool, a package or root is missing, which
tests/system-packages.txt and the test extras are there to provide.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import uuid

import pytest
from click.testing import CliRunner

from netscript.cli import main

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(REPO, "examples")


# A skip reason that names the kernel: "kernel-lab tests run inside the QEMU
# guest", "this kernel has the team driver". The host kernel lacks drivers the
# kernel lab has; any other reason is something CI should have installed.
EXPECTED_SKIP = re.compile(r"\bkernel\b", re.IGNORECASE)


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _fail_unexpected_skip(report) -> None:
    if not report.skipped or hasattr(report, "wasxfail") or not in_ci():
        return
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    reason = reason.removeprefix("Skipped: ")
    if EXPECTED_SKIP.search(reason):
        return
    where = f"{longrepr[0]}:{longrepr[1]}: " if isinstance(longrepr, tuple) else ""
    report.outcome = "failed"
    report.longrepr = (
        f"{where}skipped under CI: {reason}\n"
        "Only a kernel that lacks a driver may skip a test in CI: install what this one needs "
        "(tests/system-packages.txt, the test extras in setup.cfg)."
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    _fail_unexpected_skip(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    _fail_unexpected_skip(outcome.get_result())


def _can_make_namespaces() -> str | None:
    if os.geteuid() != 0:
        return "needs root to create network namespaces"
    if shutil.which("ip") is None:
        return "needs iproute2"
    return None


def delete_namespaces(prefix: str) -> None:
    out = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    for line in out.splitlines():
        name = line.split()[0] if line.split() else ""
        if name == prefix or name.startswith(prefix + "-"):
            subprocess.run(["ip", "netns", "delete", name], capture_output=True)


@pytest.fixture
def netns():
    """A fresh namespace `ns-XXXXXXXX`; it and any `ns-XXXXXXXX-*` are deleted afterwards."""
    reason = _can_make_namespaces()
    if reason:
        pytest.skip(reason)
    name = "ns-" + uuid.uuid4().hex[:8]
    subprocess.run(["ip", "netns", "add", name], check=True)
    try:
        yield name
    finally:
        delete_namespaces(name)


@pytest.fixture
def cli():
    """Invoke the CLI in-process: cli("render", "x.ns") -> click Result."""
    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)

    return invoke


def ns_run(netns: str, *args, check=True) -> subprocess.CompletedProcess:
    """Run a command inside a namespace."""
    return subprocess.run(["ip", "netns", "exec", netns, *args], capture_output=True, text=True, check=check)
