"""The apply lock as root: no symlink followed, no file truncated, a bounded wait, nothing left behind.

And the namespace names that reach it: --netns and --netns-prefix are held
to the same rule as a declared namespace (NS211), so a path never gets as
far as /run/netns or the lock directory.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest
from conftest import REPO

from netscript.backends.netlink import lock

pytestmark = pytest.mark.kernel


@pytest.fixture
def lock_dir(tmp_path):
    return str(tmp_path / "locks")


def test_a_symlink_planted_at_the_lock_path_is_refused_and_its_target_untouched(lock_dir, tmp_path):
    os.makedirs(lock_dir, mode=0o700)
    target = tmp_path / "precious"
    target.write_text("keep me\n")
    os.symlink(target, os.path.join(lock_dir, "x.lock"))
    with pytest.raises(lock.LockError, match="symbolic link"), lock.hold(["x"], directory=lock_dir):
        pass
    assert target.read_text() == "keep me\n"


@pytest.mark.parametrize("kind", ["directory", "fifo", "hard link"])
def test_something_else_at_the_lock_path_is_named_as_such(lock_dir, tmp_path, kind):
    os.makedirs(lock_dir, mode=0o700)
    path = os.path.join(lock_dir, "x.lock")
    if kind == "directory":
        os.mkdir(path)
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        other = tmp_path / "other"
        other.write_text("1\n")
        os.link(other, path)
    with pytest.raises(lock.LockError, match=r"lock file .*x\.lock"), lock.hold(["x"], directory=lock_dir):
        pass


def test_under_umask_0_the_directory_and_files_stay_private(lock_dir):
    old = os.umask(0)
    try:
        with lock.hold(["x"], directory=lock_dir):
            assert stat.S_IMODE(os.stat(lock_dir).st_mode) == 0o700
            assert stat.S_IMODE(os.stat(os.path.join(lock_dir, "x.lock")).st_mode) == 0o600
    finally:
        os.umask(old)


def test_a_world_writable_directory_of_ours_is_made_private(lock_dir):
    os.makedirs(lock_dir)
    os.chmod(lock_dir, 0o777)
    with lock.hold(["x"], directory=lock_dir):
        assert stat.S_IMODE(os.stat(lock_dir).st_mode) == 0o700


def test_the_holders_pid_is_in_the_file_and_the_file_goes_when_released(lock_dir):
    with lock.hold(["a", "b"], directory=lock_dir), open(os.path.join(lock_dir, "a.lock")) as f:
        assert f.read() == f"{os.getpid()}\n"
    assert os.listdir(lock_dir) == []


def test_lock_files_nobody_holds_are_swept(lock_dir):
    os.makedirs(lock_dir, mode=0o700)
    for name in ("gone1", "gone2"):
        with open(os.path.join(lock_dir, name + ".lock"), "w") as f:
            f.write("12345\n")
    with lock.hold(["x"], directory=lock_dir):
        assert sorted(os.listdir(lock_dir)) == ["x.lock"]


def hold_in_child(lock_dir: str, name: str) -> subprocess.Popen:
    code = (
        "import sys, time\nfrom netscript.backends.netlink import lock\n"
        f"with lock.hold([{name!r}], directory={lock_dir!r}):\n    print('held', flush=True)\n    time.sleep(60)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code], cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline() == "held\n"
    return child


def test_wait_gives_up_and_names_the_holder(lock_dir):
    child = hold_in_child(lock_dir, "x")
    try:
        told = []
        holder = rf"another apply \(pid {child.pid}\) still holds namespace x after 0.3 s"
        on_wait = lambda n, pid: told.append((n, pid))
        with pytest.raises(lock.LockError, match=holder), lock.hold(["x"], directory=lock_dir, wait=0.3, on_wait=on_wait):
            pass
        assert told == [("x", str(child.pid))]
    finally:
        child.kill()
        child.wait()


def test_a_waiter_does_not_keep_a_removed_file_as_its_lock(lock_dir):
    # the holder removes its file on release; the waiter, blocked on that file,
    # must lock the path's new file, so a third process cannot hold it at once
    child = hold_in_child(lock_dir, "x")
    code = (
        "import os, time\nfrom netscript.backends.netlink import lock\n"
        f"with lock.hold(['x'], directory={lock_dir!r}):\n"
        f"    print(os.stat({lock_dir!r} + '/x.lock').st_ino, flush=True)\n    time.sleep(2)\n"
    )
    waiter = subprocess.Popen([sys.executable, "-c", code], cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        child.kill()
        child.wait()
        inode = int(waiter.stdout.readline())
        with pytest.raises(lock.LockError, match="still holds"), lock.hold(["x"], directory=lock_dir, wait=0.2):
            pass
        assert os.stat(os.path.join(lock_dir, "x.lock")).st_ino == inode
    finally:
        waiter.kill()
        waiter.wait()


def test_the_command_refuses_path_like_netns_values_before_anything(cli, tmp_path):
    spec = tmp_path / "s.ns"
    spec.write_text("netns cl\nbridge br0 netns cl\n")
    for args in (["--netns", "../../proc/1/ns/net"], ["--netns", "/run/netns/x"], ["--netns-prefix", "../../tmp/x-"]):
        for command in ("apply", "plan"):
            result = cli(command, spec, *args)
            assert result.exit_code == 2, (command, args, result.output)
            assert "[NS211]" in result.stderr
            assert "is not a valid namespace name" in result.stderr
    assert not os.path.exists("/tmp/x-cl")
    result = cli("export", "--netns", "../../proc/1/ns/net")
    assert result.exit_code == 2 and "[NS211]" in result.stderr


def test_apply_with_wait_gives_up_with_ns513_and_changes_nothing(cli, netns, tmp_path):
    spec = tmp_path / "br.ns"
    spec.write_text("bridge br0 {\n    up\n}\n")
    child = hold_in_child(lock.LOCK_DIR, netns)
    try:
        result = cli("apply", spec, "--netns", netns, "--wait", "0.2")
    finally:
        child.kill()
        child.wait()
    assert result.exit_code == 1
    assert f"still holds namespace {netns} after 0.2 s [NS513]" in result.stderr
    out = subprocess.run(["ip", "-n", netns, "-o", "link"], capture_output=True, text=True, check=True).stdout
    assert "br0" not in out


def test_apply_leaves_no_lock_file(cli, netns, tmp_path):
    spec = tmp_path / "br.ns"
    spec.write_text("bridge br0 {\n    up\n}\n")
    assert cli("apply", spec, "--netns", netns).exit_code == 0
    assert not os.path.exists(os.path.join(lock.LOCK_DIR, netns + ".lock"))
