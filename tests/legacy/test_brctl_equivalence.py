"""brctl scripts and their translations build the same bridges in the real kernel.

For each generated script (see brctl_cases): run it with Debian's brctl in
one fresh namespace, run its translation in another with a `brctl` first on
PATH that fails and leaves a mark, and compare every link's kind and master,
every bridge's timers, priority and STP state, and every port's cost,
priority and hairpin, attribute by attribute.
"""

from __future__ import annotations

import os
import subprocess

import pytest

from .brctl_cases import case
from .harness import failing_brctl, have, link_state, run_script, translate

pytestmark = pytest.mark.skipif(not have("brctl"), reason="needs bridge-utils (tests/system-packages.txt)")

SEEDS = range(40)


def _equivalent(netns: str, legacy: str, workdir, **options) -> tuple[dict, str]:
    modern_ns = f"{netns}-modern"
    subprocess.run(["ip", "netns", "add", modern_ns], check=True)
    translated = translate(legacy, **options)
    stub = failing_brctl(str(workdir / "stub"))
    old = run_script(netns, legacy, str(workdir))
    new = run_script(modern_ns, translated, str(workdir), path_prefix=stub)
    assert not os.path.exists(os.path.join(stub, "brctl-was-called")), f"the translation still runs brctl:\n{translated}\n{new.stderr}"
    before, after = link_state(netns), link_state(modern_ns)
    assert after == before, f"legacy:\n{legacy}\ntranslated:\n{translated}\nlegacy stderr:\n{old.stderr}\ntranslated stderr:\n{new.stderr}"
    return before, translated


@pytest.mark.parametrize("seed", SEEDS)
def test_generated_brctl_script_builds_the_same_bridges(netns, tmp_path, seed):
    legacy = case(seed)
    state, _ = _equivalent(netns, legacy, tmp_path)
    # the comparison is not vacuous: the scripts built bridges
    assert any(entry["kind"] == "bridge" for entry in state.values()) or "delbr" in legacy


def test_decimal_timers_octal_priority_and_switch_words(netns, tmp_path):
    legacy = """#!/bin/sh
ip link add v0 type veth peer name v0p
brctl addbr br0
brctl setfd br0 2.5
brctl sethello br0 2.726
brctl setmaxage br0 1e1
brctl setageing br0 0.29
brctl setbridgeprio br0 010
brctl addif br0 v0
brctl setpathcost br0 v0 0x20
brctl setportprio br0 v0 010
brctl hairpin br0 v0 yes
brctl stp br0 yes
"""
    state, translated = _equivalent(netns, legacy, tmp_path)
    # brctl's own arithmetic, read back from the kernel (which rounds through jiffies)
    assert state["br0"]["priority"] == 8
    assert state["v0"]["port_cost"] == 32 and state["v0"]["port_priority"] == 8 and state["v0"]["port_hairpin"] is True
    assert state["br0"]["stp_state"] == 1
    assert "forward_delay 250" in translated and "hello_time 272" in translated and "max_age 1000" in translated
    assert "ageing_time 29\n" in translated  # 0.29 s: brctl gets 29 where 0.29 * 100 truncates to 28


def test_timers_and_switches_in_variables_are_converted_when_the_script_runs(netns, tmp_path):
    legacy = """#!/bin/sh
FD=2.5
HELLO=3
STP=yes
HAIRPIN=on
ip link add v0 type veth peer name v0p
brctl addbr br0
brctl setfd br0 $FD
brctl sethello br0 "$HELLO"
brctl stp br0 $STP
brctl addif br0 v0
brctl hairpin br0 v0 "$HAIRPIN"
"""
    state, translated = _equivalent(netns, legacy, tmp_path)
    assert state["br0"]["stp_state"] == 1 and state["v0"]["port_hairpin"] is True
    assert "awk" in translated and "case $STP in" in translated


def test_a_refused_value_fails_in_both(netns, tmp_path):
    """STP on and a forward delay under 2 s: the kernel refuses it from brctl and from ip alike."""
    legacy = """#!/bin/sh
brctl addbr br0
brctl stp br0 on
brctl setfd br0 1.5
brctl setfd br0 7
"""
    state, _ = _equivalent(netns, legacy, tmp_path)
    assert state["br0"]["stp_state"] == 1


