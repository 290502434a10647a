"""Deleting a link of the wrong kind fails, as it did with the old tool, and deletes nothing.

`ip link delete` deletes a link of any kind, and `ip link delete dev X type bridge`
too (iproute2 sends the kind, the kernel's dellink ignores it: checked here). The old
tools asked the kernel something that only works on their kind:

- ``brctl delbr X``: SIOCBRDELBR, EPERM unless X is a bridge (br_del_bridge);
- ``vconfig rem X``: SIOCSIFVLAN DEL_VLAN_CMD, EINVAL unless X is a VLAN (vlan_ioctl_handler);
- ``echo -X > /sys/class/net/bonding_masters``: ENODEV unless X is a bond (bonding_store_bonds).

This kernel has no 8021q or bonding, so the old vconfig and bonding_masters cannot run
here; the translation is run against a veth, which each of them refused, and must fail
and leave it. brctl's side is compared with the real brctl in test_brctl_faithful.py;
the kernel-lab tier (tests/kernel/test_legacy_lab.py) runs the other two on a VLAN and a bond.
"""

from __future__ import annotations

import subprocess

import pytest

from .harness import link_state, run_script, translate

SETUP = "ip link add v0 type veth peer name v0p; ip link add br0 type bridge"

WRONG_KIND = [
    "brctl delbr v0",
    "vconfig rem v0",
    "echo -v0 > /sys/class/net/bonding_masters",
    "X=v0\nvconfig rem $X",
    'X=v0\necho "-$X" > /sys/class/net/bonding_masters',
    "vconfig rem br0",
    "echo -br0 > /sys/class/net/bonding_masters",
]


def _run(netns, text, workdir):
    subprocess.run(["ip", "netns", "exec", netns, "sh", "-ec", SETUP], check=True, capture_output=True)
    return run_script(netns, text, str(workdir))


def test_ip_link_delete_with_a_type_deletes_another_kind(netns, tmp_path):
    """Why the translations test the kind first: iproute2 and the kernel do not."""
    proc = _run(netns, "ip link delete dev v0 type bridge\n", tmp_path)
    assert proc.returncode == 0 and "v0" not in link_state(netns)


@pytest.mark.parametrize("legacy", WRONG_KIND)
def test_deleting_the_wrong_kind_fails_and_deletes_nothing(netns, tmp_path, legacy):
    translated = translate(legacy + "\n")
    assert "ip link delete" in translated, translated
    proc = _run(netns, translated, tmp_path)
    assert proc.returncode == 1, f"{translated}\n{proc.stderr}"
    assert {"v0", "v0p", "br0"} <= set(link_state(netns)), translated


@pytest.mark.parametrize("legacy", WRONG_KIND)
def test_under_set_e_the_script_stops_there(netns, tmp_path, legacy):
    translated = translate("set -e\n" + legacy + "\nip link add after type bridge\n")
    proc = _run(netns, translated, tmp_path)
    assert proc.returncode != 0 and "after" not in link_state(netns), translated


def test_the_right_kind_is_deleted(netns, tmp_path):
    proc = _run(netns, translate("brctl delbr br0\n"), tmp_path)
    assert proc.returncode == 0 and "br0" not in link_state(netns)
