"""Every ifconfig form netscript translates, run against net-tools' ifconfig in the real kernel.

For each case the same starting state (a veth pair, maybe addresses and
aliases on v0, maybe v0 up) is built in two fresh namespaces; the legacy
line runs with the real /sbin/ifconfig in one, its translation in the other
with ifconfig shadowed by a stub that fails and leaves a mark. Compared:
every link's flags, MTU, queue length and MAC, every address with its prefix, broadcast
and label, and whether the command succeeded (ifconfig exits 255 where a
flag change fails and 1 where an address ioctl does; ip exits 1 or 2, and
the translation's checks 1: failure is compared, not the number).

The cases are the ones where a translation used to do something else: a
link left down after ifconfig set an address (ifconfig ORs IFF_UP into the
flags after SIOCSIFADDR), a whole link taken down for `ifconfig eth0:1 down`
(which removes the alias address and nothing else), an alias added next to
the one ifconfig replaced, a re-run failing on an address already there.
"""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from netscript.frontends.legacy.model import Options
from netscript.frontends.legacy.reader import read_script
from netscript.frontends.legacy.rewrite import translate_script
from netscript.ir.model import AdminState
from netscript.source import Source

from .harness import have, run_script, translate

pytestmark = pytest.mark.skipif(not have("ifconfig"), reason="needs net-tools (tests/system-packages.txt)")

VETH = "ip link add v0 address 02:00:00:00:00:01 type veth peer name v0p address 02:00:00:00:00:02"
# Starting states (v0's peer stays down: no carrier, so no link-local address to race with).
DOWN = VETH
UP = f"{VETH}; ip link set v0 up"
ADDRESSED = f"{VETH}; ip address add 192.168.1.5/24 dev v0"  # down, as after `ifconfig v0 down`
UP_ALIAS = f"{UP}; ip address add 192.168.1.1/24 dev v0; ip address add 10.0.0.1/24 dev v0 label v0:1"
DOWN_ALIAS = f"{VETH}; ip address add 10.0.0.1/24 dev v0 label v0:1"
ALIAS_FIRST = f"{UP}; ip address add 192.168.1.5/24 dev v0 label v0:1; ip address add 192.168.1.6/24 dev v0"
TWO_PRIMARIES = f"{UP}; ip address add 192.168.1.5/24 dev v0; ip address add 10.9.9.9/16 dev v0"
WITH_V6 = f"{VETH}; ip address add 2001:db8::5/64 dev v0 nodad"
TUN = "ip tuntap add dev t0 mode tun"  # point-to-point, no IFF_BROADCAST
TAP = "ip tuntap add dev t0 mode tap; ip link set t0 address 02:00:00:00:00:09"
LO_UP = "ip link set lo up"

