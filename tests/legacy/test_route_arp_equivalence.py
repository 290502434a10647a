"""net-tools route and arp, run against the real tools in the kernel: the translation does the same.

For each case the same starting state (a veth with an address, up; maybe a
route or a static neighbour already there) is built in two fresh namespaces;
the legacy line runs with the real route/arp in one, its translation in the
other with both shadowed by stubs that fail and leave a mark. Compared: the
main routing table (protocol, scope, metric, gateway, device) and the
permanent neighbour entries, and whether the command succeeded (route exits
7 and arp 255 where ip exits 2: failure is compared, not the number).
"""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from netscript.frontends.legacy.model import Options
from netscript.frontends.legacy.reader import read_script
from netscript.frontends.legacy.rewrite import translate_script
from netscript.source import Source

from .harness import have, run_script, translate

pytestmark = pytest.mark.skipif(not (have("route") and have("arp")), reason="needs net-tools (tests/system-packages.txt)")

LAN = "ip link add v0 type veth peer name v0p; ip address add 10.1.0.2/24 dev v0; ip link set v0 up; ip link set v0p up"
WITH_ROUTES = f"{LAN}; ip route add default via 10.1.0.1; ip route add 10.5.0.0/16 via 10.1.0.9 metric 5; ip route add 10.9.9.9 via 10.1.0.1"
WITH_NEIGH = f"{LAN}; ip neigh add 10.1.0.50 lladdr 02:00:00:00:00:50 dev v0 nud permanent"

CASES = [
    ("default-gw", LAN, "route add default gw 10.1.0.1"),
    ("default-gw-dev-metric", LAN, "route add default gw 10.1.0.1 dev v0 metric 10"),
    ("default-net-form", LAN, "route add -net default gw 10.1.0.1"),
    ("default-unreachable-gw", LAN, "route add default gw 10.99.0.1"),
    ("default-twice", WITH_ROUTES, "route add default gw 10.1.0.1"),
    ("net-netmask-gw", LAN, "route add -net 10.5.0.0 netmask 255.255.0.0 gw 10.1.0.9"),
    ("net-netmask-dev", LAN, "route add -net 10.5.0.0 netmask 255.255.0.0 dev v0"),
    ("net-prefix-bare-dev", LAN, "route add -net 10.8.0.0/16 v0"),
    ("net-prefix-metric", LAN, "route add -net 10.8.0.0/16 gw 10.1.0.7 metric 3"),
    ("host-gw", LAN, "route add -host 10.9.9.9 gw 10.1.0.1"),
    ("host-dev", LAN, "route add -host 192.0.2.7 dev v0"),
    ("host-no-such-dev", LAN, "route add -host 192.0.2.7 dev nosuch"),
    ("del-default", WITH_ROUTES, "route del default"),
    ("del-default-gw", WITH_ROUTES, "route del default gw 10.1.0.1"),
    ("del-default-wrong-gw", WITH_ROUTES, "route del default gw 10.1.0.3"),
    ("del-net-netmask", WITH_ROUTES, "route del -net 10.5.0.0 netmask 255.255.0.0"),
    ("del-net-metric", WITH_ROUTES, "route del -net 10.5.0.0/16 gw 10.1.0.9 metric 5"),
    ("del-net-wrong-metric", WITH_ROUTES, "route del -net 10.5.0.0/16 metric 4"),
    ("del-host", WITH_ROUTES, "route del -host 10.9.9.9"),
    ("del-missing", LAN, "route del -host 10.1.1.1"),
    ("arp-set", LAN, "arp -s 10.1.0.60 02:00:00:00:00:60"),
    ("arp-set-dev", LAN, "arp -i v0 -s 10.1.0.60 02:00:00:00:00:60"),
    ("arp-set-dev-after", LAN, "arp -s 10.1.0.60 02:00:00:00:00:60 -i v0"),
    ("arp-set-replaces", WITH_NEIGH, "arp -s 10.1.0.50 02:00:00:00:00:51"),
    ("arp-set-unreachable", LAN, "arp -s 10.77.0.1 02:00:00:00:00:60"),
    ("arp-delete", WITH_NEIGH, "arp -d 10.1.0.50"),
    ("arp-delete-dev", WITH_NEIGH, "arp -i v0 -d 10.1.0.50"),
    ("arp-delete-missing", LAN, "arp -d 10.1.0.77"),
    ("arp-in-variables", LAN, 'IP=10.1.0.61 MAC=02:00:00:00:00:61\narp -s "$IP" "$MAC"'),
]


def _state(netns: str) -> dict:
    def ip(*args):
        out = subprocess.run(["ip", "-n", netns, "-j", *args], capture_output=True, text=True, check=True).stdout
        return sorted(json.dumps({k: v for k, v in entry.items() if k != "flags"}, sort_keys=True) for entry in json.loads(out or "[]"))

    return {"routes": ip("route", "show"), "neighbours": ip("neigh", "show", "nud", "permanent")}


def _stubs(directory: str) -> str:
    os.makedirs(directory, exist_ok=True)
    for tool in ("route", "arp"):
        path = os.path.join(directory, tool)
        with open(path, "w") as f:
            f.write(f"#!/bin/sh\necho called >> {directory}/legacy-was-called\nexit 97\n")
        os.chmod(path, 0o755)
    return directory


