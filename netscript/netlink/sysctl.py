"""Sysctls of a network namespace: /proc/sys/net as the namespace sees it, read and written.

/proc/sys/net shows the network namespace of the thread that opens a file
there, so the calling thread joins the namespace for the moment it opens one
and then goes home, as :func:`.rtnl.socket_in` does for a socket. Nothing
else of the process moves.
"""

from __future__ import annotations

import contextlib
import os

from . import rtnl

PROC_SYS = "/proc/sys"


@contextlib.contextmanager
def _inside(netns: str | None):
    if netns is None:
        yield
        return
    target = rtnl.open_namespace(netns)
    home = os.open("/proc/thread-self/ns/net", os.O_RDONLY | os.O_CLOEXEC)
    try:
        rtnl._setns(target)
        try:
            yield
        finally:
            rtnl._setns(home)
    finally:
        os.close(target)
        os.close(home)


def path_of(parts: tuple[str, ...]) -> str:
    return os.path.join(PROC_SYS, *parts)


def normal(value: str) -> str:
    """A value as sysctl(8) compares it: fields separated by one space (the kernel writes tabs)."""
    return " ".join(value.split())


def read(netns: str | None, parts: tuple[str, ...]) -> str | None:
    """The value of /proc/sys/PARTS in ``netns`` (None: no such key there, such as a link not made yet)."""
    with _inside(netns):
        try:
            with open(path_of(parts)) as f:
                return normal(f.read())
        except FileNotFoundError:
            return None


def write(netns: str | None, parts: tuple[str, ...], value: str) -> None:
    """Write ``value``; raises OSError as the kernel refuses it (EINVAL for a value out of range)."""
    with _inside(netns), open(path_of(parts), "w") as f:
        f.write(value)