CASES = [
    # an address brings the link up
    ("address-classful", DOWN, "ifconfig v0 10.1.2.3"),
    ("address-netmask", DOWN, "ifconfig v0 192.168.1.5 netmask 255.255.255.0"),
    ("address-broadcast", DOWN, "ifconfig v0 192.168.1.5 broadcast 192.168.1.77"),
    ("address-netmask-broadcast", DOWN, "ifconfig v0 192.168.1.5 netmask 255.255.0.0 broadcast 192.168.1.77"),
    ("address-cidr", DOWN, "ifconfig v0 10.0.0.1/24"),
    ("address-mtu", DOWN, "ifconfig v0 192.168.1.5 mtu 1400"),
    ("address-up", DOWN, "ifconfig v0 192.168.1.5 netmask 255.255.255.0 up"),
    ("address-inet", DOWN, "ifconfig v0 inet 192.168.1.5 netmask 255.255.255.0"),
    # the kernel recomputes a broadcast equal to the old default when the netmask changes
    ("broadcast-then-netmask", DOWN, "ifconfig v0 192.168.1.5 broadcast 192.168.1.255 netmask 255.255.0.0"),
    ("netmask-after-up", DOWN, "ifconfig v0 192.168.1.5 up netmask 255.255.255.128"),
    # ADDR/LEN's netmask comes last: the default broadcast of the classful /8 becomes the /24's
    ("cidr-broadcast-recomputed", DOWN, "ifconfig v0 10.0.0.1/24 broadcast 10.255.255.255"),
    ("class-e", DOWN, "ifconfig v0 240.0.0.1"),
    # a /32 has no default broadcast, so the netmask has none to recompute
    ("class-e-netmask", DOWN, "ifconfig v0 240.0.0.1 netmask 255.255.255.0"),
    ("txqueuelen-octal", DOWN, "ifconfig v0 txqueuelen 010"),
    # down after the address: up first (which clears IPv6 addresses on the way down), then down
    ("address-down", WITH_V6, "ifconfig v0 192.168.1.5 down"),
    # the same address again: ifconfig keeps it and still brings the link up
    ("address-again", ADDRESSED, "ifconfig v0 192.168.1.5 netmask 255.255.255.0 up"),
    ("zero", DOWN, "ifconfig v0 0.0.0.0"),
    ("zero-addressed", ADDRESSED, "ifconfig v0 0.0.0.0"),
    # 0.0.0.0 removes the first address labelled v0, not the alias before it, not another primary
    ("zero-keeps-alias", ALIAS_FIRST, "ifconfig v0 0.0.0.0"),
    ("zero-first-primary", TWO_PRIMARIES, "ifconfig v0 0.0.0.0"),
    ("zero-promisc-up", ADDRESSED, "ifconfig v0 0.0.0.0 promisc up"),
    ("inet6-add", DOWN, "ifconfig v0 inet6 add 2001:db8::1/64"),
    ("inet6-del", WITH_V6, "ifconfig v0 inet6 del 2001:db8::5/64"),
    ("up", DOWN, "ifconfig v0 up"),
    ("down", UP_ALIAS, "ifconfig v0 down"),
    ("no-such-link", DOWN, "ifconfig nosuch 10.0.0.1"),
    ("zero-no-such-link", DOWN, "ifconfig nosuch 0.0.0.0"),
    # aliases: an IPv4 address labelled v0:1, the link itself untouched
    ("alias-address", DOWN, "ifconfig v0:1 10.0.0.2"),
    ("alias-address-up-link", UP, "ifconfig v0:1 10.0.0.2"),
    ("alias-replaced", UP_ALIAS, "ifconfig v0:1 10.0.0.2"),
    ("alias-replaced-down-link", DOWN_ALIAS, "ifconfig v0:1 10.0.0.2 netmask 255.255.255.0"),
    ("alias-netmask-up", DOWN, "ifconfig v0:1 10.0.0.2 netmask 255.255.255.0 up"),
    ("alias-netmask-up-up-link", UP, "ifconfig v0:1 10.0.0.2 netmask 255.255.255.0 up"),
    # broadcast sets IFF_BROADCAST through the alias: on a link that is down, that deletes it
    ("alias-broadcast-down-link", DOWN, "ifconfig v0:1 10.0.0.2 netmask 255.255.0.0 broadcast 10.0.0.7"),
    ("alias-broadcast-up-link", UP_ALIAS, "ifconfig v0:1 10.0.0.2 netmask 255.255.0.0 broadcast 10.0.0.7"),
    ("alias-broadcast-up-down-link", DOWN, "ifconfig v0:1 10.0.0.2 netmask 255.255.255.0 broadcast 10.0.0.7 up"),
    ("alias-broadcast-up-up-link", UP, "ifconfig v0:1 10.0.0.2 netmask 255.255.255.0 broadcast 10.0.0.7 up"),
    ("alias-cidr", UP, "ifconfig v0:1 10.0.0.2/24"),
    ("alias-up", UP_ALIAS, "ifconfig v0:1 up"),
    ("alias-up-down-link", DOWN_ALIAS, "ifconfig v0:1 up"),
    ("alias-up-missing", DOWN, "ifconfig v0:1 up"),
    ("alias-down", UP_ALIAS, "ifconfig v0:1 down"),
    ("alias-down-down-link", DOWN_ALIAS, "ifconfig v0:1 down"),
    ("alias-down-missing", UP, "ifconfig v0:1 down"),
    ("alias-address-down", UP_ALIAS, "ifconfig v0:1 10.0.0.2 down"),
    ("alias-zero", UP_ALIAS, "ifconfig v0:1 0.0.0.0"),
    ("alias-zero-missing", UP, "ifconfig v0:1 0.0.0.0"),
    ("alias-zero-no-such-link", DOWN, "ifconfig nosuch:1 0.0.0.0"),
    ("alias-mtu", UP_ALIAS, "ifconfig v0:1 mtu 1400"),
    ("alias-hw-ether", DOWN_ALIAS, "ifconfig v0:1 hw ether 02:00:00:00:00:42"),
    # ifconfig reports an alias that has no address too; only its link must exist
    ("alias-query-status", DOWN, "if ifconfig v0:7 >/dev/null 2>&1; then ip link set v0 mtu 1280; fi"),
    ("alias-inet6", DOWN, "ifconfig v0:1 inet6 add 2001:db8::1/64"),
    # the link decides: no default broadcast without IFF_BROADCAST (tun, lo), /32 on a point-to-point link
    ("tun-netmask", TUN, "ifconfig t0 10.8.0.6 netmask 255.255.255.252 up"),
    ("tun-classful", TUN, "ifconfig t0 10.8.0.6"),
    ("tun-broadcast", TUN, "ifconfig t0 10.8.0.6 broadcast 10.8.0.7"),
    ("tun-cidr", TUN, "ifconfig t0 10.8.0.6/31"),
    ("tap-classful", TAP, "ifconfig t0 10.8.0.6"),
    ("lo-address", DOWN, "ifconfig lo 127.0.0.1"),
    ("lo-alias", LO_UP, "ifconfig lo:1 127.0.0.2 netmask 255.0.0.0 up"),
    # a netmask only known at run time: its prefix length computed then (netmask_prefix)
    ("netmask-run-time", DOWN, "M=255.255.255.0\nifconfig v0 192.168.1.5 netmask $M"),
    ("address-and-netmask-run-time", DOWN, 'A=10.0.0.1 M=255.255.0.0\nifconfig v0 "$A" netmask "$M" up'),
    ("netmask-and-broadcast-run-time", DOWN, "M=255.255.255.0 B=192.168.1.77\nifconfig v0 192.168.1.5 netmask $M broadcast $B"),
    ("tun-netmask-run-time", TUN, "M=255.255.255.252\nifconfig t0 10.8.0.6 netmask $M"),
    ("netmask-run-time-alias", UP, "M=255.255.255.0\nifconfig v0:1 10.0.0.2 netmask $M"),
    ("netmask-run-time-invalid-link", DOWN, "M=255.255.255.0\nifconfig nosuch 10.0.0.2 netmask $M"),
]