def _run(netns: str, setup: str, script: str, workdir, path_prefix=None) -> subprocess.CompletedProcess:
    subprocess.run(["ip", "netns", "exec", netns, "sh", "-ec", setup], check=True, capture_output=True)
    return run_script(netns, "#!/bin/sh\n" + script + "\n", str(workdir), path_prefix=path_prefix)


@pytest.mark.parametrize("setup,legacy", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_translation_does_what_route_and_arp_did(netns, tmp_path, setup, legacy):
    modern_ns = f"{netns}-modern"
    subprocess.run(["ip", "netns", "add", modern_ns], check=True)
    translated = translate(legacy + "\n").rstrip("\n")
    assert "route " not in translated.replace("ip route ", "") and "arp " not in translated, f"left as written:\n{translated}"
    stub = _stubs(str(tmp_path / "stub"))
    old = _run(netns, setup, legacy, tmp_path)
    new = _run(modern_ns, setup, translated, tmp_path, path_prefix=stub)
    assert not os.path.exists(os.path.join(stub, "legacy-was-called"))
    before, after = _state(netns), _state(modern_ns)
    context = f"translated:\n{translated}\nlegacy exited {old.returncode}: {old.stderr}\ntranslation exited {new.returncode}: {new.stderr}"
    assert after == before, context
    assert (new.returncode == 0) == (old.returncode == 0), context


KEPT = [
    ("route -n", "format"),
    ("route", "format"),
    ("route add 10.0.0.0 gw 10.1.0.1", "without -net or -host"),
    ("route add -net 10.0.0.0 gw 10.1.0.1", "derives the netmask"),
    ("route add -net 10.0.0.0 netmask $MASK gw 10.1.0.1", "run time"),
    ("route add -net 10.0.0.0/8 gw 10.1.0.1 mss 1400", "mss"),
    ("route add -net 10.0.0.0/8 reject", "reject"),
    ("route -A inet6 add 2001:db8::/32 gw 2001:db8::1", "IPv4"),
    ("route add -net 10.7.0.1 netmask 255.255.0.0 dev v0", "not a network"),
    ("arp -an", "format"),
    ("arp -s 10.1.0.5 02:00:00:00:00:05 pub", "published"),
    ("arp -f /etc/ethers", "-f"),
]


@pytest.mark.parametrize("legacy,reason", KEPT)
def test_forms_without_a_faithful_translation_stay_with_the_reason(legacy, reason):
    result = translate_script(legacy + "\n", "t.sh", Options())
    assert result.text == legacy + "\n"
    messages = [d.message for d in result.diagnostics if d.code == "NS402"]
    assert messages and reason in messages[0], result.diagnostics


def test_a_spec_read_from_the_script_has_its_routes_and_neighbours():
    script = ("ip link add v0 type veth peer name v0p\nroute add -net 10.5.0.0/16 dev v0\n"
              "route add -net 10.6.0.0 netmask 255.255.0.0 gw 10.5.0.1 metric 3\nroute del -net 10.5.0.0/16 dev v0\n"
              "route add default gw 10.5.0.1\narp -i v0 -s 10.1.0.9 02:00:00:00:00:09\narp -s 10.77.0.1 02:00:00:00:00:01\n")
    loaded = read_script(Source("t.sh", script))
    assert [link.name for link in loaded.program.links] == ["v0"]
    routes = [(r.dst, r.nexthops[0].via, r.metric) for r in loaded.program.routes]
    assert routes == [("10.6.0.0/16", "10.5.0.1", 3), ("default", "10.5.0.1", None)], "del removed the first one"
    assert [(n.address, n.lladdr, n.dev) for n in loaded.program.neighbours] == [("10.1.0.9", "02:00:00:00:00:09", "v0")]
    found = [(d.code, d.span.line, "known only when it runs" in d.message) for d in loaded.diagnostics]
    assert found == [("NS410", 7, True)], "arp finds the device by a route the script does not show"


NEIGHBOUR_CASES = [c for c in CASES if c[2].startswith("arp") and "$" not in c[2]]


@pytest.mark.parametrize("setup,legacy", [c[1:] for c in NEIGHBOUR_CASES], ids=[c[0] for c in NEIGHBOUR_CASES])
def test_the_spec_read_from_the_script_has_the_entries_arp_leaves(netns, tmp_path, setup, legacy):
    """translate --to dsl: the spec's neighbours are the permanent entries the real arp leaves in the kernel."""
    _run(netns, setup, legacy, tmp_path)
    shown = subprocess.run(["ip", "-n", netns, "-j", "neigh", "show", "nud", "permanent"], capture_output=True,
                           text=True, check=True).stdout
    kernel = sorted((e["dst"], e["lladdr"], e["dev"]) for e in json.loads(shown or "[]"))
    loaded = read_script(Source("t.sh", setup.replace("; ", "\n") + "\n" + legacy + "\n"))
    spec = sorted((n.address, n.lladdr, n.dev) for n in loaded.program.neighbours)
    assert spec == kernel
