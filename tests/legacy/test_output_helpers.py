"""The functions a translation defines for parsed output print what the old tool printed.

``brctl show | grep ...`` becomes ``brctl_show | grep ...`` (and ``brctl
showstp`` ``brctl_showstp``, ``ifconfig`` ``ifconfig_show``): each case builds a
state in a fresh namespace, runs the real tool and the function there, and
compares stdout line for line, stderr and the exit status.
"""

from __future__ import annotations

import re
import subprocess

import pytest

from netscript.frontends.legacy.helpers import HELPERS, definition, definitions

from .harness import have, translate

pytestmark = pytest.mark.skipif(not have("brctl"), reason="needs bridge-utils (tests/system-packages.txt)")

VETHS = "; ".join(f"ip link add v{i} type veth peer name v{i}p" for i in range(3))
STATES = {
    "no-bridge": VETHS,
    "bridge-without-ports": f"{VETHS}; ip link add br0 type bridge",
    "bridge-with-ports": f"{VETHS}; ip link add br0 type bridge; ip link set v1 master br0; ip link set v0 master br0",
    "several-bridges": (
        f"{VETHS}; ip link add br1 type bridge; ip link add br0 type bridge; ip link add averyverylongbr type bridge"
        "; ip link set v0 master br1; ip link set v2 master br1; ip link set v1 master averyverylongbr"
        "; ip link set br1 type bridge stp_state 1 priority 4096"
    ),
}
ARGUMENTS = ["", "br0", "br1 br0", "nosuch", "v0", "br0 nosuch v0"]


@pytest.mark.parametrize("arguments", ARGUMENTS)
@pytest.mark.parametrize("state", STATES)
def test_brctl_show_prints_what_brctl_printed(netns, state, arguments):
    subprocess.run(["ip", "netns", "exec", netns, "sh", "-ec", STATES[state]], check=True, capture_output=True)

    def run(script: str) -> tuple[list[str], str, int]:
        proc = subprocess.run(["ip", "netns", "exec", netns, "sh", "-c", script], capture_output=True, text=True, check=False)
        return proc.stdout.split("\n"), proc.stderr, proc.returncode

    assert run(HELPERS["brctl_show"] + f"brctl_show {arguments}") == run(f"brctl show {arguments}")


def test_a_script_that_parses_brctl_show_calls_the_function_defined_once_at_the_top():
    script = "#!/bin/sh\n# header\n\nbrctl show | grep -q br0\nx=$(brctl show br0 | awk 'NR > 1')\n"
    out = translate(script)
    assert out.count("brctl_show() (") == 1
    assert out.index("brctl_show() (") < out.index("brctl_show | grep -q br0")
    assert out.startswith("#!/bin/sh\n# header\n\n# What `brctl show")
    assert "x=$(brctl_show br0 | awk 'NR > 1')" in out
    # a prefix runs a program, not the script's function: left
    assert "sudo brctl show" in translate("sudo brctl show | grep -q br0\n")


def _run_in(netns: str, script: str) -> tuple[list[str], str, int]:
    proc = subprocess.run(["ip", "netns", "exec", netns, "sh", "-c", script], capture_output=True, text=True, check=False)
    return proc.stdout.split("\n"), proc.stderr, proc.returncode


# brctl's timers run on between the two reads: their values are masked, their layout is not
TIMERS = re.compile(r"(timer\t+) *\d+\.\d\d")


def _masked(result: tuple[list[str], str, int]) -> tuple[list[str], str, int]:
    lines, stderr, status = result
    return [TIMERS.sub(r"\1TIMER", line) for line in lines], stderr, status


STP_STATE = (
    f"{VETHS}; ip link add br0 type bridge; ip link add br1 type bridge"
    "; ip link set v0 master br0; ip link set v2 master br0; ip link set v1 master br0"
    "; ip link set v2 type bridge_slave hairpin on cost 7 priority 3"
    "; ip link set br0 type bridge stp_state 1 priority 4096 forward_delay 700; ip link set br0 up; ip link set v0 up; ip link set v0p up"
    """; ip link add 'br$x' type bridge; ip link add 'p*' type veth peer name 'p*p'; ip link set 'p*' master 'br$x'"""
)


@pytest.mark.parametrize("bridge", ["br0", "br1", "'br$x'", "nosuch", "v0"])
def test_brctl_showstp_prints_what_brctl_printed(netns, bridge):
    subprocess.run(["ip", "netns", "exec", netns, "sh", "-ec", STP_STATE], check=True, capture_output=True)
    mine = _masked(_run_in(netns, HELPERS["brctl_showstp"] + f"brctl_showstp {bridge}"))
    assert mine == _masked(_run_in(netns, f"brctl showstp {bridge}"))
    assert mine[2] == (0 if bridge.strip("'").startswith("br") else 1)


