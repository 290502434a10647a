"""`netscript apply` on the lab kernel: bond, team, vlan, ipvlan, dummy, vrf, the examples.

The netlink backend's counterpart of test_render_lab.py, with the same specs and stand-ins
(dummy links for the spec's ``physical`` ones). In one test per spec:

- ``netscript apply --netns NS --netns-prefix NS- SPEC`` makes the kernel equal the spec
  attribute by attribute (``kernelstate.differences``, teams read back through ``teamdctl``);
- a second apply reports no changes and sends nothing: ``ip monitor link address`` in the
  namespaces (tests/live_helpers.py's ``Monitor``) prints no event while it runs;
- ``netscript export`` of the namespace, applied into another fresh namespace and exported
  again, gives the same text.

Plus: drift of create-only settings (a vlan's id, a bond's mode, a vrf's table) is planned as
a recreate and converges; and rollback of a multi-step bond+vlan+team plan, with a failure
injected before every kernel operation (the backend's ``faults`` hook) and with failures the
kernel and teamd make themselves (a name taken as an altname, teamd already running under the
team's name, an MTU the parent cannot carry): the namespace is exactly as before (ifindexes
aside, as in tests/test_apply_rollback.py) and no teamd is left behind.
Run with ``bash tests/kernel/run``; skipped elsewhere.
"""

from __future__ import annotations

import subprocess

import pytest
from kernelstate import differences, links
from live_helpers import Monitor, count_operations, fail_at, namespaces_named, placed, settle, state_of

from netscript.backends import netlink

from .test_render_lab import (
    EXAMPLE_SPECS,
    LAB_SPECS,
    cli,
    ip_batch,
    make_stand_ins,
    namespaces_of,
    spec_file,
)

# test_render_lab.py's specs, less what pyroute2 cannot send (the backend refuses it with NS510,
# checked below): a bond port's prio.
UNSENDABLE = {"bond": ("    port e1 prio 7\n", "    port e1\n")}
APPLY_SPECS = {name: text.replace(*UNSENDABLE[name]) if name in UNSENDABLE else text for name, text in LAB_SPECS.items()}
assert APPLY_SPECS["bond"] != LAB_SPECS["bond"]
assert " ad_actor_system 02:00:00:00:00:01" in APPLY_SPECS["bond"]  # test_bond_ad_actor_system_applies

# The vlan case is also a regression test: netscript/backends/netlink/structure.py,
# LinkStructure.create once folded the spec's `up` into the create request even when the vlan's
# lower link was down and only brought up by a later step: vlan_dev_open refused with ENETDOWN.
CASES = [pytest.param(name, id=name) for name in APPLY_SPECS] + [
    pytest.param(name, id="example-" + name[:-3]) for name in EXAMPLE_SPECS
]


# -- helpers -------------------------------------------------------------------


def apply(spec, ns, *extra):
    return cli("apply", spec, "--netns", ns, "--netns-prefix", ns + "-", *extra)


def plan(spec, ns, *extra):
    return cli("plan", spec, "--netns", ns, "--netns-prefix", ns + "-", *extra)


def export(ns) -> str:
    result = cli("export", "--netns", ns)
    assert result.exit_code == 0, result.output
    return result.stdout


def teams_of(ns) -> list[str]:
    return [name for name, live in links(ns).items() if live.get("linkinfo", {}).get("info_kind") == "team"]


def pids(ns) -> list[str]:
    return subprocess.run(["ip", "netns", "pids", ns], capture_output=True, text=True, check=False).stdout.split()


def stop_teams(ns) -> None:
    """teamd's pid file and socket are global to the guest: free the team names for another namespace."""
    for name in teams_of(ns):
        subprocess.run(["ip", "netns", "exec", ns, "teamd", "-t", name, "-k"], capture_output=True, check=False)


def drop_namespace(ns) -> None:
    """Delete ns and every ns-* now (their processes killed first), not at the end of the test."""
    for name in [ns, *(n for n in namespaces_named(ns) if n != ns)]:
        for pid in pids(name):
            subprocess.run(["kill", "-9", pid], capture_output=True, check=False)
        subprocess.run(["ip", "netns", "delete", name], capture_output=True, check=False)


