"""One apply at a time per namespace: an fcntl lock file each, /run/netscript/NS.lock.

Locks are taken in name order, so two applies over overlapping sets of
namespaces cannot each hold one and wait for the other. The namespace the
command runs in may have no name; it is locked under the name of the
/run/netns entry it matches, or under its inode number. Names reach here
validated (NS211: a file name, no ``/``), so one namespace has one lock
name whichever way it was typed. The lock is held from reading the state to
verifying it, so the plan is never based on a state another apply is
changing.

The files are root's and nobody else's to plant: the directory is made
0700 (and an existing one that others may write to is refused), a lock file
is opened without following a symbolic link and must be a regular file with
one link, owned by us. Holders remove their file before they let go of it;
a waiter that then gets the lock of a removed file sees that the path now
names another file (or none) and tries again, so two applies never hold
"the same" lock through two different files.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import time

from ...netlink import rtnl
from ...validate import namespace_name_problem

LOCK_DIR = "/run/netscript"
POLL_SECONDS = 0.1  # how often a --wait with a limit tries again


class LockError(Exception):
    """The lock could not be taken: held past the wait, or the lock path is not ours to use."""


def lock_name(netns: str | None) -> str:
    if netns is not None:
        return netns
    own = os.stat("/proc/thread-self/ns/net")
    try:
        for name in rtnl.named_namespaces():
            st = os.stat(rtnl.namespace_path(name))
            if (st.st_dev, st.st_ino) == (own.st_dev, own.st_ino):
                return name
    except OSError:
        pass
    return f"netns-{own.st_ino}"


def _directory(path: str) -> int:
    """An fd of the lock directory, made 0700 if missing; refused if others could plant files in it."""
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as e:
        raise LockError(f"cannot use {path} for locks: {e.strerror}") from None
    st = os.fstat(fd)
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid():
        os.close(fd)
        raise LockError(f"{path} is not a directory of this user's (owner uid {st.st_uid}); remove it")
    if st.st_mode & 0o077:  # made by an older version, or under umask 0: ours, so make it private
        os.fchmod(fd, 0o700)
    return fd


def _open(dir_fd: int, directory: str, filename: str) -> int | None:
    """The lock file opened (made if missing); None when another apply's sweep removed it as we opened it."""
    path = os.path.join(directory, filename)
    try:
        fd = os.open(filename, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK, 0o600,
                     dir_fd=dir_fd)
    except OSError as e:
        what = "a symbolic link" if e.errno == errno.ELOOP else e.strerror
        raise LockError(f"cannot open the lock file {path}: {what}") from None
    st = os.fstat(fd)
    if st.st_nlink == 0:  # made, then swept (not yet locked, so nobody's) before we could lock it
        os.close(fd)
        return None
    if not stat.S_ISREG(st.st_mode) or st.st_nlink != 1 or st.st_uid != os.geteuid():
        os.close(fd)
        raise LockError(f"the lock file {path} is not a regular file of this user's; remove it")
    return fd


def _same_file(dir_fd: int, filename: str, fd: int) -> bool:
    """Does ``filename`` still name the file open as ``fd`` (not removed by the last holder)?"""
    try:
        now = os.stat(filename, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino)


def _holder(fd: int) -> str:
    with contextlib.suppress(OSError):
        return os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
    return "?"


def _take(dir_fd: int, directory: str, name: str, on_wait, wait: float | None) -> int:
    """The fd of ``name``'s lock file, locked; blocks (up to ``wait`` seconds, None: no limit)."""
    filename = name + ".lock"
    deadline = None if wait is None else time.monotonic() + wait
    told = False
    while True:
        fd = _open(dir_fd, directory, filename)
        if fd is None:
            continue
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _holder(fd)
                if on_wait is not None and not told:
                    on_wait(name, holder)
                    told = True
                if deadline is None:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                else:
                    while True:
                        if time.monotonic() >= deadline:
                            raise LockError(
                                f"another apply (pid {holder}) still holds namespace {name} after {wait:g} s"
                            ) from None
                        time.sleep(POLL_SECONDS)
                        try:
                            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                            break
                        except BlockingIOError:
                            continue
            if _same_file(dir_fd, filename, fd):
                os.ftruncate(fd, 0)
                os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
                return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # the holder removed it as we waited: lock the file that is there now


def _release(dir_fd: int, name: str, fd: int) -> None:
    # removed while still held, so no newcomer can lock this file and think it holds the namespace
    with contextlib.suppress(OSError):
        if _same_file(dir_fd, name + ".lock", fd):
            os.unlink(name + ".lock", dir_fd=dir_fd)
    os.close(fd)


def sweep(directory: str = LOCK_DIR) -> None:
    """Remove lock files nobody holds (left by an apply that was killed, or by older versions)."""
    try:
        dir_fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return
    try:
        for filename in os.listdir(dir_fd):
            if not filename.endswith(".lock"):
                continue
            try:
                fd = os.open(filename, os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK, dir_fd=dir_fd)
            except OSError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                continue
            st = os.fstat(fd)
            if stat.S_ISREG(st.st_mode) and st.st_nlink == 1 and st.st_uid == os.geteuid():
                _release(dir_fd, filename[: -len(".lock")], fd)  # anything else: not ours to remove
            else:
                os.close(fd)
    finally:
        os.close(dir_fd)


@contextlib.contextmanager
def hold(namespaces, *, directory: str = LOCK_DIR, on_wait=None, wait: float | None = None):
    """Hold the locks of ``namespaces`` (None: the caller's) until the block ends.

    ``on_wait(namespace, holder_pid)`` is called before blocking on a lock
    another process holds; ``wait`` bounds the blocking (seconds), after
    which :class:`LockError` names the holder.
    """
    names = sorted({lock_name(ns) for ns in namespaces})
    for name in names:
        if problem := namespace_name_problem(name):  # validation (NS211) keeps these from coming here
            raise LockError(problem)
    dir_fd = _directory(directory)
    sweep(directory)
    held: list[tuple[str, int]] = []
    try:
        for name in names:
            held.append((name, _take(dir_fd, directory, name, on_wait, wait)))
        yield names
    finally:
        for name, fd in reversed(held):
            _release(dir_fd, name, fd)
        os.close(dir_fd)