def test_brctl_show_in_a_condition_tests_the_same_thing(netns, tmp_path):
    legacy = """#!/bin/sh
brctl addbr br0
if brctl show br0 >/dev/null 2>&1; then brctl addbr yes-br0; fi
if brctl show nosuch >/dev/null 2>&1; then brctl addbr yes-nosuch; fi
ip link add v0 type veth peer name v0p
brctl show v0 >/dev/null 2>&1 && brctl addbr yes-v0
"""
    state, translated = _equivalent(netns, legacy, tmp_path)
    assert "yes-br0" in state and "yes-nosuch" not in state and "yes-v0" not in state
    assert "brctl" not in translated.replace("#!/bin/sh", "")


def test_idempotent_translation_runs_twice_and_builds_the_same(netns, tmp_path):
    legacy = """#!/bin/sh
set -e
ip link add v0 type veth peer name v0p 2>/dev/null || true
brctl addbr br0
brctl stp br0 on
brctl addif br0 v0
brctl setpathcost br0 v0 7
"""
    modern_ns = f"{netns}-modern"
    subprocess.run(["ip", "netns", "add", modern_ns], check=True)
    translated = translate(legacy, idempotent=True)
    stub = failing_brctl(str(tmp_path / "stub"))
    assert run_script(netns, legacy, str(tmp_path)).returncode == 0
    # faithful: the legacy script fails the second time (br0 exists), the idempotent one does not
    assert run_script(netns, legacy, str(tmp_path)).returncode != 0
    for _ in range(2):
        again = run_script(modern_ns, translated, str(tmp_path), path_prefix=stub)
        assert again.returncode == 0, again.stderr
    assert link_state(modern_ns) == link_state(netns)


WRAPPED = """#!/bin/sh
fatal() {
    echo "$*" >&2
    exit 1
}
do_or_die() {
    "$@" || fatal "$* failed"
}
do_without_error() {
    "$@" 2>/dev/null || true
}
run() {
    echo "+ $*"
    "$@"
}
ip link add br0 type bridge
ip link add br1 type bridge
ip link add v0 type veth peer name v0p
ip link add v1 type veth peer name v1p
ip link set v1 master br1
run brctl addif br0 v0
do_without_error brctl delif br0 v1
do_without_error brctl delif br1 nosuch
echo "still here"
do_or_die brctl addif br0 v1
echo "not reached"
"""


def test_runner_functions_keep_what_they_do_with_a_failure(netns, tmp_path):
    # v1 is br1's port: delif from br0 fails and is swallowed (v1 stays on br1), addif to br0 dies
    modern_ns = f"{netns}-modern"
    subprocess.run(["ip", "netns", "add", modern_ns], check=True)
    translated = translate(WRAPPED)
    assert "brctl" not in translated, translated
    old = run_script(netns, WRAPPED, str(tmp_path))
    new = run_script(modern_ns, translated, str(tmp_path), path_prefix=failing_brctl(str(tmp_path / "stub")))
    assert link_state(modern_ns) == link_state(netns)
    assert link_state(netns)["v1"]["master"] == "br1" and link_state(netns)["v0"]["master"] == "br0"
    assert (new.returncode, "still here" in new.stdout, "not reached" in new.stdout) == (old.returncode, True, False)
    assert old.returncode == 1


@pytest.mark.parametrize("pairs,status", [("v0 40", 0), ("v0", 1), ("v0 40 extra", 0), ("", 1)])
def test_arguments_a_variable_splits_into_are_split_at_run_time(netns, tmp_path, pairs, status):
    # `brctl setpathcost br0 $PAIRS`: which words brctl got only the running shell knows; the
    # translation asks it with `set --`, and fails as brctl did when the count is wrong
    legacy = f"""#!/bin/sh
ip link add v0 type veth peer name v0p
brctl addbr br0
brctl addif br0 v0
PAIRS="{pairs}"
brctl setpathcost br0 $PAIRS
echo "status $?"
"""
    modern_ns = f"{netns}-modern"
    subprocess.run(["ip", "netns", "add", modern_ns], check=True)
    translated = translate(legacy)
    assert "( set -- $PAIRS;" in translated, translated
    stub = failing_brctl(str(tmp_path / "stub"))
    old = run_script(netns, legacy, str(tmp_path))
    new = run_script(modern_ns, translated, str(tmp_path), path_prefix=stub)
    assert not os.path.exists(os.path.join(stub, "brctl-was-called")), translated
    assert f"status {status}" in old.stdout, old.stdout + old.stderr
    assert f"status {status}" in new.stdout, f"{translated}\n{new.stdout}{new.stderr}"
    assert link_state(modern_ns) == link_state(netns)
