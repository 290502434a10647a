"""`netscript apply` and `plan` on the real kernel, in throwaway namespaces.

Each test reads the result back with `ip -d -j` (tests/kernelstate.py), not
with netscript's own reader, and watches `ip monitor` where it matters that
nothing was sent.
"""

from __future__ import annotations

import contextlib
import json
import os

import pytest
from conftest import EXAMPLES
from kernelstate import differences
from live_helpers import Monitor, ip, placed, settle, state_of

pytestmark = pytest.mark.kernel

# Examples whose kinds this kernel has (bridge, veth, macvlan, macvtap, vxlan, tap).
HOST_KERNEL_EXAMPLES = ["lab.ns", "namespaces.ns"]


def apply(cli, spec, ns, *extra):
    return cli("apply", spec, "--netns", ns, "--netns-prefix", ns + "-", *extra)


def plan(cli, spec, ns, *extra):
    return cli("plan", spec, "--netns", ns, "--netns-prefix", ns + "-", *extra)


def namespaces_of(program) -> list[str]:
    return sorted({link.netns for link in program.all_links()} | {n.name for n in program.namespaces})


@contextlib.contextmanager
def watching(namespaces):
    """Monitors on every namespace; yields them, events filled in when the block ends."""
    with contextlib.ExitStack() as stack:
        yield [stack.enter_context(Monitor(ns)) for ns in namespaces]


@pytest.mark.parametrize("example", HOST_KERNEL_EXAMPLES)
def test_example_applies_matches_the_spec_and_a_second_apply_sends_nothing(cli, netns, example):
    spec = os.path.join(EXAMPLES, example)
    program = placed(spec, netns)

    first = apply(cli, spec, netns)
    assert first.exit_code == 0, first.output
    assert "read back" in first.stdout
    assert differences(program) == []

    for ns in namespaces_of(program):
        settle(ns)  # let IPv6 autoconfiguration and carrier changes from the first apply finish
    with watching(namespaces_of(program)) as monitors:
        second = apply(cli, spec, netns)
    assert second.exit_code == 0, second.output
    assert second.stdout.startswith("no changes")
    assert [m.events for m in monitors] == [[] for _ in monitors]


DRIFT = """\
bridge br0 stp_state on forward_delay 4s mtu 1400 {
    ports tp0
    port v0 cost 10
    addr 192.0.2.1/24 2001:db8::1/64
    up
}
veth v0 {
    peer p0 {
        up
    }
    up
}
tap tp0 vnet_hdr on {
    up
}
vxlan vx0 id 42 dstport 4789 dev p0
macvlan mv0 link p0 mode bridge {
    addr 198.51.100.1/24
    up
}
"""


def test_hand_made_drift_converges_back(cli, netns, tmp_path):
    spec = tmp_path / "drift.ns"
    spec.write_text(DRIFT)
    program = placed(spec, netns)
    assert apply(cli, spec, netns).exit_code == 0

    ip(netns, "link", "set", "br0", "mtu", "1300")
    ip(netns, "link", "set", "br0", "type", "bridge", "stp_state", "0")
    ip(netns, "link", "set", "v0", "type", "bridge_slave", "cost", "99")
    ip(netns, "link", "set", "tp0", "nomaster")
    ip(netns, "link", "set", "mv0", "down")
    ip(netns, "address", "del", "192.0.2.1/24", "dev", "br0")
    ip(netns, "link", "del", "vx0")  # a create-only setting: id
    ip(netns, "link", "add", "vx0", "type", "vxlan", "id", "7", "dstport", "4789", "dev", "p0")
    assert differences(program) != []

    shown = plan(cli, spec, netns)
    assert shown.exit_code == 0, shown.output
    for expected in (
        "mtu: 1300 -> 1400",
        "stp_state: off -> on",
        "port cost: 99 -> 10",
        "enslave tp0 to br0",
        "add 192.0.2.1/24 to br0",
        "set mv0 up",
        "delete vxlan vx0 (to recreate: id 7 -> 42) in {ns}  [disrupts]",
        "$ ip -n {ns} link set dev br0 mtu 1400 type bridge stp_state 1",
        "$ ip -n {ns} link add name vx0 type vxlan id 42 dstport 4789 dev p0",
    ):
        assert expected.format(ns=netns) in shown.stdout

    converged = apply(cli, spec, netns)
    assert converged.exit_code == 0, converged.output
    assert differences(program) == []
    assert plan(cli, spec, netns).stdout.startswith("no changes")