def _state(netns: str) -> dict:
    def ip(*args):
        out = subprocess.run(["ip", "-n", netns, "-j", *args], capture_output=True, text=True, check=True).stdout
        return json.loads(out or "[]")

    state = {}
    for link in ip("link", "show"):
        state[link["ifname"]] = {
            "flags": sorted(f for f in link["flags"] if f not in ("LOWER_UP", "NO-CARRIER", "M-DOWN")),
            "mtu": link["mtu"],
            "txqlen": link.get("txqlen"),
            "mac": link.get("address"),
            "addresses": [],
        }
    for entry in ip("address", "show"):
        if entry["ifname"] in state:
            state[entry["ifname"]]["addresses"] = sorted(
                (a["family"], a["local"], a["prefixlen"], a.get("broadcast"), a.get("label"))
                for a in entry.get("addr_info", [])
                if a.get("scope") != "link"
            )
    return state


def _stub(directory: str) -> str:
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, "ifconfig")
    with open(path, "w") as f:
        f.write(f"#!/bin/sh\necho called >> {directory}/ifconfig-was-called\nexit 97\n")
    os.chmod(path, 0o755)
    return directory


def _run(netns: str, setup: str, script: str, workdir, path_prefix=None) -> subprocess.CompletedProcess:
    subprocess.run(["ip", "netns", "exec", netns, "sh", "-ec", setup], check=True, capture_output=True)
    return run_script(netns, "#!/bin/sh\n" + script, str(workdir), path_prefix=path_prefix)


