"""All or nothing: a failure at any point leaves every namespace exactly as it was.

Failures are injected before each kernel operation of a plan that uses every
kind of step (a namespace added, links deleted, recreated, moved, created,
changed, enslaved, released, addresses added and removed, states set), and
come naturally from this kernel: kinds it lacks, names already taken.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from conftest import EXAMPLES
from kernelstate import differences
from live_helpers import count_operations, fail_at, ip, placed, state_of

from netscript.backends import netlink
from netscript.ir.model import LinkKind

pytestmark = pytest.mark.kernel

EVERY_STEP = """\
netns side

bridge br0 stp_state on forward_delay 4s mtu 1400 {
    ports v1
    port t0 cost 5
    addr 10.0.0.1/24
    up
}
veth v1 {
    peer v1p netns side {
        addr 10.0.0.2/24
        up
    }
    up
}
veth x0 peer x1@side
vxlan vx0 id 20 dstport 4789
macvlan mv0 link vx0 mode bridge
tap t0 {
    up
}
"""


def build_before(ns: str) -> None:
    """The namespace before the apply: everything the spec's steps will change."""
    subprocess.run(["ip", "netns", "add", ns], check=True)
    for words in (
        "link add br0 type bridge",
        "link add old0 type veth peer name oldp",  # pruned, with its port membership
        "link set old0 master br0",
        "link set old0 up",
        "link add x0 type veth peer name x1",  # x1 moves to the side namespace
        "link set x0 mtu 1400",
        "link add vx0 type vxlan id 10 dstport 4789",  # recreated: id 10 -> 20
        "link add link vx0 name mv0 type macvlan mode private",  # goes with vx0
        "address add 10.9.9.9/24 dev br0",  # pruned
        "tuntap add mode tap t0",  # enslaved, port cost set, brought up
        # pruned: a bridge with settings, an address and a port, which must all come back
        "link add br9 type bridge stp_state 1 forward_delay 500 priority 7",
        "tuntap add mode tap t9 vnet_hdr",
        "link set t9 master br9",
        "link set t9 type bridge_slave cost 33",
        "address add 10.8.8.8/24 dev br9",
        "link set br9 up",
        "link set t9 up",
    ):
        ip(ns, *words.split())


def test_a_failure_before_any_operation_restores_everything(netns, tmp_path):
    spec = tmp_path / "every.ns"
    spec.write_text(EVERY_STEP)
    scratch = netns + "-count"
    build_before(scratch)
    operations = count_operations(placed(spec, scratch), prune=True)
    assert operations >= 17  # one per step at least

    for number in range(operations):
        ns = f"{netns}-at{number}"
        build_before(ns)
        before = state_of(ns)
        result = netlink.apply(placed(spec, ns), prune=True, faults=fail_at(number))
        assert not result.ok and result.rolled_back
        failure = next(d for d in result.problems if d.code == "NS503")
        assert "injected failure" in failure.message
        assert "the namespaces are as they were" in failure.message
        assert not any(d.code == "NS507" for d in result.problems)
        assert state_of(ns) == before, f"not restored after a failure at operation {number}: {failure.message}"


def test_a_kind_this_kernel_lacks_fails_its_step_and_undoes_the_others(cli, netns, tmp_path):
    spec = tmp_path / "dummy.ns"
    spec.write_text("bridge br0 {\n    ports v0\n    up\n}\nveth v0 peer p0 {\n    up\n}\ndummy d0\n")
    ip(netns, "link", "add", "keep0", "type", "bridge")
    before = state_of(netns)
    result = cli("apply", spec, "--netns", netns)
    assert result.exit_code == 1
    assert (
        f"{spec}:8:7: error: step 3 of 3, create dummy d0 in namespace {netns}: "
        "Operation not supported (EOPNOTSUPP): Unknown device type; "
        "the 2 change(s) made were undone, the namespaces are as they were [NS503]"
    ) in result.stderr
    assert f"hint: the equivalent command: ip -n {netns} link add name d0 type dummy" in result.stderr
    assert "Traceback" not in result.output
    assert state_of(netns) == before


def test_a_name_already_taken_fails_with_the_kernels_words_and_undoes_the_rest(cli, netns, tmp_path):
    # p0 is taken as another link's alternative name, which a dump of names does not show
    ip(netns, "link", "add", "br9", "type", "bridge")
    ip(netns, "link", "property", "add", "dev", "br9", "altname", "p0")
    spec = tmp_path / "taken.ns"
    spec.write_text("bridge br0 {\n    up\n}\nveth v0 peer p0\n")
    before = state_of(netns)
    result = cli("apply", spec, "--netns", netns)
    assert result.exit_code == 1
    assert f"step 2 of 2, create veth v0 in namespace {netns}: File exists (EEXIST);" in result.stderr
    assert state_of(netns) == before


