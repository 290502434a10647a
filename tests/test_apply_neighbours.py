"""Static neighbours over netlink: planned, applied, verified, pruned, undone, exported.

Each test builds in a fresh namespace and reads the entries back with
`ip -j neigh`, not with netscript's own reader.
"""

from __future__ import annotations

import json
import subprocess

import pytest
from live_helpers import count_operations, fail_at, ip, placed

from netscript.backends import netlink

pytestmark = pytest.mark.kernel

SPEC = """\
bridge br0 {
    addr 192.0.2.10/24 2001:db8::10/64
    neigh 192.0.2.7 lladdr 02:00:00:00:00:07
    neigh 2001:db8::7 lladdr 02:00:00:00:00:17
    up
}
veth v0 peer v1 {
    up
}
neigh 198.51.100.9 lladdr 02:00:00:00:00:09 dev v0
"""

WANTED = [
    ("192.0.2.7", "br0", "02:00:00:00:00:07"),
    ("198.51.100.9", "v0", "02:00:00:00:00:09"),
    ("2001:db8::7", "br0", "02:00:00:00:00:17"),
]


def neighbours(ns: str, nud: str = "permanent") -> list[tuple]:
    out = subprocess.run(["ip", "-n", ns, "-j", "neigh", "show", "nud", nud], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    return sorted((n["dst"], n["dev"], n.get("lladdr")) for n in json.loads(out))


def spec_file(tmp_path, text=SPEC):
    spec = tmp_path / "n.ns"
    spec.write_text(text)
    return spec


def test_neighbours_are_applied_with_their_mac_and_then_left_alone(netns, tmp_path):
    program = placed(spec_file(tmp_path), netns)
    result = netlink.apply(program)
    assert result.ok, [d.message for d in result.problems]
    assert neighbours(netns) == WANTED
    again = netlink.apply(program)
    assert again.ok and not again.done and again.requests == 0


def test_a_mac_changed_by_hand_is_planned_as_a_replace_and_converges(cli, netns, tmp_path):
    spec = spec_file(tmp_path)
    assert netlink.apply(placed(spec, netns)).ok
    ip(netns, "neigh", "replace", "192.0.2.7", "lladdr", "02:00:00:00:00:99", "dev", "br0", "nud", "permanent")
    ip(netns, "neigh", "del", "198.51.100.9", "dev", "v0")
    plan = cli("plan", spec, "--netns", netns)
    assert plan.exit_code == 0, plan.output
    assert f"~ replace neighbour 192.0.2.7 lladdr 02:00:00:00:00:07 dev br0 in {netns}" in plan.stdout
    assert "lladdr: 02:00:00:00:00:99 -> 02:00:00:00:00:07" in plan.stdout
    assert f"+ add neighbour 198.51.100.9 lladdr 02:00:00:00:00:09 dev v0 in {netns}" in plan.stdout
    assert "2001:db8::7" not in plan.stdout
    applied = cli("apply", spec, "--netns", netns)
    assert applied.exit_code == 0, applied.output
    assert neighbours(netns) == WANTED
    assert "no changes" in cli("plan", spec, "--netns", netns).stdout.lower()


def test_a_link_made_again_gets_its_entries_again(netns, tmp_path):
    """Recreating a link (here: a veth whose peer changed) flushes its entries: the plan makes them again."""
    assert netlink.apply(placed(spec_file(tmp_path), netns)).ok
    changed = placed(spec_file(tmp_path, SPEC.replace("peer v1", "peer v2")), netns)
    result = netlink.apply(changed)
    assert result.ok, [d.message for d in result.problems]
    assert neighbours(netns) == WANTED


def test_prune_removes_permanent_entries_the_spec_does_not_state_and_no_others(netns, tmp_path):
    spec = spec_file(tmp_path)
    assert netlink.apply(placed(spec, netns)).ok
    ip(netns, "neigh", "add", "192.0.2.8", "lladdr", "02:00:00:00:00:08", "dev", "br0", "nud", "permanent")
    ip(netns, "neigh", "add", "192.0.2.9", "lladdr", "02:00:00:00:00:0a", "dev", "br0", "nud", "reachable")
    assert netlink.apply(placed(spec, netns)).requests == 0  # not pruning: someone's entries stay
    result = netlink.apply(placed(spec, netns), prune=True)
    assert result.ok, [d.message for d in result.problems]
    assert neighbours(netns) == WANTED
    assert ("192.0.2.9", "br0", "02:00:00:00:00:0a") in neighbours(netns, "all")


def test_a_failure_at_any_operation_leaves_the_entries_as_they_were(netns, tmp_path):
    spec = spec_file(tmp_path)

    def build(ns: str) -> None:
        subprocess.run(["ip", "netns", "add", ns], check=True)
        for words in ("link add br0 type bridge", "address add 192.0.2.10/24 dev br0", "link set br0 up",
                      "neigh add 192.0.2.7 lladdr 02:00:00:00:00:99 dev br0 nud permanent",
                      "neigh add 192.0.2.8 lladdr 02:00:00:00:00:08 dev br0 nud permanent"):  # fmt: skip
            ip(ns, *words.split())

    build(netns + "-count")
    operations = count_operations(placed(spec, netns + "-count"), prune=True)
    assert neighbours(netns + "-count") == WANTED
    assert operations >= 5
    for number in range(operations):
        ns = f"{netns}-at{number}"
        build(ns)
        before = neighbours(ns)
        result = netlink.apply(placed(spec, ns), prune=True, faults=fail_at(number))
        assert not result.ok and result.rolled_back
        assert not any(d.code == "NS507" for d in result.problems), [d.message for d in result.problems]
        assert neighbours(ns) == before, f"not restored after a failure at operation {number}"
        subprocess.run(["ip", "netns", "del", ns], check=True)


def test_export_writes_the_permanent_entries_and_apply_makes_them_again(cli, netns, tmp_path):
    assert netlink.apply(placed(spec_file(tmp_path), netns)).ok
    ip(netns, "neigh", "add", "192.0.2.9", "lladdr", "02:00:00:00:00:0a", "dev", "br0", "nud", "reachable")
    exported = cli("export", "--netns", netns)
    assert exported.exit_code == 0, exported.output
    text = exported.stdout
    assert "192.0.2.7 lladdr 02:00:00:00:00:07" in text and "192.0.2.9" not in text
    spec = tmp_path / "exported.ns"
    spec.write_text(text)
    fresh = netns + "-again"
    subprocess.run(["ip", "netns", "add", fresh], check=True)
    applied = cli("apply", spec, "--netns", fresh)
    assert applied.exit_code == 0, applied.output
    assert neighbours(fresh) == WANTED
    assert cli("export", "--netns", fresh).stdout == text
