"""One apply at a time per namespace: an fcntl lock file each, /run/netscript/NS.lock.

Locks are taken in name order, so two applies over overlapping sets of
namespaces cannot each hold one and wait for the other. The namespace the
command runs in may have no name; it is locked under the name of the
/run/netns entry it matches, or under its inode number. The lock is held
from reading the state to verifying it, so the plan is never based on a
state another apply is changing.
"""

from __future__ import annotations

import contextlib
import fcntl
import os

LOCK_DIR = "/run/netscript"
NETNS_RUN_DIR = "/run/netns"


def lock_name(netns: str | None) -> str:
    if netns is not None:
        return netns
    own = os.stat("/proc/thread-self/ns/net")
    try:
        for name in sorted(os.listdir(NETNS_RUN_DIR)):
            st = os.stat(os.path.join(NETNS_RUN_DIR, name))
            if (st.st_dev, st.st_ino) == (own.st_dev, own.st_ino):
                return name
    except OSError:
        pass
    return f"netns-{own.st_ino}"


def _safe(name: str) -> str:
    # a namespace name is a file name already (validation); keep the lock beside it
    return name.replace("/", "_")


@contextlib.contextmanager
def hold(namespaces, *, directory: str = LOCK_DIR, on_wait=None):
    """Hold the locks of ``namespaces`` (None: the caller's) until the block ends.

    ``on_wait(namespace, holder_pid)`` is called before blocking on a lock
    another process holds.
    """
    names = sorted({lock_name(ns) for ns in namespaces})
    files = []
    try:
        os.makedirs(directory, exist_ok=True)
        for name in names:
            f = open(os.path.join(directory, _safe(name) + ".lock"), "a+")  # noqa: SIM115 - held until the block ends
            files.append(f)
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait is not None:
                    f.seek(0)
                    on_wait(name, f.read().strip() or "?")
                fcntl.flock(f, fcntl.LOCK_EX)
            f.seek(0)
            f.truncate()
            f.write(f"{os.getpid()}\n")
            f.flush()
        yield names
    finally:
        for f in reversed(files):
            with contextlib.suppress(OSError):
                fcntl.flock(f, fcntl.LOCK_UN)
            f.close()
