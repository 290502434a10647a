"""Writing a file so that it is either what it was or all of the new content."""

from __future__ import annotations

import os
import stat
import tempfile


def atomic_write(path: str, data: bytes | str, mode: int | None = None, *, like: str | None = None) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory.

    A file that exists keeps its permissions and its owner and group, as
    ``sed -i`` keeps them; if ``mode`` asks for execute permission, the file
    gets it where it is readable (0640 -> 0750). A new file gets ``mode``
    (0644 when not given). ``like`` names another file to take permissions
    and owner from (a backup of it, say). A failure at any point leaves the
    old file untouched and no temporary file.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        model = os.stat(like or path)
    except FileNotFoundError:
        model = None
    if model is None:
        final, owner = (0o644 if mode is None else mode), None
    else:
        final, owner = stat.S_IMODE(model.st_mode), (model.st_uid, model.st_gid)
        if mode is not None and mode & 0o111:
            final |= (final & 0o444) >> 2  # r -> x for whoever may read it
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".netscript-", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            if owner is not None:
                _chown(f.fileno(), *owner)
            os.fchmod(f.fileno(), final)  # after chown, which may clear set-id bits
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _chown(fd: int, uid: int, gid: int) -> None:
    """Give the new file the old one's owner and group, or as much of it as we may (as sed -i)."""
    try:
        os.fchown(fd, uid, gid)
    except PermissionError:
        try:
            os.fchown(fd, -1, gid)
        except PermissionError:
            pass
