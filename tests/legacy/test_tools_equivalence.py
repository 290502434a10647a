"""tunctl and ifconfig scripts and their translations, in the real kernel.

The same method as for brctl: the legacy script runs with the real tool in
one fresh namespace, the translation in another with that tool shadowed by a
failing stub, and the namespaces are compared from `ip -d -j` (tun/tap
owner, group and type; MTU, MAC, flags, queue length, addresses with prefix,
broadcast and label).
"""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from .harness import have, run_script, translate


def _stub(directory: str, tool: str) -> str:
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, tool)
    with open(path, "w") as f:
        f.write(f"#!/bin/sh\necho called >> {directory}/{tool}-was-called\nexit 97\n")
    os.chmod(path, 0o755)
    return directory


def _state(netns: str) -> dict:
    def ip(*args):
        out = subprocess.run(["ip", "-n", netns, "-d", "-j", *args], capture_output=True, text=True, check=True).stdout
        return json.loads(out or "[]")

    state = {}
    for link in ip("link", "show"):
        if link["ifname"] == "lo":
            continue
        data = link.get("linkinfo", {}).get("info_data", {})
        state[link["ifname"]] = {
            "kind": link.get("linkinfo", {}).get("info_kind"),
            "tun": {k: data.get(k) for k in ("type", "user", "group", "pi", "persist")} if "type" in data else None,
            "mtu": link["mtu"],
            "flags": sorted(f for f in link["flags"] if f not in ("LOWER_UP", "NO-CARRIER", "M-DOWN")),
            "txqlen": link.get("txqlen"),
        }
    for entry in ip("address", "show"):
        if entry["ifname"] in state:
            state[entry["ifname"]]["addresses"] = sorted(
                (a["local"], a["prefixlen"], a.get("broadcast"), a.get("label")) for a in entry.get("addr_info", [])
            )
    return state


def _equivalent(netns, workdir, tool, legacy, prelude="", **options):
    modern_ns = f"{netns}-modern"
    subprocess.run(["ip", "netns", "add", modern_ns], check=True)
    translated = translate(prelude + legacy, **options)
    stub = _stub(str(workdir / "stub"), tool)
    old = run_script(netns, prelude + legacy, str(workdir))
    new = run_script(modern_ns, translated, str(workdir), path_prefix=stub)
    assert not os.path.exists(os.path.join(stub, f"{tool}-was-called")), translated
    before, after = _state(netns), _state(modern_ns)
    assert after == before, f"translated:\n{translated}\nlegacy stderr:\n{old.stderr}\ntranslated stderr:\n{new.stderr}"
    return before, translated


@pytest.mark.skipif(not have("tunctl"), reason="needs uml-utilities (tests/system-packages.txt)")
def test_tunctl(netns, tmp_path):
    legacy = """#!/bin/sh
tunctl -t tap0
tunctl -u nobody -t tap1
tunctl -g 100 -t tap2 >/dev/null
tunctl -t tap3
tunctl -d tap3
TAP=tap4
tunctl -u "$USER_ID" -t "$TAP"
"""
    state, translated = _equivalent(netns, tmp_path, "tunctl", legacy, prelude="#!/bin/sh\nUSER_ID=1000\n")
    assert state["tap0"]["tun"]["user"] == "root" and state["tap1"]["tun"]["user"] == "nobody"
    assert state["tap2"]["tun"]["user"] is None and state["tap2"]["tun"]["group"] is not None
    assert "tap3" not in state
    assert "tunctl" not in translated.replace("#!/bin/sh", "")


@pytest.mark.skipif(not have("ifconfig"), reason="needs net-tools (tests/system-packages.txt)")
def test_ifconfig(netns, tmp_path):
    prelude = "#!/bin/sh\nip link add v0 type veth peer name v0p\nip link add v1 type veth peer name v1p\nip link add v2 type veth peer name v2p\n"
    legacy = """ifconfig v0 192.168.1.10 netmask 255.255.255.0 up
ifconfig v0:1 192.168.2.10 netmask 255.255.255.0
ifconfig v1 10.1.2.3
ifconfig v1 mtu 01400 txqueuelen 500 promisc -arp
ifconfig v2 hw ether 02:00:00:00:00:42 up
ifconfig v2 172.16.5.1 broadcast 172.16.255.254
ifconfig v1 -promisc allmulti down
IP=192.0.2.7
ifconfig v2:9 $IP netmask 255.255.255.128
"""
    state, _ = _equivalent(netns, tmp_path, "ifconfig", legacy, prelude=prelude)
    assert state["v0"]["addresses"] == [("192.168.1.10", 24, "192.168.1.255", "v0"), ("192.168.2.10", 24, "192.168.2.255", "v0:1")]
    # no netmask: the classful /8, and the broadcast address the kernel works out
    assert state["v1"]["mtu"] == 1400 and ("10.1.2.3", 8, "10.255.255.255", "v1") in state["v1"]["addresses"]
    assert "NOARP" in state["v1"]["flags"] and "ALLMULTI" in state["v1"]["flags"]