def changed(before, after, path="") -> list[str]:
    """Where two snapshots differ, as 'path: before -> after' lines."""
    if isinstance(before, dict) and isinstance(after, dict):
        out = []
        for key in sorted(set(before) | set(after), key=str):
            out += changed(before.get(key, "<absent>"), after.get(key, "<absent>"), f"{path}/{key}")
        return out
    if isinstance(before, (list, tuple)) and isinstance(after, (list, tuple)) and len(before) == len(after):
        return [line for i, (a, b) in enumerate(zip(before, after)) for line in changed(a, b, f"{path}[{i}]")]
    return [] if before == after else [f"{path}: {before!r} -> {after!r}"]


# -- apply, re-apply, export round trip ----------------------------------------


@pytest.mark.parametrize("case", CASES)
def test_apply_builds_spec_reapply_sends_nothing_export_round_trips(case, spec_ns, make_netns, tmp_path):
    ns = spec_ns
    spec = spec_file(case, tmp_path)
    program = placed(spec, ns)
    stand_ins = make_stand_ins(program, ns)
    if case in UNSENDABLE:
        # the full spec is refused before anything is touched
        refused = apply(spec, ns)
        assert refused.exit_code == 1 and "[NS510]" in refused.stderr, refused.output
        assert "[NS503]" not in refused.stderr, refused.output  # refused before any step ran
        assert set(links(ns)) == stand_ins | {"lo"}
        spec.write_text(APPLY_SPECS[case].lstrip())
        program = placed(spec, ns)
    spaces = namespaces_of(program)

    first = apply(spec, ns)
    assert first.exit_code == 0, first.output
    assert "read back" in first.stdout, first.stdout
    assert differences(program) == []

    for space in spaces:
        settle(space)  # IPv6 link-local addresses, carrier changes: the kernel's own, not requests
    monitors = [Monitor(space) for space in spaces]
    for monitor in monitors:
        monitor.__enter__()
    try:
        second = apply(spec, ns)
    finally:
        for monitor in monitors:
            monitor.__exit__(None, None, None)
    assert second.exit_code == 0, second.output
    assert second.stdout.startswith("no changes"), second.stdout
    assert {m.ns: m.events for m in monitors} == {space: [] for space in spaces}, "the second apply sent changes"
    assert differences(program) == []

    # export -> apply elsewhere -> export: the same text
    exported = export(ns)
    stop_teams(ns)  # the team names are needed in the other namespace
    other = make_netns()
    copy = tmp_path / "exported.ns"
    copy.write_text(exported)
    try:
        again = cli("apply", copy, "--netns", other, "--netns-prefix", other + "-")
        assert again.exit_code == 0, f"{again.output}\n--- exported:\n{exported}"
        assert export(other) == exported
    finally:
        stop_teams(other)
        drop_namespace(other)


# -- create-only drift ---------------------------------------------------------

DRIFT_SPEC = """
physical e0
physical e1
physical e2 {
    up
}
physical e3

bond bond0 mode active-backup miimon 100 primary e1 {
    ports e0 e1
    addr 192.0.2.1/24
    up
}

vlan bond0.7 link bond0 id 7 {
    addr 192.0.2.65/26
    up
}

vlan vl5 link e2 id 5 protocol 802.1ad {
    up
}

vrf blue table 100 {
    ports e3
    up
}
"""


def test_create_only_drift_is_planned_as_recreate_and_converges(spec_ns, tmp_path):
    ns = spec_ns
    spec = tmp_path / "drift.ns"
    spec.write_text(DRIFT_SPEC.lstrip())
    program = placed(spec, ns)
    make_stand_ins(program, ns)
    # e2 is down: vl5 is created down and set up after e2 (a vlan cannot open on a down lower link)
    first = apply(spec, ns)
    assert first.exit_code == 0, first.output
    assert differences(program) == []

    ip_batch(ns, [
        "link delete dev vl5",
        "link add link e2 name vl5 type vlan id 50 protocol 802.1ad",  # 50: no `id 5` prefix match
        "link set dev bond0 down",
        "link set dev e0 nomaster",
        "link set dev e1 nomaster",
        "link set dev bond0 type bond mode balance-rr",
        "link set dev e0 master bond0",
        "link set dev bond0 up",
        "link delete dev blue",
        "link add blue type vrf table 200",
        "link set dev e3 master blue",
        "link set dev blue up",
    ])
    drifted = differences(program)
    for expected in (f"vl5@{ns}: id is 50", f"bond0@{ns}: mode is 'balance-rr'", f"blue@{ns}: table is 200"):
        assert any(p.startswith(expected) for p in drifted), (expected, drifted)

    shown = plan(spec, ns)
    assert shown.exit_code == 0, shown.output
    lines = shown.stdout.splitlines()
    missing = []
    for kind, name, why in (("vlan", "vl5", "id 50 -> 5"), ("bond", "bond0", "mode"), ("vrf", "blue", "table 200 -> 100")):
        if not any(f"delete {kind} {name} " in line and "to recreate" in line and why in line for line in lines):
            missing.append((kind, name, why))
    assert missing == [], shown.stdout

    converged = apply(spec, ns)
    assert converged.exit_code == 0, converged.output
    assert differences(program) == []
    state = links(ns)
    assert state["vl5"]["linkinfo"]["info_data"]["id"] == 5
    assert state["blue"]["linkinfo"]["info_data"]["table"] == 100
    assert state["bond0"]["linkinfo"]["info_data"]["mode"] == "active-backup"
    assert plan(spec, ns).stdout.startswith("no changes")