@pytest.mark.parametrize("setup,legacy", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_translation_does_what_ifconfig_did(netns, tmp_path, setup, legacy):
    modern_ns = f"{netns}-modern"
    subprocess.run(["ip", "netns", "add", modern_ns], check=True)
    translated = translate(legacy + "\n").rstrip("\n")
    assert "ifconfig" not in translated, f"left as written:\n{translated}"
    stub = _stub(str(tmp_path / "stub"))
    old = _run(netns, setup, legacy, tmp_path)
    new = _run(modern_ns, setup, translated, tmp_path, path_prefix=stub)
    assert not os.path.exists(os.path.join(stub, "ifconfig-was-called"))
    before, after = _state(netns), _state(modern_ns)
    context = f"translated:\n{translated}\nifconfig exited {old.returncode}: {old.stderr}\ntranslation exited {new.returncode}: {new.stderr}"
    assert after == before, context
    assert (new.returncode == 0) == (old.returncode == 0), context


# Forms whose effect depends on state only known when the script runs, in a way no
# short command reproduces: they stay, with the reason.
KEPT = [
    ("ifconfig eth0:1 netmask 255.255.0.0", "changes the netmask of the address"),
    ("ifconfig eth0 broadcast 192.0.2.255", "changes the broadcast of the address"),
    ("ifconfig eth0:1 promisc", "alias"),
    ("ifconfig eth0:1 -arp", "alias"),
    ("ifconfig eth0:1 10.0.0.2 broadcast 10.0.0.7 netmask 255.0.0.0", "broadcast"),
    ("ifconfig eth0:1 10.0.0.2/24 down", "alias"),
    ("ifconfig eth0:1 up 10.0.0.2", "goes on"),
    ("ifconfig eth0 10.0.0.1 10.0.0.2", "twice"),
    ("ifconfig eth0 224.0.0.5", "multicast"),
    ("ifconfig eth0 add 10.0.0.5", "IPv4"),
    ("ifconfig eth0 0.0.0.0 netmask 255.0.0.0", "0.0.0.0"),
    ("ifconfig eth0 up metric 5", "fails on metric"),
    # a variable the script sets to an alias name: `ip link set dev eth0:0 down` would take all of eth0 down
    ('ifname="$NIC:0"\nifconfig "$ifname" down', "alias name"),
]


@pytest.mark.parametrize("legacy,reason", KEPT)
def test_forms_without_a_faithful_translation_stay_with_the_reason(legacy, reason):
    result = translate_script(legacy + "\n", "t.sh", Options())
    assert result.text == legacy + "\n"
    messages = [d.message for d in result.diagnostics if d.code == "NS402"]
    assert messages and reason in messages[0], result.diagnostics


def test_a_spec_read_from_the_script_has_what_ifconfig_left():
    """--to dsl: the address brings the link up; an alias replaced, then removed, is gone."""
    script = """ip link add v0 type veth peer name v0p
ifconfig v0 10.1.2.3
ifconfig v0:1 192.0.2.1 netmask 255.255.255.0
ifconfig v0:1 192.0.2.2 netmask 255.255.255.0
ifconfig v0:2 198.51.100.1 netmask 255.255.255.0
ifconfig v0:2 down
ifconfig v0:1 mtu 1400
"""
    loaded = read_script(Source("t.sh", script))
    link = next(link for link in loaded.program.links if link.name == "v0")
    assert link.state is AdminState.UP
    assert [a.cidr for a in link.addresses] == ["10.1.2.3/8", "192.0.2.2/24"]
    assert link.mtu == 1400