def test_recreating_a_link_recreates_what_is_stacked_on_it(cli, netns, tmp_path):
    spec = tmp_path / "stack.ns"
    spec.write_text("veth v0 peer p0\nmacvlan mv0 link p0 mode bridge {\n    addr 198.51.100.1/24\n    up\n}\n")
    program = placed(spec, netns)
    assert apply(cli, spec, netns).exit_code == 0
    # the pair made again by hand with another peer name: the spec's needs a new pair
    ip(netns, "link", "del", "v0")
    ip(netns, "link", "add", "v0", "type", "veth", "peer", "name", "other")
    ip(netns, "link", "add", "link", "other", "name", "mv0", "type", "macvlan", "mode", "private")

    shown = plan(cli, spec, netns).stdout
    # the macvlan goes first: the kernel would take it away with its parent
    assert shown.index("delete macvlan mv0") < shown.index("delete veth v0 and its peer other (to recreate: peer other -> p0)")
    result = apply(cli, spec, netns)
    assert result.exit_code == 0, result.output
    assert differences(program) == []


def test_plan_touches_nothing_and_shows_each_step_with_its_ip_command(cli, netns, tmp_path):
    spec = tmp_path / "lab.ns"
    spec.write_text(DRIFT)
    before = state_of(netns)
    with Monitor(netns) as monitor:
        shown = plan(cli, spec, netns)
    assert shown.exit_code == 0, shown.output
    assert monitor.events == []
    assert state_of(netns) == before

    lines = [line.strip() for line in shown.stdout.splitlines()]
    # 14: mv0 is created down and set up after p0, its lower device (down when mv0 is made)
    assert lines[0] == f"14 change(s) to make namespace {netns} match {spec}:"
    assert lines[1:3] == [f"1 + create bridge br0 in {netns}", f"$ ip -n {netns} link add name br0 up type bridge stp_state 1 forward_delay 400"]
    # folded: a port joins its bridge and comes up in the request that makes it
    assert f"$ ip -n {netns} link add name v0 master br0 up type veth peer name p0" in lines
    # a bridge's MTU is set after it is made (given at creation, its ports would override it)
    assert f"$ ip -n {netns} link set dev br0 mtu 1400" in lines


def test_plan_as_json_lists_actions_commands_and_disruption(cli, netns, tmp_path):
    spec = tmp_path / "one.ns"
    spec.write_text("bridge br0 {\n    up\n}\n")
    ip(netns, "link", "add", "br0", "type", "bridge")
    ip(netns, "link", "set", "br0", "mtu", "1400")
    spec.write_text("bridge br0 mtu 1500 {\n    down\n}\n")
    ip(netns, "link", "set", "br0", "up")
    out = tmp_path / "plan.json"
    result = plan(cli, spec, netns, "--format", "json", "-o", out)
    assert result.exit_code == 0, result.output
    steps = json.loads(out.read_text())["steps"]
    assert [(s["action"], s["link"], s["disrupts"]) for s in steps] == [
        ("modify", "br0", False),
        ("set-state", "br0", True),
    ]
    assert steps[0]["differences"] == [
        {"netns": netns, "link": "br0", "attribute": "mtu", "wanted": "1500", "actual": "1400"}
    ]
    assert steps[1]["ip"] == [f"ip -n {netns} link set dev br0 down"]


def test_a_spec_that_fails_validation_never_reaches_the_kernel(cli, netns, tmp_path):
    spec = tmp_path / "bad.ns"
    spec.write_text("bridge br0 {\n    up\n}\nvlan v0 link br0 id 5000\n")
    with Monitor(netns) as monitor:
        result = apply(cli, spec, netns)
    assert result.exit_code == 1
    assert "id 5000 is out of range 0-4094 [NS202]" in result.stderr
    assert monitor.events == []


def test_unusable_input_exits_2_and_a_missing_namespace_exits_1_without_traceback(cli, netns, tmp_path):
    spec = tmp_path / "broken.ns"
    spec.write_text("bridge br0 {\n")
    assert apply(cli, spec, netns).exit_code == 2

    spec.write_text("bridge br0\n")
    result = cli("apply", spec, "--netns", netns + "-absent")
    assert result.exit_code == 1
    assert f"namespace {netns}-absent does not exist [NS501]" in result.stderr
    assert "Traceback" not in result.output


def test_apply_json_reports_what_changed(cli, netns, tmp_path):
    spec = tmp_path / "one.ns"
    spec.write_text("bridge br0 {\n    addr 192.0.2.1/24\n    up\n}\n")
    result = apply(cli, spec, netns, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [s["title"] for s in report["applied"]] == ["create bridge br0", "add 192.0.2.1/24 to br0"]
    assert report["rolled_back"] is False
    assert report["requests"] == 2


def test_a_legacy_shell_script_is_applied_through_its_frontend(cli, netns, tmp_path):
    script = tmp_path / "old.sh"
    script.write_text(
        "#!/bin/sh\nip link add br0 type bridge\nip link set br0 up\n"
        "ip link add v0 type veth peer name p0\nip link set v0 master br0\nip addr add 192.0.2.1/24 dev br0\n"
    )
    result = cli("apply", script, "--netns", netns)
    assert result.exit_code == 0, result.output
    assert f"$ ip -n {netns} link add name v0 master br0 type veth peer name p0" in result.stdout
    assert cli("apply", script, "--netns", netns).stdout.startswith("no changes")
