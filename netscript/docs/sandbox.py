"""Throwaway network namespaces for ``--run``: made, probed, always deleted.

Everything ``--run`` executes goes through ``ip netns exec NAME`` (or ``ip -n
NAME``) into a namespace this module made, named ``nsdoc-`` and a random
suffix; the host's own namespace is never a target. Each namespace is
deleted in a ``finally``, and :func:`deleting_on_signal` turns SIGTERM and
SIGINT into an exception so that the ``finally`` runs on those too.

Whether this kernel can make a link of some kind is tried in a namespace of
its own (:class:`KindProbe`), so probing never disturbs a session.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import uuid

from .. import kinds
from ..ir.model import LinkKind

TIMEOUT = 20  # seconds for one command
PREFIX = "nsdoc-"


class Interrupted(Exception):
    """A signal arrived while namespaces were up (they are deleted on the way out)."""


def ip(*args, netns: str | None = None) -> subprocess.CompletedProcess:
    cmd = ["ip", *(["-n", netns] if netns else []), *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, check=False)


def in_namespace(netns: str, argv: list[str]) -> subprocess.CompletedProcess:
    """Run ``argv`` inside ``netns`` (never anywhere else)."""
    return subprocess.run(["ip", "netns", "exec", netns, *argv], capture_output=True, text=True, timeout=TIMEOUT, check=False)


@contextlib.contextmanager
def deleting_on_signal():
    """SIGTERM (and SIGINT) raise, so the namespaces' ``finally`` runs."""

    def handler(signum, frame):
        raise Interrupted(f"signal {signum}")

    old = {}
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            old[sig] = signal.signal(sig, handler)
        except ValueError:  # not the main thread: leave signals alone
            pass
    try:
        yield
    finally:
        for sig, h in old.items():
            signal.signal(sig, h)


@contextlib.contextmanager
def throwaway_namespace():
    """A fresh, empty namespace, deleted when the block ends however it ends."""
    name = PREFIX + uuid.uuid4().hex[:10]
    subprocess.run(["ip", "netns", "add", name], check=True, capture_output=True, timeout=TIMEOUT)
    try:
        yield name
    finally:
        subprocess.run(["ip", "netns", "delete", name], capture_output=True, timeout=TIMEOUT, check=False)


def kernel_has(kind: LinkKind, netns: str, cache: dict) -> bool:
    """Whether this kernel can make a link of ``kind`` (tried in ``netns``, left as it was)."""
    if kind in cache:
        return cache[kind]
    spec = kinds.spec(kind)
    if kind in (LinkKind.TAP, LinkKind.TUN, LinkKind.PHYSICAL):
        ok = os.path.exists("/dev/net/tun") or kind is LinkKind.PHYSICAL
    elif spec.parent != "required":
        ok = ip("link", "add", "probe0", *spec.probe_words(), netns=netns).returncode == 0
        ip("link", "delete", "probe0", netns=netns)
    else:
        ip("link", "add", "probelow", "type", "veth", "peer", "name", "probelow1", netns=netns)
        ok = ip("link", "add", "link", "probelow", "name", "probe0", *spec.probe_words(), netns=netns).returncode == 0
        ip("link", "delete", "probe0", netns=netns)
        ip("link", "delete", "probelow", netns=netns)
    cache[kind] = ok
    return ok


class KindProbe:
    """Which link kinds this kernel has, tried in a namespace of its own made on first use."""

    def __init__(self, stack: contextlib.ExitStack):
        self.stack = stack
        self.netns: str | None = None
        self.cache: dict = {}

    def has(self, kind: LinkKind) -> bool:
        if kind in self.cache:
            return self.cache[kind]
        if self.netns is None:
            self.netns = self.stack.enter_context(throwaway_namespace())
        return kernel_has(kind, self.netns, self.cache)


def links(netns: str) -> dict[str, str]:
    """The links of a namespace: name -> kind (``""`` for a kind ip does not name)."""
    import json

    done = ip("-d", "-j", "link", "show", netns=netns)
    try:
        found = json.loads(done.stdout or "[]")
    except ValueError:
        return {}
    return {link["ifname"]: link.get("linkinfo", {}).get("info_kind", "") for link in found}


def failure(done: subprocess.CompletedProcess) -> str:
    """What a failed command said: its error, not a warning printed before it.

    ``ip address del 10.0.0.1 dev eth0`` warns about the missing prefix length
    (four lines) and then fails with ``Error: ipv4: Address not found.``.
    """
    lines = [line for line in (done.stderr or "").splitlines() if line.strip()]
    warning = False
    for line in lines:
        if line.lstrip().lower().startswith("warning"):
            warning = True
            continue
        if warning and line[:1] in " \t":
            continue  # the warning's own continuation lines
        return line.strip()
    if lines:
        return lines[-1].strip()
    out = (done.stdout or "").strip().splitlines()
    return out[0] if out else f"exit status {done.returncode}"
