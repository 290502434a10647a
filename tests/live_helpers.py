"""Helpers for the netlink backend's kernel tests: watching netlink, comparing namespaces, faults.

The state oracle is tests/kernelstate.py (`ip -d -j`), independent of the
netlink backend's own reader, so a wrong read-back in netscript cannot hide
a wrong write.
"""

from __future__ import annotations

import errno
import queue
import subprocess
import threading

from kernelstate import snapshot

from netscript.backends.netlink.kernel import KernelError
from netscript.frontends import load
from netscript.placement import place

SENTINEL = "nsmon0"


def placed(path, ns: str):
    """The spec at ``path``, with unqualified links in ``ns`` and declared namespaces named ``ns-NAME``."""
    loaded = load(str(path))
    assert loaded.program is not None, loaded.diagnostics
    return place(loaded.program, netns=ns, prefix=ns + "-")


def ip(ns: str, *words: str) -> None:
    subprocess.run(["ip", "-n", ns, *words], check=True, capture_output=True)


def namespaces_named(prefix: str) -> list[str]:
    out = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, check=True).stdout
    names = [line.split()[0] for line in out.splitlines() if line.split()]
    return sorted(n for n in names if n == prefix or n.startswith(prefix + "-"))


# Attributes a rollback cannot give back and that are not configuration: a
# link made again gets a new ifindex, and a device that was up once keeps
# the qdisc it was given (noqueue) where a never-opened one shows noop.
NOT_RESTORABLE = ("ifindex", "qdisc", "link_index")


def _without(value):
    if isinstance(value, dict):
        return {k: _without(v) for k, v in value.items() if k not in NOT_RESTORABLE}
    if isinstance(value, (list, tuple)):
        return [_without(v) for v in value]
    return value


def state_of(prefix: str):
    """Every namespace named ``prefix`` or ``prefix-*`` with its links and addresses."""
    names = namespaces_named(prefix)
    return names, _without(snapshot(names))


def fail_at(number: int, code: int = errno.EPERM):
    """A ``faults`` hook: operation ``number`` fails as if the kernel refused it."""

    def hook(op, step, description):
        if op == number:
            raise KernelError(code, f"injected failure before: {description}")

    return hook


def count_operations(program, **options) -> int:
    """Apply ``program`` and return how many kernel operations it took."""
    from netscript.backends import netlink

    seen = []
    result = netlink.apply(program, faults=lambda op, step, description: seen.append(op), **options)
    assert result.ok, [d.message for d in result.problems]
    return len(seen)


def settle(ns: str, quiet: float = 1.5, limit: float = 60) -> None:
    """Wait until the kernel has finished what it does on its own after a change.

    Links coming up set off work that is not a request: IPv6 link-local
    addresses after duplicate address detection, carrier changes from the
    link watcher. Tests that count events wait until no address is still
    tentative and ``quiet`` seconds pass without any event before they start
    counting. Quiet alone is not enough: duplicate address detection waits a
    random delay of up to a second and then a second per probe, so under
    emulation a tentative address can sit silent for longer than ``quiet``
    before the kernel reports it settled.
    """
    import time

    proc = subprocess.Popen(["ip", "-n", ns, "monitor", "link", "address"], stdout=subprocess.PIPE, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True).start()
    deadline = time.monotonic() + limit
    try:
        while time.monotonic() < deadline:
            try:
                lines.get(timeout=quiet)
            except queue.Empty:
                if not tentative_addresses(ns):
                    return
    finally:
        proc.terminate()
        proc.wait()


def tentative_addresses(ns: str) -> list[str]:
    """The links in ``ns`` that are up with an IPv6 address still under duplicate address detection.

    A link that is down is left out: detection waits for it to come up, so
    its addresses stay tentative for good and waiting for them would only time out.
    """
    import json

    out = subprocess.run(
        ["ip", "-n", ns, "-j", "-6", "address", "show", "tentative"], capture_output=True, text=True, check=True
    ).stdout
    return [e["ifname"] for e in json.loads(out or "[]") if "UP" in e.get("flags", [])]


class Monitor:
    """Netlink events (``objects``: link and address unless told) in a namespace between entering and leaving the block.

    `ip monitor` runs in the background; a sentinel link added on entry and
    deleted on exit marks where the watched stretch starts and ends, so no
    event is missed and nothing is timed.
    """

    def __init__(self, ns: str, objects: tuple[str, ...] = ("link", "address")):
        self.ns = ns
        self.objects = objects
        self.events: list[str] = []
        self.lines: queue.Queue = queue.Queue()

    def __enter__(self):
        self.proc = subprocess.Popen(
            ["ip", "-n", self.ns, "monitor", *self.objects], stdout=subprocess.PIPE, text=True, bufsize=1
        )
        threading.Thread(target=self._pump, daemon=True).start()
        ip(self.ns, "link", "add", SENTINEL, "type", "bridge")
        # `ip monitor` may not have subscribed yet: poke the sentinel until an event shows it is listening
        for mtu in [1400, 1500] * 60:
            try:
                self._until(lambda line: SENTINEL in line and not line.startswith("Deleted"), wait=0.5)
                break
            except queue.Empty:
                ip(self.ns, "link", "set", SENTINEL, "mtu", str(mtu))
        else:
            raise RuntimeError("ip monitor never reported the sentinel link")
        self._drain_sentinel()
        return self

    def _drain_sentinel(self):
        """Skip the sentinel's own events still on the way (from the pokes)."""
        while True:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                return
            if line and not line[0].isspace() and SENTINEL not in line:
                self.lines.queue.appendleft(line)
                return

    def __exit__(self, *exc):
        try:
            ip(self.ns, "link", "del", SENTINEL)
            seen = self._until(lambda line: line.startswith("Deleted") and SENTINEL in line)
            self.events = [line for line in seen if SENTINEL not in line]
        finally:
            self.proc.terminate()
            self.proc.wait()

    def _pump(self):
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def _until(self, done, wait: float = 30) -> list[str]:
        """Event lines (continuation lines, which are indented, left out) up to the one ``done`` accepts."""
        seen = []
        while True:
            line = self.lines.get(timeout=wait)
            if not line or line[0].isspace():
                continue
            if done(line):
                return seen
            seen.append(line)
