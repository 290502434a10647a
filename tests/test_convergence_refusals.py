"""What a run may not do (issue "Convergence and validation defects", items 9 and 10).

9: re-creating a tap a process holds open (as qemu does) disrupts traffic:
`plan` says so, `apply --no-disrupt` refuses it, and so does a script rendered
with `--no-disrupt`, before it changes anything. 10: `--prune` never deletes
a physical link, not even as the veth peer of a link it prunes.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys

import pytest
from backend_runs import Build
from kernelstate import differences, links
from live_helpers import ip, state_of

pytestmark = pytest.mark.kernel


# -- 9: a tap a process holds open ------------------------------------------------------------

HOLD = """
import fcntl, os, struct, sys
fd = os.open("/dev/net/tun", os.O_RDWR)
fcntl.ioctl(fd, 0x400454CA, struct.pack("16sH", sys.argv[1].encode(), 0x0002 | 0x1000))  # TUNSETIFF, IFF_TAP|IFF_NO_PI
print("attached", flush=True)
sys.stdin.read()
"""


@contextlib.contextmanager
def held_open(ns: str, name: str):
    """A process holding tap ``name`` open, as qemu does."""
    proc = subprocess.Popen(
        ["ip", "netns", "exec", ns, sys.executable, "-c", HOLD, name],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert proc.stdout.readline().strip() == "attached"
        yield proc
    finally:
        proc.stdin.close()
        proc.wait(timeout=10)


def tap_index(ns: str, name: str) -> int:
    return links(ns)[name]["ifindex"]


def test_a_tap_in_use_is_not_recreated_with_no_disrupt(cli, netns, tmp_path):
    spec = tmp_path / "tap.ns"
    spec.write_text("tap t0 vnet_hdr on {\n    up\n}\n")
    ip(netns, "tuntap", "add", "dev", "t0", "mode", "tap")
    index = tap_index(netns, "t0")
    with held_open(netns, "t0"):
        shown = cli("plan", spec, "--netns", netns)
        assert shown.exit_code == 0, shown.output
        assert "delete tap t0" in shown.stdout and "[disrupts]" in shown.stdout
        assert "in use" in shown.stdout  # the plan says a process holds it

        refused = cli("apply", spec, "--netns", netns, "--no-disrupt")
        assert refused.exit_code == 1
        assert "NS505" in refused.stderr and "in use" in refused.stderr
        assert tap_index(netns, "t0") == index

        for backend in ("script", "batch"):
            build = Build(cli, backend, spec, netns, tmp_path, "--no-disrupt")
            code, output = build.run()
            assert code == 1, output
            assert "t0" in output and "--no-disrupt" in output
            assert tap_index(netns, "t0") == index, backend

    # nobody holds it now, but re-creating it still disrupts: refused all the same
    build = Build(cli, "script", spec, netns, tmp_path, "--no-disrupt")
    assert build.run()[0] == 1
    # without --no-disrupt the script re-creates it
    build = Build(cli, "script", spec, netns, tmp_path)
    code, output = build.run()
    assert code == 0, output
    assert differences(build.program) == []


def test_no_disrupt_script_refuses_before_changing_anything(cli, netns, tmp_path):
    # the refusal comes first: the bridge that would be made before the tap is not made
    spec = tmp_path / "tap.ns"
    spec.write_text("bridge br0 { up }\ntap t0 vnet_hdr on\n")
    ip(netns, "tuntap", "add", "dev", "t0", "mode", "tap")
    for backend in ("script", "batch"):
        build = Build(cli, backend, spec, netns, tmp_path, "--no-disrupt")
        code, output = build.run()
        assert code == 1, output
        assert "br0" not in links(netns), backend


def test_no_disrupt_script_refuses_what_apply_refuses(cli, netns, tmp_path):
    spec = tmp_path / "d.ns"
    spec.write_text("bridge br0 mac 02:00:00:00:00:01 { ports v0 }\nveth v0 peer w0 { down }\n")
    ip(netns, "link", "add", "br0", "type", "bridge")
    ip(netns, "link", "add", "v0", "type", "veth", "peer", "name", "w0")
    ip(netns, "link", "set", "v0", "up")
    before = state_of(netns)
    refused = cli("apply", spec, "--netns", netns, "--no-disrupt")
    assert refused.exit_code == 1
    assert refused.stderr.count("NS505") == 3  # br0's MAC, enslaving v0, taking v0 down
    for backend in ("script", "batch"):
        build = Build(cli, backend, spec, netns, tmp_path, "--no-disrupt")
        code, output = build.run()
        assert code == 1, output
        assert state_of(netns) == before, backend
    build = Build(cli, "script", spec, netns, tmp_path)
    assert build.run()[0] == 0
    assert differences(build.program) == []


# -- 10: --prune and the veth peer of a physical link -----------------------------------------


def test_prune_leaves_a_physical_links_veth_peer(cli, netns, tmp_path):
    spec = tmp_path / "uplink.ns"
    spec.write_text("physical eno1\nbridge br0 {\n    ports eno1\n    up\n}\n")
    ip(netns, "link", "add", "eno1", "type", "veth", "peer", "name", "eno1-sw")
    ip(netns, "link", "add", "old0", "type", "bridge")  # what --prune is for
    shown = cli("plan", spec, "--netns", netns, "--prune")
    assert shown.exit_code == 0, shown.output
    assert "eno1" not in "".join(line for line in shown.stdout.splitlines(True) if "delete" in line)
    result = cli("apply", spec, "--netns", netns, "--prune")
    assert result.exit_code == 0, result.output
    live = links(netns)
    assert "eno1" in live and "eno1-sw" in live and "old0" not in live
    assert live["eno1"].get("master") == "br0"


def test_a_veth_whose_peer_is_declared_physical_is_not_made_again(cli, netns, tmp_path):
    # the spec wants eno1-sw paired with x0, but it is eno1's peer: making it again would delete eno1
    spec = tmp_path / "uplink.ns"
    spec.write_text("physical eno1\nveth eno1-sw peer x0\n")
    ip(netns, "link", "add", "eno1", "type", "veth", "peer", "name", "eno1-sw")
    before = state_of(netns)
    for extra in ((), ("--prune",)):
        result = cli("apply", spec, "--netns", netns, *extra)
        assert result.exit_code == 1, result.output
        assert result.stderr.count("NS508") == 1
        assert "eno1-sw cannot be deleted" in result.stderr and "declares that one physical" in result.stderr
        assert state_of(netns) == before


@pytest.mark.parametrize("backend", ["script", "batch"])
def test_the_script_does_not_make_a_physical_links_veth_peer_again(cli, netns, tmp_path, backend):
    spec = tmp_path / "uplink.ns"
    spec.write_text("physical eno1\nveth eno1-sw peer x0\n")
    ip(netns, "link", "add", "eno1", "type", "veth", "peer", "name", "eno1-sw")
    before = state_of(netns)
    code, output = Build(cli, backend, spec, netns, tmp_path).run()
    assert code == 1, output
    assert "eno1-sw cannot be made again" in output and "declares that one physical" in output
    assert state_of(netns) == before
