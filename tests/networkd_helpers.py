"""The real systemd-networkd in a throwaway namespace, for the tests of `render --to networkd`.

tests/networkd/run-networkd.sh starts Debian's networkd inside a network namespace, under a
private mount namespace with our files bind-mounted on /etc/systemd/network (the host's
networkd, /etc and /run are never touched). This waits until the namespace is what the spec
says, or a time limit passes, and always stops networkd.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

LAUNCHER = Path(__file__).parent / "networkd" / "run-networkd.sh"
NETWORKD = "/lib/systemd/systemd-networkd"


@contextlib.contextmanager
def networkd(ns: str, confdir: Path, log: Path):
    """networkd running in ``ns`` on the files in ``confdir`` (its log in ``log``) for the block."""
    with open(log, "w") as out:
        proc = subprocess.Popen(
            ["sh", str(LAUNCHER), ns, str(confdir), "120"], stdout=out, stderr=out, start_new_session=True
        )
    try:
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def wait_until(done, proc: subprocess.Popen, limit: float = 15.0, step: float = 0.2):
    """Call ``done()`` until it returns nothing left to do (an empty list), up to ``limit``
    seconds or until networkd's launcher ``proc`` has exited; return its last answer."""
    deadline = time.monotonic() + limit
    while True:
        answer = done()
        if not answer or time.monotonic() > deadline or proc.poll() is not None:
            return answer
        time.sleep(step)