def test_requests_sent_after_a_refused_one_are_undone_too(netns, tmp_path):
    # link requests are pipelined: the kernel refuses the second while the ones
    # after it, already sent, succeed; the report names the second, all are undone
    ip(netns, "link", "add", "br9", "type", "bridge")
    ip(netns, "link", "property", "add", "dev", "br9", "altname", "p0")
    spec = tmp_path / "middle.ns"
    spec.write_text("bridge br0 {\n    up\n}\nveth v0 peer p0\nbridge br1 {\n    up\n}\nveth v1 peer p1 {\n    up\n}\n")
    before = state_of(netns)
    result = netlink.apply(placed(spec, netns))
    assert not result.ok and result.rolled_back
    failure = next(d for d in result.problems if d.code == "NS503")
    assert failure.message.startswith("step 2 of 4, create veth v0")
    assert "File exists (EEXIST)" in failure.message
    assert "the 3 change(s) made were undone, the namespaces are as they were" in failure.message  # br0, br1, v1
    assert not any(d.code == "NS507" for d in result.problems)
    assert state_of(netns) == before


def test_a_link_of_another_kind_under_the_specs_name_is_left_alone_without_prune(cli, netns, tmp_path):
    ip(netns, "link", "add", "p0", "type", "bridge")
    spec = tmp_path / "kind.ns"
    spec.write_text("veth v0 peer p0\n")
    before = state_of(netns)
    refused = cli("apply", spec, "--netns", netns)
    assert refused.exit_code == 1
    assert f"error: p0 exists in namespace {netns} as a bridge, not a veth [NS508]" in refused.stderr
    assert state_of(netns) == before

    replaced = cli("apply", spec, "--netns", netns, "--prune")
    assert replaced.exit_code == 0, replaced.output
    assert f"delete bridge p0 (to recreate: it is a bridge, the spec says veth) in {netns}  [disrupts]" in replaced.stdout


def stand_in_physical(program, ns) -> None:
    """The existing NICs an example names, as veth ends in the test namespace."""
    for link in program.all_links():
        if link.kind is LinkKind.PHYSICAL:
            ip(link.netns, "link", "add", link.name, "type", "veth", "peer", "name", "si-" + link.name[:12])


@pytest.mark.parametrize("example", ["bond-vlan-uplink.ns", "containers.ns", "failover.ns"])
def test_examples_needing_modules_this_kernel_lacks_leave_nothing_behind(cli, netns, example):
    spec = os.path.join(EXAMPLES, example)
    program = placed(spec, netns)
    stand_in_physical(program, netns)
    before = state_of(netns)
    result = cli("apply", spec, "--netns", netns, "--netns-prefix", netns + "-")
    assert result.exit_code == 1
    assert "(EOPNOTSUPP): Unknown device type" in result.stderr
    assert "the namespaces are as they were [NS503]" in result.stderr
    assert state_of(netns) == before  # namespaces the spec declared are gone again too


@pytest.mark.skipif(shutil.which("teamd") is None, reason="needs teamd (libteam-utils)")
def test_teamd_failing_is_reported_and_undone(cli, netns, tmp_path):
    if os.path.exists("/sys/module/team"):
        pytest.skip("this kernel has the team driver: teamd would succeed")
    spec = tmp_path / "team.ns"
    spec.write_text("bridge br0 {\n    up\n}\nteam t0 runner activebackup\n")
    before = state_of(netns)
    result = cli("apply", spec, "--netns", netns)
    assert result.exit_code == 1
    assert "step 2 of 2, create team t0" in result.stderr and "teamd failed" in result.stderr
    assert state_of(netns) == before


def test_a_state_that_does_not_read_back_as_the_spec_is_undone(netns, tmp_path):
    spec = tmp_path / "mtu.ns"
    spec.write_text("bridge br0 mtu 1400 {\n    up\n}\nveth v0 peer p0 {\n    addr 10.0.0.1/24\n}\n")
    program = placed(spec, netns)
    before = state_of(netns)

    def meddle(op, step, description):
        # someone else changes the bridge's MTU just before the last step
        if description.startswith("add 10.0.0.1/24"):
            ip(netns, "link", "set", "br0", "mtu", "1300")

    result = netlink.apply(program, faults=meddle)
    assert not result.ok and result.rolled_back
    messages = [d.message for d in result.problems if d.code == "NS504"]
    assert messages == [
        (
            f"after applying, br0@{netns}: mtu: wanted 1400, actual 1300; "
            "the 4 change(s) made were undone, the namespaces are as they were"
        )
    ]
    assert state_of(netns) == before
    assert differences(program) != []


def test_an_address_that_does_not_read_back_is_undone(netns, tmp_path):
    """The read-back reads addresses when the spec states some: one taken off is caught, one left on is seen."""
    spec = tmp_path / "addr.ns"
    spec.write_text("veth v0 {\n    peer p0 {\n        up\n    }\n    addr 10.0.0.1/24\n    up\n}\n")
    program = placed(spec, netns)
    before = state_of(netns)

    def meddle(op, step, description):
        # someone else takes the address off again before the last step (the peer's up)
        if "p0" in description:
            ip(netns, "address", "flush", "dev", "v0")

    result = netlink.apply(program, faults=meddle)
    assert not result.ok and result.rolled_back
    messages = [d.message for d in result.problems if d.code == "NS504"]
    assert len(messages) == 1 and "address" in messages[0] and "10.0.0.1/24" in messages[0], messages
    assert state_of(netns) == before
    again = netlink.apply(program)  # no one meddles: the address is read back where the spec wants it
    assert again.ok and not again.rolled_back, [d.message for d in again.problems]