IFCONFIG_STATE = (
    # the counters must stand still once the state is built: no router solicitations or duplicate
    # address probes on their own schedule (the namespace's own /proc/sys/net, which new links copy)
    "for key in router_solicitations dad_transmits; do for c in all default; do echo 0 > /proc/sys/net/ipv6/conf/$c/$key; done; done"
    "; ip link set lo up; ip link add eth0 type veth peer name eth0p; ip link add br0 type bridge; ip link set eth0p master br0"
    "; ip address add 10.20.0.2/16 dev eth0; ip address add 10.20.0.9/24 dev eth0"
    "; ip address add 10.20.0.99/16 brd 10.20.255.255 dev eth0 label eth0:0"
    "; ip address add 10.30.0.1/32 dev eth0 label eth0:10; ip address add 10.30.0.2/8 dev eth0 label eth0:2"
    "; ip address add 2001:db8::1/64 dev eth0; ip address add 2001:db8:0:1::/64 dev eth0"
    "; ip link set eth0 up; ip link set eth0p up; ip link set br0 mtu 1400 up; ip address add 10.1.1.1/24 dev br0"
    "; ip tuntap add dev tap0 mode tap; ip link set tap0 promisc on allmulticast on"
    "; ip tuntap add dev tun0 mode tun; ip link set tun0 up; ip address add 10.9.0.1 peer 10.9.0.2 dev tun0"
    "; ip link add eth10 type veth peer name eth2; ip link add a1b type veth peer name a1; ip address add 10.3.0.1/24 dev a1 label a1:3"
    # names a shell must not expand, and one with the @ that ip writes between a link and its parent
    """; ip link add 'a@b' type veth peer name 'v*'; ip address add 10.4.0.1/24 dev 'v*' label 'v*:3'"""
    # traffic, so that the byte counts are scaled (KiB, MiB)
    "; ip address add 10.1.1.2/24 dev eth0p; sleep 2; ping -c 25 -i 0.01 -s 60000 -q 10.1.1.2 >/dev/null; ping -c 3 -q 10.20.0.2 >/dev/null"
)
IFCONFIG_ARGUMENTS = ["", "-a", "eth0", "eth0:0", "eth0:7", "a1:3", "lo", "tun0", "tap0", "br0", "'a@b'", "'v*:3'", "nosuch", "nosuch:1"]


@pytest.mark.skipif(not have("ifconfig"), reason="needs net-tools (tests/system-packages.txt)")
def test_ifconfig_show_prints_what_ifconfig_printed(netns):
    subprocess.run(["ip", "netns", "exec", netns, "sh", "-ec", IFCONFIG_STATE], check=True, capture_output=True)
    # one state for every form: its counters stand still once the pings are done (nothing else sends)
    for arguments in IFCONFIG_ARGUMENTS:
        mine = _run_in(netns, HELPERS["ifconfig_show"] + f"ifconfig_show {arguments}")
        assert mine == _run_in(netns, f"ifconfig {arguments}"), arguments
        assert mine[2] == (1 if arguments.startswith("nosuch") else 0)
    assert "MiB)" in _run_in(netns, "ifconfig lo")[0][4]


def test_the_functions_pass_shellcheck_and_dash():
    text = "#!/bin/sh\n" + definitions([*HELPERS, "bonding_write"]) + 'brctl_show; brctl_showstp br0; ifconfig_show -a; netmask_prefix "$1"; bonding_write "$2" "$3"\n'
    assert subprocess.run(["dash", "-n"], input=text, text=True, check=False).returncode == 0
    proc = subprocess.run(["shellcheck", "-s", "sh", "-"], input=text, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout


BONDING_WRITES = [
    # no bonding driver file: written as echo wrote it, or failing as it failed
    ('"$WORK/bonding.txt" hello', '"$WORK/bonding.txt"', "hello"),
    ('"$WORK/none/bonding_masters" +b0', '"$WORK/none/bonding_masters"', "+b0"),
    # the driver's file where the driver is not loaded (not on this kernel): the write fails
    ("/sys/class/net/bonding_masters +b0", "/sys/class/net/bonding_masters", "+b0"),
    ("/sys/class/net/lo/bonding/miimon 100", "/sys/class/net/lo/bonding/miimon", "100"),
]


@pytest.mark.parametrize("arguments,path,value", BONDING_WRITES)
def test_bonding_write_does_what_echo_did_to_a_file_that_is_no_bonding_file(netns, tmp_path, arguments, path, value):
    def run(script: str) -> tuple[int, str]:
        work = tmp_path / str(len(list(tmp_path.iterdir())))
        work.mkdir()
        proc = subprocess.run(["ip", "netns", "exec", netns, "sh", "-c", script], env={"WORK": str(work), "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}, capture_output=True, text=True, check=False)
        written = work / "bonding.txt"
        return proc.returncode, written.read_text() if written.exists() else ""

    assert run(definition("bonding_write") + f"bonding_write {arguments}") == run(f"echo {value} > {path}")
