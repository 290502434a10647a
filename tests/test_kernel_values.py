"""Values netscript reads for `ip link add ... type bridge`, accepted exactly where ip and the kernel accept them."""

from __future__ import annotations

import subprocess

import pytest

from netscript import kinds
from netscript.ir.model import LinkKind

pytestmark = pytest.mark.kernel

def codec(key: str):
    from netscript.kinds.spec import settings

    return settings(kinds.KINDS[LinkKind.BRIDGE].options)[key][1].codec


def accepts(key: str, text: str) -> bool:
    try:
        value = codec(key).parse(text)
    except ValueError:
        return False
    return codec(key).check(value) is None


@pytest.mark.parametrize("key", ["stp_state", "vlan_filtering", "mcast_snooping"])
@pytest.mark.parametrize("text", ["0", "1", "2", "255", "256", "4294967295", "4294967296"])
def test_bridge_flags_as_numbers(netns, key, text):
    made = subprocess.run(["ip", "-n", netns, "link", "add", "br0", "type", "bridge", key, text],
                          capture_output=True, text=True, check=False)
    if made.returncode == 0:
        subprocess.run(["ip", "-n", netns, "link", "delete", "br0"], check=True)
    elif "not supported" in made.stderr.lower() or "unknown" in made.stderr.lower():
        pytest.skip(f"this kernel's bridge lacks {key}")
    assert accepts(key, text) == (made.returncode == 0), made.stderr
