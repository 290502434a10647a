"""The functions a translation defines for parsed output print what the old tool printed.

``brctl show | grep ...`` becomes ``brctl_show | grep ...``: each case builds a
state in a fresh namespace, runs the real brctl and the function there, and
compares stdout line for line, stderr and the exit status.
"""

from __future__ import annotations

import subprocess

import pytest

from netscript.frontends.legacy.helpers import HELPERS

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
