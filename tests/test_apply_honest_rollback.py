"""A rollback report never claims more than was restored: the state is read back after undoing."""

from __future__ import annotations

import errno
import subprocess

import pytest
from live_helpers import placed, state_of

from netscript.backends import netlink
from netscript.backends.netlink.kernel import KernelError

pytestmark = pytest.mark.kernel


def test_a_change_the_undo_does_not_know_of_is_named_not_hidden(netns, tmp_path):
    subprocess.run(["ip", "-n", netns, "link", "add", "keep0", "type", "bridge"], check=True)
    spec = tmp_path / "s.ns"
    spec.write_text("bridge br0 {\n    up\n}\nbridge br1\n")

    def side_effect_then_refusal(op, step, description):
        if op == 1:  # something the journal knows nothing about changes, then a step fails
            subprocess.run(["ip", "-n", netns, "link", "set", "keep0", "mtu", "1280"], check=True)
            raise KernelError(errno.EPERM, "injected failure")

    result = netlink.apply(placed(spec, netns), faults=side_effect_then_refusal)
    assert not result.ok and result.rolled_back
    messages = [d.message for d in result.problems]
    assert f"could not undo: keep0 in namespace {netns} differs from before after undoing" in messages
    failure = next(d.message for d in result.problems if d.code == "NS503")
    assert "as they were" not in failure and "(see NS507)" in failure


def test_a_clean_rollback_still_says_as_they_were(netns, tmp_path):
    spec = tmp_path / "s.ns"
    spec.write_text("bridge br0 {\n    up\n}\nbridge br1\n")
    before = state_of(netns)

    def refuse_second(op, step, description):
        if op == 1:
            raise KernelError(errno.EPERM, "injected failure")

    result = netlink.apply(placed(spec, netns), faults=refuse_second)
    failure = next(d.message for d in result.problems if d.code == "NS503")
    assert failure.endswith("the 1 change(s) made were undone, the namespaces are as they were")
    assert state_of(netns) == before
