"""SIGINT, SIGTERM and SIGHUP during apply: the namespace ends as it was, or as the spec says.

Two ways in. In process, a real signal is sent to this process from the
fault hook just before a chosen kernel operation, so every kind of step is
interrupted at a known point. As a whole command, `netscript apply` of a
1,000-link spec is signalled from outside once the kernel shows a given
number of its links, as a user's Ctrl-C or a service manager's stop would.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from conftest import REPO
from live_helpers import count_operations, placed, state_of
from test_apply_rollback import EVERY_STEP, build_before

from netscript.backends import netlink

pytestmark = pytest.mark.kernel

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def signal_at(number: int, signum: int):
    """A fault hook that does not fail: it sends ``signum`` to this process before operation ``number``."""

    def hook(op, step, description):
        if op == number:
            os.kill(os.getpid(), signum)

    return hook


def test_a_signal_before_any_operation_of_every_kind_undoes_everything(netns, tmp_path):
    spec = tmp_path / "every.ns"
    spec.write_text(EVERY_STEP)
    scratch = netns + "-count"
    build_before(scratch)
    operations = count_operations(placed(spec, scratch), prune=True)
    handlers = {s: signal.getsignal(s) for s in SIGNALS}

    for number in range(operations):
        signum = SIGNALS[number % len(SIGNALS)]
        ns = f"{netns}-at{number}"
        build_before(ns)
        before = state_of(ns)
        result = netlink.apply(placed(spec, ns), prune=True, faults=signal_at(number, signum))
        assert result.interrupted is not None and result.interrupted.signum == signum
        assert result.rolled_back
        [report] = [d for d in result.problems if d.code == "NS512"]
        assert report.message.startswith(f"interrupted by {signal.Signals(signum).name}: ")
        assert "the namespaces are as they were" in report.message
        assert not any(d.code == "NS507" for d in result.problems)
        assert state_of(ns) == before, f"not restored after {signum!r} at operation {number}"
    # the process's own handlers are back once apply returns
    assert {s: signal.getsignal(s) for s in SIGNALS} == handlers


def big_spec(path, bridges: int = 53, ports: int = 9) -> int:
    """``bridges`` bridges with ``ports`` veth pairs each as ports; returns the number of links."""
    lines = []
    for b in range(bridges):
        names = " ".join(f"v{b}x{p}" for p in range(ports))
        lines.append(f"bridge br{b} stp_state off {{\n    ports {names}\n    up\n}}")
        lines += [f"veth v{b}x{p} peer w{b}x{p} {{ up }}" for p in range(ports)]
    path.write_text("\n".join(lines) + "\n")
    return bridges * (1 + 2 * ports)


def link_count(ns: str) -> int:
    out = subprocess.run(["ip", "-n", ns, "-o", "link", "show"], capture_output=True, text=True, check=True).stdout
    return len(out.splitlines()) - 1  # lo


@pytest.mark.parametrize("signum", SIGNALS, ids=lambda s: signal.Signals(s).name)
def test_the_command_signalled_mid_apply_undoes_or_finishes(netns, tmp_path, signum):
    spec = tmp_path / "big.ns"
    total = big_spec(spec)
    assert total == 1007
    outcomes = []
    for point, threshold in enumerate((1, 300, 900)):
        ns = f"{netns}-p{point}"
        subprocess.run(["ip", "netns", "add", ns], check=True)
        before = state_of(ns)
        proc = subprocess.Popen(
            [sys.executable, "-m", "netscript", "apply", str(spec), "--netns", ns],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        deadline = time.monotonic() + 120
        while proc.poll() is None and link_count(ns) < threshold and time.monotonic() < deadline:
            time.sleep(0.005)
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=300)
        assert "Traceback" not in err and "internal error" not in err, err
        if proc.returncode == 0:  # the signal came after the last change: all of it, verified
            assert "applied" in out and link_count(ns) == total
            outcomes.append("done")
        else:
            assert proc.returncode == 128 + signum, (proc.returncode, err)
            assert f"error: interrupted by {signal.Signals(signum).name}" in err
            assert "[NS512]" in err
            assert state_of(ns) == before, f"{ns}: not as before after {signum!r} at {threshold} links"
            outcomes.append("undone")
    # at least the early points landed mid-apply (the test would prove nothing otherwise)
    assert outcomes[:2] == ["undone", "undone"], outcomes