# -- rollback ------------------------------------------------------------------

# Before: a bond without ports (its miimon changes, two ports are enslaved), a vlan on it whose
# id changes (recreated), a vlan whose MTU changes, a link to bring up, a team to create with two
# ports. (A bond recreated with its ports: test_rollback_of_a_recreated_bond_gives_its_ports_back.)
ROLLBACK_BEFORE = [
    *(f"link add e{i} type dummy" for i in range(6)),
    "link add bond0 address 02:00:00:00:09:09 type bond mode active-backup miimon 50",
    "address add 192.0.2.9/24 dev bond0",
    "link set dev bond0 up",
    "link add link bond0 name bond0.7 type vlan id 8",
    "address add 198.51.100.7/24 dev bond0.7",
    "link set dev e2 up",
    "link add link e2 name vl5 type vlan id 5 reorder_hdr off",
]

ROLLBACK_SPEC = """
physical e0
physical e1
physical e2 {
    up
}
physical e3 {
    up
}
physical e4
physical e5

bond bond0 mode active-backup miimon 100 primary e1 {
    ports e0 e1
    addr 192.0.2.1/24
    up
}

vlan bond0.7 link bond0 id 7 {
    addr 192.0.2.65/26
    up
}

vlan vl5 link e2 id 5 {
    mtu 1400
    addr 10.5.0.1/24
    up
}

team tm0 runner activebackup {
    port e4 prio 3
    port e5 prio 1
    addr 198.51.100.1/24
    up
}
"""


def test_a_failure_at_any_step_rolls_everything_back(make_netns, tmp_path):
    spec = tmp_path / "rollback.ns"
    spec.write_text(ROLLBACK_SPEC.lstrip())

    def fresh(extra=()):
        ns = make_netns()
        ip_batch(ns, [*ROLLBACK_BEFORE, *extra])
        return ns, state_of(ns)

    # how many kernel operations the whole plan takes (and that it works at all)
    ns, _ = fresh()
    program = placed(spec, ns)
    operations = count_operations(program)
    assert differences(program) == []
    assert operations >= 15, operations
    drop_namespace(ns)

    mismatches = []

    def check(ns, before, label):
        after = state_of(ns)
        # what the kernel derives by itself: a bond's TSO limit follows its ports (the dummies'
        # is larger than a portless bond's); a link-local address comes once the bond had carrier
        diff = [d for d in changed(before, after) if "/tso_max_size:" not in d and "fe80::" not in d]
        if diff:
            mismatches.append(f"{label}: not restored: {diff}")
        if pids(ns):
            mismatches.append(f"{label}: processes left in the namespace: {pids(ns)}")
        drop_namespace(ns)

    # a failure injected before each kernel operation, through the backend's faults hook
    for number in range(operations):
        ns, before = fresh()
        result = netlink.apply(placed(spec, ns), faults=fail_at(number))
        failure = [d.message for d in result.problems if d.code == "NS503"]
        if result.ok or not result.rolled_back or not failure or "injected failure" not in failure[0]:
            mismatches.append(f"operation {number}: ok={result.ok} rolled_back={result.rolled_back} "
                              f"{[d.message for d in result.problems]}")
        elif any(d.code == "NS507" for d in result.problems):
            mismatches.append(f"operation {number}: undo failed: {[d.message for d in result.problems]}")
        check(ns, before, f"operation {number}")

    # failures the kernel and teamd make themselves, through the CLI
    blocker = make_netns()  # teamd's pid file is global: a teamd for tm0 anywhere blocks ours
    natural = {
        "tm0 taken as an altname": (["link property add dev e3 altname tm0"], None, "create team tm0"),
        "teamd already runs tm0": ([], blocker, "create team tm0"),
        "mtu above the parent's": (["link set dev e2 mtu 1300"], None, "vl5"),
    }
    for label, (extra, other, step) in natural.items():
        if other is not None:
            subprocess.run(["ip", "netns", "exec", other, "teamd", "-d", "-t", "tm0", "-c",
                            '{"device": "tm0", "runner": {"name": "roundrobin"}}'], check=True, capture_output=True)
        ns, before = fresh(extra)
        result = apply(spec, ns)
        if result.exit_code != 1 or "[NS503]" not in result.stderr or step not in result.stderr:
            mismatches.append(f"{label}: exit {result.exit_code}, expected a failed step '{step}':\n{result.output}")
        elif "the namespaces are as they were" not in result.stderr:
            mismatches.append(f"{label}: {result.stderr}")
        check(ns, before, label)
        if other is not None:
            subprocess.run(["ip", "netns", "exec", other, "teamd", "-t", "tm0", "-k"], capture_output=True, check=False)

    assert mismatches == [], "\n\n".join(mismatches)


