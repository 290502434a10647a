"""Shared fixtures: throwaway network namespaces and the CLI.

Tests that touch the kernel run in a namespace made for them and deleted
afterwards (with every namespace named after it), never in the host's own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid

import pytest
from click.testing import CliRunner

from netscript.cli import main

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(REPO, "examples")


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
