"""What apply refuses or waits for: other applies (the lock), disruption, the default route; --prune."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading

import pytest
from conftest import REPO
from kernelstate import differences
from live_helpers import ip, placed, settle, state_of

from netscript.backends.netlink import lock

pytestmark = pytest.mark.kernel


def apply(cli, spec, ns, *extra):
    return cli("apply", spec, "--netns", ns, *extra)


def test_an_apply_waits_while_another_holds_the_namespace(netns, tmp_path):
    spec = tmp_path / "br.ns"
    spec.write_text("bridge br0 {\n    up\n}\n")
    with lock.hold([netns]):
        other = subprocess.Popen(
            [sys.executable, "-m", "netscript", "apply", str(spec), "--netns", netns],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: [lines.put(x) for x in other.stderr], daemon=True).start()
        waiting = lines.get(timeout=60)
        assert waiting == f"netscript: waiting for another apply on {netns} (pid {os.getpid()})\n"
        # while we hold the lock it has read nothing and changed nothing
        assert "br0" not in state_of(netns)[1][netns][0]
    out, _ = other.communicate(timeout=60)
    assert other.returncode == 0, out
    assert "applied 1 change(s)" in out
    assert "br0" in state_of(netns)[1][netns][0]


def test_applies_started_together_do_not_interleave(netns, tmp_path):
    # each spec changes every setting the other sets: interleaved, one would fail to verify
    specs = []
    for i, (mtu, fd) in enumerate([(1400, "4s"), (1300, "5s")]):
        spec = tmp_path / f"s{i}.ns"
        spec.write_text(
            f"bridge br0 mtu {mtu} forward_delay {fd} {{\n    ports v0 v1 v2\n    up\n}}\n"
            + "".join(f"veth v{j} mtu {mtu} peer p{j}\n" for j in range(3))
        )
        specs.append(spec)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "netscript", "apply", str(s), "--netns", netns],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for s in specs * 2
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], results
    assert sum(differences(placed(s, netns)) == [] for s in specs) == 1


def needs_recreate(ns):
    ip(ns, "link", "add", "vx0", "type", "vxlan", "id", "7", "dstport", "4789")


def test_no_disrupt_refuses_disrupting_steps_and_changes_nothing(cli, netns, tmp_path):
    needs_recreate(netns)
    spec = tmp_path / "vx.ns"
    spec.write_text("vxlan vx0 id 42 dstport 4789\nbridge br0 {\n    up\n}\n")
    before = state_of(netns)
    refused = apply(cli, spec, netns, "--no-disrupt")
    assert refused.exit_code == 1
    assert "step 1, delete vxlan vx0 (to recreate: id 7 -> 42): disrupts traffic (--no-disrupt) [NS505]" in refused.stderr
    assert state_of(netns) == before

    gentle = tmp_path / "gentle.ns"
    gentle.write_text("bridge br0 {\n    up\n}\n")
    assert apply(cli, gentle, netns, "--no-disrupt").exit_code == 0


def default_route_through(ns: str, name: str) -> None:
    ip(ns, "link", "add", name, "type", "veth", "peer", "name", "gw0")
    ip(ns, "address", "add", "10.0.0.1/24", "dev", name)
    ip(ns, "link", "set", name, "up")
    ip(ns, "link", "set", "gw0", "up")
    ip(ns, "route", "add", "default", "via", "10.0.0.254", "dev", name)


@pytest.mark.parametrize(
    "spec_text, step",
    [
        ("veth up0 peer gw0 {\n    down\n}\n", "set up0 down"),
        ("bridge br0 {\n    ports up0\n}\nveth up0 peer gw0\n", "enslave up0 to br0"),
        ("veth up0 peer other\n", "delete veth up0 and its peer gw0 (to recreate: peer gw0 -> other)"),
    ],
    ids=["down", "enslave", "recreate"],
)
def test_the_interface_carrying_the_default_route_is_not_cut_without_force(cli, netns, tmp_path, spec_text, step):
    default_route_through(netns, "up0")
    settle(netns)  # the links just set up get their IPv6 link-local addresses on their own, later
    spec = tmp_path / "cut.ns"
    spec.write_text(spec_text)
    before = state_of(netns)
    refused = apply(cli, spec, netns)
    assert refused.exit_code == 1
    assert f", {step}: up0 carries the default route; this would cut the host's connectivity [NS506]" in refused.stderr
    assert "hint: use --force if this is really meant" in refused.stderr
    assert state_of(netns) == before

    shown = cli("plan", spec, "--netns", netns)  # plan warns, and shows the step
    assert shown.exit_code == 0 and "warning:" in shown.stderr and step in shown.stdout

    forced = apply(cli, spec, netns, "--force")
    assert forced.exit_code == 0, forced.output


def test_a_lower_device_of_the_default_route_interface_is_guarded_too(cli, netns, tmp_path):
    ip(netns, "link", "add", "low0", "type", "veth", "peer", "name", "low1")
    ip(netns, "link", "add", "link", "low0", "name", "mv0", "type", "macvlan", "mode", "bridge")
    ip(netns, "address", "add", "10.0.0.1/24", "dev", "mv0")
    for name in ("low0", "low1", "mv0"):
        ip(netns, "link", "set", name, "up")
    ip(netns, "route", "add", "default", "via", "10.0.0.254", "dev", "mv0")
    spec = tmp_path / "low.ns"
    spec.write_text("veth low0 peer low1 {\n    down\n}\n")
    refused = apply(cli, spec, netns)
    assert refused.exit_code == 1
    assert "low0 carries the default route (the default route leaves through mv0, which sits on it)" in refused.stderr


PRUNED = "bridge br0 {\n    ports v0\n    addr 192.0.2.1/24\n    up\n}\nveth v0 peer p0\n"


def test_prune_removes_links_ports_and_addresses_the_spec_does_not_mention(cli, netns, tmp_path):
    spec = tmp_path / "prune.ns"
    spec.write_text(PRUNED)
    assert apply(cli, spec, netns).exit_code == 0
    ip(netns, "link", "add", "extra0", "type", "bridge")
    ip(netns, "link", "add", "stray0", "type", "veth", "peer", "name", "stray1")
    ip(netns, "link", "set", "stray0", "master", "br0")
    ip(netns, "link", "add", "tp9", "type", "bridge")
    ip(netns, "link", "set", "p0", "master", "tp9")
    ip(netns, "address", "add", "198.51.100.9/24", "dev", "br0")

    # without --prune what the spec does not mention is left alone
    assert cli("plan", spec, "--netns", netns).stdout.startswith("no changes")

    shown = cli("plan", spec, "--netns", netns, "--prune").stdout
    for expected in (
        "- delete bridge extra0 (not in the spec) in {ns}  [disrupts]",
        "- delete veth stray1 and its peer stray0 (not in the spec) in {ns}  [disrupts]",
        "- delete bridge tp9 (not in the spec) in {ns}  [disrupts]",
        "- remove 198.51.100.9/24 from br0 in {ns}  [disrupts]",
    ):
        assert expected.format(ns=netns) in shown
    pruned = apply(cli, spec, netns, "--prune")
    assert pruned.exit_code == 0, pruned.output
    links = state_of(netns)[1][netns][0]
    assert sorted(links) == ["br0", "lo", "p0", "v0"]
    assert links["p0"].get("master") is None
    addresses = state_of(netns)[1][netns][1]
    assert {a for a in addresses["br0"] if not a.startswith("fe80:")} == {"192.0.2.1/24"}