# Regression: netscript/backends/netlink/execute.py, Executor.reattach (called by Executor.restore
# when a deleted link is made again) once enslaved the old ports while they were up (the forward
# path takes them down first, Step.down_first), and bonding refused: "Device can not be enslaved
# while up" (EPERM), the ports stayed released.
def test_rollback_of_a_recreated_bond_gives_its_ports_back(netns, tmp_path):
    ns = netns
    ip_batch(ns, ["link add e0 type dummy", "link add e1 type dummy",
                  "link add bond0 type bond mode balance-rr miimon 50", "link set dev e0 master bond0",
                  "link set dev bond0 up"])
    spec = tmp_path / "bond.ns"
    spec.write_text("physical e0\nphysical e1\nbond bond0 mode active-backup miimon 100 {\n    ports e0 e1\n    up\n}\n")
    before = state_of(ns)

    def fail_enslaving_e1(op, step, description):
        if description.startswith("enslave e1"):  # after bond0 was deleted and made again
            fail_at(op)(op, step, description)

    result = netlink.apply(placed(spec, ns), faults=fail_enslaving_e1)
    assert not result.ok and result.rolled_back, [d.message for d in result.problems]
    assert [d.message for d in result.problems if d.code == "NS507"] == []
    # bond0's IPv6 link-local address comes when its carrier does, a moment after `before`: the
    # kernel's own doing, as in test_a_failure_at_any_step_rolls_everything_back
    assert [d for d in changed(before, state_of(ns)) if "fe80::" not in d] == []


# Regression: netscript/netlink/schema.py, encode_special once handed pyroute2 the MAC
# text for IFLA_BOND_AD_ACTOR_SYSTEM, which pyroute2 0.9 declares 'hex'; the kernel wants the 6
# bytes and refused the create: ERANGE, "Attribute failed policy validation".
def test_bond_ad_actor_system_applies(netns, tmp_path):
    spec = tmp_path / "actor.ns"
    spec.write_text("bond lacp0 mode 802.3ad ad_actor_system 02:00:00:00:00:01\n")
    result = apply(spec, netns)
    assert result.exit_code == 0, result.output
    assert differences(placed(spec, netns)) == []


# Regression: netscript/backends/netlink/execute.py, Executor.enslave's undo once only released
# the port: the kernel gives a portless bond a random MAC when its last port leaves, so the bond's
# own (configured) MAC was lost.
def test_rollback_of_a_bonds_first_port_keeps_its_mac(netns, tmp_path):
    ns = netns
    ip_batch(ns, ["link add e0 type dummy", "link add bond0 address 02:00:00:00:09:09 type bond mode active-backup"])
    spec = tmp_path / "bond.ns"
    spec.write_text("physical e0\nbond bond0 mode active-backup {\n    ports e0\n    up\n}\n")
    before = state_of(ns)

    def fail_last(op, step, description):
        if description.startswith("set bond0 up"):
            fail_at(op)(op, step, description)

    result = netlink.apply(placed(spec, ns), faults=fail_last)
    assert not result.ok and result.rolled_back, [d.message for d in result.problems]
    assert [d for d in changed(before, state_of(ns)) if "/tso_max_size:" not in d] == []
