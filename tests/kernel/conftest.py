"""Kernel-lab tier: tests that need a kernel with bonding/team/8021q/ipvlan/dummy/vrf.

They run only inside the QEMU guest started by ``bash tests/kernel/run``, which exports
``NETSCRIPT_KERNEL_LAB=1`` in the guest. Anywhere else (a plain ``pytest`` on the host) every
test under this directory is collected and skipped, so nothing here ever touches the host's
network state.

Fixtures:
  netns        name of a fresh, uniquely named network namespace; deleted afterwards
               (processes still running in it, e.g. a forgotten teamd, are killed first)
  ns_exec      ns_exec(ns, *argv, check=True, input=None, timeout=60) -> CompletedProcess
               runs argv through ``ip netns exec ns`` (text mode, output captured)
  nsrun        nsrun(*argv, **kw): ns_exec bound to the ``netns`` fixture
  link_state   link_state(ns) -> {ifname: link dict} from ``ip -n ns -d -j link show``
  make_netns   make_netns() -> name of one more fresh namespace (call it as often as needed);
               all of them deleted afterwards, their processes killed first
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

# tests/ holds helpers shared with the host tier (kernelstate.py, networkd_helpers.py)
_TESTS = str(Path(__file__).resolve().parents[1])
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)

ENV_MARKER = "NETSCRIPT_KERNEL_LAB"
SKIP_REASON = "kernel-lab tests run inside the QEMU guest: bash tests/kernel/run"
_HERE = Path(__file__).resolve().parent
_counter = itertools.count()


def in_guest() -> bool:
    return os.environ.get(ENV_MARKER) == "1"


def pytest_collection_modifyitems(config, items):
    # This hook sees the whole session's items, not only ours: skip just tests/kernel/.
    if in_guest():
        return
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        if _HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(skip)


def _run(argv, *, check=True, input=None, timeout=60):
    proc = subprocess.run(
        [str(a) for a in argv],
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and proc.returncode != 0:
        raise AssertionError(
            f"command failed (rc={proc.returncode}): {' '.join(proc.args)}\n"
            f"stdout: {proc.stdout}\nstderr: {proc.stderr}"
        )
    return proc


def ns_exec(ns, *argv, check=True, input=None, timeout=60):
    """Run argv inside network namespace ns; return the CompletedProcess."""
    return _run(["ip", "netns", "exec", ns, *argv], check=check, input=input, timeout=timeout)


def link_state(ns):
    """``ip -n ns -d -j link show`` as {ifname: link}."""
    out = _run(["ip", "-n", ns, "-d", "-j", "link", "show"]).stdout
    return {link["ifname"]: link for link in json.loads(out or "[]")}


def _kill_ns_pids(ns):
    pids = _run(["ip", "netns", "pids", ns], check=False).stdout.split()
    for sig in (signal.SIGTERM, signal.SIGKILL):
        alive = []
        for pid in pids:
            try:
                os.kill(int(pid), sig)
                alive.append(pid)
            except (ProcessLookupError, ValueError):
                pass
        if not alive:
            return
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            pids = [p for p in alive if Path(f"/proc/{p}").exists()]
            if not pids:
                return
            time.sleep(0.05)


@pytest.fixture
def netns():
    if not in_guest():  # belt and braces: never create namespaces on the host
        pytest.skip(SKIP_REASON)
    name = f"nsk{os.getpid()}-{next(_counter)}"
    _run(["ip", "netns", "add", name])
    try:
        yield name
    finally:
        _kill_ns_pids(name)
        _run(["ip", "netns", "del", name], check=False)


@pytest.fixture(name="ns_exec")
def ns_exec_fixture():
    return ns_exec


@pytest.fixture
def nsrun(netns):
    def run(*argv, **kw):
        return ns_exec(netns, *argv, **kw)

    return run


@pytest.fixture(name="link_state")
def link_state_fixture():
    return link_state


@pytest.fixture
def make_netns():
    """A factory of fresh namespaces, for tests that compare several (e.g. a legacy script's
    and its translation's). Every namespace it made is deleted afterwards."""
    if not in_guest():  # belt and braces: never create namespaces on the host
        pytest.skip(SKIP_REASON)
    made = []

    def make():
        name = f"nsk{os.getpid()}-{next(_counter)}"
        _run(["ip", "netns", "add", name])
        made.append(name)
        return name

    try:
        yield make
    finally:
        for name in made:
            _kill_ns_pids(name)
            _run(["ip", "netns", "del", name], check=False)


def derived_namespaces(ns: str) -> list[str]:
    out = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, check=True).stdout
    return [line.split()[0] for line in out.splitlines() if line.split() and line.split()[0].startswith(ns + "-")]


@pytest.fixture
def spec_ns(netns):
    """The test namespace; the spec's own namespaces (NS-*) are deleted afterwards too."""
    try:
        yield netns
    finally:
        for name in derived_namespaces(netns):
            pids = subprocess.run(["ip", "netns", "pids", name], capture_output=True, text=True, check=False).stdout.split()
            for pid in pids:
                subprocess.run(["kill", "-9", pid], capture_output=True, check=False)
            subprocess.run(["ip", "netns", "delete", name], capture_output=True, check=False)
