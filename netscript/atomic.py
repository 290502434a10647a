"""Writing a file so that it is either what it was or all of the new content."""

from __future__ import annotations

import os
import tempfile


def atomic_write(path: str, data: bytes | str, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory.

    ``mode`` defaults to the existing file's permissions (0644 for a new file).
    A failure at any point leaves the old file untouched and no temporary file.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    if mode is None:
        mode = os.stat(path).st_mode & 0o7777 if os.path.exists(path) else 0o644
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".netscript-", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
