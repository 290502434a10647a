"""Parallel applies on one machine (the Ansible tests run 20): a lock file swept away as it is opened.

Every apply sweeps the lock files nobody holds. One made by another apply
an instant ago is nobody's until that apply locks it; swept then, the other
apply holds a file with no name, which it must open again rather than
refuse ("not a regular file of this user's").
"""

from __future__ import annotations

import os

from netscript.backends.netlink import lock


def test_a_lock_file_swept_away_between_open_and_lock_is_opened_again(tmp_path, monkeypatch):
    directory = tmp_path / "locks"
    real_open = os.open
    swept = []

    def open_then_swept(path, flags, mode=0o777, *, dir_fd=None):
        fd = real_open(path, flags, mode, dir_fd=dir_fd)
        if path == "lab.lock" and not swept:  # another apply's sweep, right after our open
            os.unlink(path, dir_fd=dir_fd)
            swept.append(path)
        return fd

    monkeypatch.setattr(lock.os, "open", open_then_swept)
    with lock.hold(["lab"], directory=str(directory)):
        monkeypatch.undo()
        assert swept == ["lab.lock"]
        held = directory / "lab.lock"
        assert held.read_text() == f"{os.getpid()}\n"
    assert not held.exists()
