"""Routes, policy rules and sysctls in the rendered script and its --batch form, on the real kernel.

A spec with a default route through a bridge, a blackhole, a multipath
route, a route in a table of its own, IPv4 and IPv6 rules, ip_forward and a
per-link sysctl is built in a fresh namespace. The kernel must then hold
exactly the spec's routes and rules (read back with `ip -j`, names and all,
not the numbers the script's own tests read); a second run changes nothing
and runs no route, rule or sysctl command; routes, rules and sysctls changed
by hand converge back; the teardown removes what the spec made, leaves a route
and a rule that are not the spec's, and puts each sysctl back as it was before
the first run (not as it was when it drifted).

Then the router example: two client namespaces ping each other through a
router namespace once the spec sets its ip_forward, and not before.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest
from conftest import EXAMPLES, delete_namespaces
from live_helpers import Monitor, settle

SPEC = """\
physical uplink {
    sysctl ipv4.rp_filter 2
}

bridge br0 {
    ports v0
    addr 192.0.2.10/24 2001:db8::10/64
    route default via 192.0.2.1 metric 100
    up
}

veth v0 {
    peer v1 {
        up
    }
    up
}

route blackhole 10.66.0.0/16
route 10.5.0.0/16 nexthop via 192.0.2.2 dev br0 weight 2 nexthop via 192.0.2.3 dev br0
route 10.7.0.0/16 via 192.0.2.4 table 100
route 2001:db8:5::/48 via 2001:db8::1 dev br0
rule from 10.1.0.0/16 fwmark 0x10/0xff table 100 priority 1000
rule -6 from 2001:db8:1::/48 table 100 priority 1001
sysctl net.ipv4.ip_forward 1
"""

# What `ip -j` shows once the spec is built: every route that is not the kernel's own
# (connected and local ones), and every rule but the three a namespace starts with.
SPEC_ROUTES = [
    {"family": 4, "dst": "default", "gateway": "192.0.2.1", "dev": "br0", "protocol": "static", "metric": 100},
    {"family": 4, "type": "blackhole", "dst": "10.66.0.0/16", "protocol": "static"},
    {"family": 4, "dst": "10.5.0.0/16", "protocol": "static", "nexthops": [
        {"gateway": "192.0.2.2", "dev": "br0", "weight": 2}, {"gateway": "192.0.2.3", "dev": "br0", "weight": 1}]},
    {"family": 4, "dst": "10.7.0.0/16", "gateway": "192.0.2.4", "dev": "br0", "table": "100", "protocol": "static"},
    {"family": 6, "dst": "2001:db8:5::/48", "gateway": "2001:db8::1", "dev": "br0", "protocol": "static", "metric": 1024},
]  # fmt: skip
SPEC_RULES = [
    {"family": 4, "priority": 1000, "src": "10.1.0.0", "srclen": 16, "fwmark": "0x10", "fwmask": "0xff", "table": "100"},
    {"family": 6, "priority": 1001, "src": "2001:db8:1::", "srclen": 48, "table": "100"},
]
SPEC_SYSCTLS = {"net/ipv4/ip_forward": "1", "net/ipv4/conf/uplink/rp_filter": "2"}

# A route and a rule someone else made, which the teardown must leave.
FOREIGN_ROUTE = {"family": 4, "type": "blackhole", "dst": "10.99.0.0/16"}  # proto boot, which ip leaves out
FOREIGN_RULE = {"family": 4, "priority": 900, "src": "10.99.0.0", "srclen": 16, "table": "99"}

# Commands that change routes, rules or sysctls, as `bash -x` shows them run (or queued, or sent)
CHANGES = re.compile(r"^\++ .*(route (replace|delete)|rule (add|delete)|sysctl_write|sysctl_set|-batch)")


SAVED = "/run/netscript/sysctl"  # where the scripts keep a sysctl's value from before the spec set it


@pytest.fixture
def no_saved_values_left(netns):
    """A test that fails before its teardown ran leaves the values it saved; they go with its namespaces."""
    yield
    for name in os.listdir(SAVED) if os.path.isdir(SAVED) else ():
        if name == netns or name.startswith(netns + "-"):
            shutil.rmtree(os.path.join(SAVED, name))


def ip(ns: str, *words: str) -> None:
    subprocess.run(["ip", "-n", ns, *words], check=True, capture_output=True)


def routes(ns: str) -> list[dict]:
    """The namespace's routes (every table, both families) that the kernel did not make itself."""
    out = []
    for family in (4, 6):
        shown = subprocess.run(["ip", "-n", ns, f"-{family}", "-j", "route", "show", "table", "all"],
                               capture_output=True, text=True, check=True).stdout
        for route in json.loads(shown):
            if route.get("protocol") == "kernel":
                continue
            kept = {k: v for k, v in route.items() if k not in ("flags", "pref", "scope")}
            if "nexthops" in kept:
                kept["nexthops"] = [{k: v for k, v in nh.items() if k != "flags"} for nh in kept["nexthops"]]
            out.append({"family": family, **kept})
    return sorted(out, key=json.dumps)


def rules(ns: str) -> list[dict]:
    """The namespace's policy rules but the three it starts with (local, main, default)."""
    out = []
    for family in (4, 6):
        shown = subprocess.run(["ip", "-n", ns, f"-{family}", "-j", "rule", "show"],
                               capture_output=True, text=True, check=True).stdout
        out += [{"family": family, **r} for r in json.loads(shown) if r["priority"] not in (0, 32766, 32767)]
    return sorted(out, key=json.dumps)


def sysctls(ns: str, keys=SPEC_SYSCTLS) -> dict[str, str]:
    return {key: subprocess.run(["ip", "netns", "exec", ns, "cat", f"/proc/sys/{key}"], capture_output=True,
                                text=True, check=True).stdout.strip() for key in keys}


def set_sysctl(ns: str, key: str, value: str) -> None:
    subprocess.run(["ip", "netns", "exec", ns, "sh", "-c", f"echo {value} > /proc/sys/{key}"], check=True)


def sorted_json(items: list[dict]) -> list[dict]:
    return sorted(items, key=json.dumps)


def render(cli, spec, tmp_path, name: str, *options: str) -> str:
    out = tmp_path / name
    result = cli("render", spec, "-o", out, *options)
    assert result.exit_code == 0, result.output
    return str(out)


def run(script: str, trace: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", *(["-x"] if trace else []), script], capture_output=True, text=True)


@pytest.mark.kernel
@pytest.mark.usefixtures("no_saved_values_left")
@pytest.mark.parametrize("batch", [False, True], ids=["plain", "batch"])
def test_routes_rules_and_sysctls_build_converge_and_come_off(cli, netns, tmp_path, batch):
    spec = tmp_path / "routes.ns"
    spec.write_text(SPEC)
    ip(netns, "link", "add", "uplink", "type", "veth", "peer", "name", "si-uplink")  # the existing interface
    for key in SPEC_SYSCTLS:
        set_sysctl(netns, key, "0")
    before = sysctls(netns)
    ip(netns, "route", "add", "blackhole", "10.99.0.0/16")
    ip(netns, "rule", "add", "from", "10.99.0.0/16", "table", "99", "priority", "900")
    script = render(cli, spec, tmp_path, "up.sh", "--netns", netns, *(["--batch"] if batch else []))
    down = render(cli, spec, tmp_path, "down.sh", "--netns", netns, "--teardown")

    first = run(script)
    assert first.returncode == 0, first.stderr
    assert routes(netns) == sorted_json([*SPEC_ROUTES, FOREIGN_ROUTE])
    assert rules(netns) == sorted_json([*SPEC_RULES, FOREIGN_RULE])
    assert sysctls(netns) == SPEC_SYSCTLS

    settle(netns)
    built = (routes(netns), rules(netns), sysctls(netns))
    with Monitor(netns, ("link", "address", "route", "rule")) as monitor:
        second = run(script, trace=True)
    assert second.returncode == 0, second.stderr
    assert monitor.events == []
    assert [line for line in second.stderr.splitlines() if CHANGES.match(line)] == []
    assert (routes(netns), rules(netns), sysctls(netns)) == built

    # drift: another gateway, other weights, a route and a rule gone, the sysctls changed
    ip(netns, "route", "replace", "default", "via", "192.0.2.9", "dev", "br0", "metric", "100")
    ip(netns, "route", "replace", "10.5.0.0/16", "nexthop", "via", "192.0.2.2", "dev", "br0",
       "nexthop", "via", "192.0.2.3", "dev", "br0")
    ip(netns, "-6", "route", "del", "2001:db8:5::/48")
    ip(netns, "rule", "del", "priority", "1000")
    set_sysctl(netns, "net/ipv4/ip_forward", "0")
    set_sysctl(netns, "net/ipv4/conf/uplink/rp_filter", "1")
    assert routes(netns) != built[0] and rules(netns) != built[1] and sysctls(netns) != built[2]
    again = run(script)
    assert again.returncode == 0, again.stderr
    assert (routes(netns), rules(netns), sysctls(netns)) == built

    for _ in range(2):  # and again: nothing left to take off, still exit 0
        result = run(down)
        assert result.returncode == 0, result.stderr
    assert routes(netns) == [FOREIGN_ROUTE]
    assert rules(netns) == [FOREIGN_RULE]
    assert sysctls(netns) == before  # as before the first run, not as they drifted
    assert not os.path.exists(f"{SAVED}/{netns}")


def ping(ns: str, address: str) -> bool:
    done = subprocess.run(["ip", "netns", "exec", ns, "ping", "-c", "3", "-i", "0.2", "-W", "1", address],
                          capture_output=True, text=True)
    return done.returncode == 0


@pytest.mark.kernel
@pytest.mark.usefixtures("no_saved_values_left")
@pytest.mark.parametrize("batch", [False, True], ids=["plain", "batch"])
def test_the_router_example_forwards_once_the_spec_sets_ip_forward(cli, netns, tmp_path, batch):
    example = os.path.join(EXAMPLES, "router.ns")
    with open(example) as f:
        text = f.read()
    assert "sysctl net.ipv4.ip_forward 1 netns router\n" in text
    unforwarded = tmp_path / "no-forwarding.ns"
    unforwarded.write_text(text.replace("sysctl net.ipv4.ip_forward 1 netns router\n", ""))
    options = ["--netns-prefix", netns + "-", *(["--batch"] if batch else [])]
    left, router, right = (f"{netns}-{name}" for name in ("left", "router", "right"))
    try:
        # the same network without the sysctl, in a router that does not forward (a new namespace
        # takes the host's ip_forward): the clients have their routes, and still no answer
        assert run(render(cli, unforwarded, tmp_path, "plain.sh", *options)).returncode == 0
        set_sysctl(router, "net/ipv4/ip_forward", "0")
        assert not ping(left, "10.2.0.2")

        result = run(render(cli, example, tmp_path, "router.sh", *options))
        assert result.returncode == 0, result.stderr
        assert ping(left, "10.2.0.2") and ping(right, "10.1.0.2")
        assert sysctls(router, ["net/ipv4/ip_forward"]) == {"net/ipv4/ip_forward": "1"}

        down = run(render(cli, example, tmp_path, "down.sh", "--teardown", "--netns-prefix", netns + "-"))
        assert down.returncode == 0, down.stderr
        listed = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
        assert router not in listed and left not in listed
        assert not os.path.exists(f"{SAVED}/{router}")
    finally:
        delete_namespaces(netns)


@pytest.mark.kernel
@pytest.mark.usefixtures("no_saved_values_left")
@pytest.mark.parametrize("batch", [False, True], ids=["plain", "batch"])
def test_a_link_made_again_gets_its_routes_back(cli, netns, tmp_path, batch):
    """A vxlan whose id drifted is made again, which takes its routes with it: they are added
    again in the same run (--batch reads the routes once the link is back, not at the start)."""
    spec = tmp_path / "vx.ns"
    spec.write_text("vxlan vx0 id 42 dstport 4789 {\n    addr 10.20.0.1/24\n    up\n"
                    "    route 10.21.0.0/16 via 10.20.0.2\n}\n")
    script = render(cli, spec, tmp_path, "up.sh", "--netns", netns, *(["--batch"] if batch else []))
    assert run(script).returncode == 0
    built = routes(netns)
    assert [r["dst"] for r in built] == ["10.21.0.0/16"]

    ip(netns, "link", "delete", "vx0")
    ip(netns, "link", "add", "vx0", "type", "vxlan", "id", "43", "dstport", "4789")
    ip(netns, "address", "add", "10.20.0.1/24", "dev", "vx0")
    ip(netns, "link", "set", "vx0", "up")
    ip(netns, "route", "add", "10.21.0.0/16", "via", "10.20.0.2", "dev", "vx0", "proto", "static")
    again = run(script)
    assert again.returncode == 0, again.stderr
    assert "re-creating vx0" in again.stderr
    assert routes(netns) == built


def test_a_device_that_cannot_go_through_ip_batch_is_refused_where_a_route_or_rule_names_it(cli, tmp_path):
    spec = tmp_path / "names.ns"
    spec.write_text('bridge br0 {\n    addr 192.0.2.10/24\n    up\n}\nrule iif "a b" table 5\n'
                    'route 10.0.0.0/8 via 192.0.2.1 dev "c#d"\n')
    result = cli("render", "--batch", spec)
    assert result.exit_code == 1
    assert f"{spec}:5:10: error: 'a b' cannot go through `ip -batch`" in result.output
    assert f"{spec}:6:36: error: 'c#d' cannot go through `ip -batch`" in result.output


NEIGH_SPEC = """\
physical uplink {
    neigh 192.0.2.9 lladdr 02:00:00:00:00:09
}

veth v0 {
    addr 192.0.2.10/24
    neigh 192.0.2.7 lladdr 02:00:00:00:00:07
    neigh 2001:db8::7 lladdr 02:00:00:00:00:a7
    peer v1 {
        up
    }
    up
}

bridge br0 {
    up
}
neigh 192.0.2.8 lladdr 01:00:5e:00:00:08 dev br0
"""
SPEC_NEIGHBOURS = [
    {"dst": "192.0.2.9", "dev": "uplink", "lladdr": "02:00:00:00:00:09"},
    {"dst": "192.0.2.7", "dev": "v0", "lladdr": "02:00:00:00:00:07"},
    {"dst": "2001:db8::7", "dev": "v0", "lladdr": "02:00:00:00:00:a7"},
    {"dst": "192.0.2.8", "dev": "br0", "lladdr": "01:00:5e:00:00:08"},
]
FOREIGN_NEIGHBOUR = {"dst": "192.0.2.99", "dev": "uplink", "lladdr": "02:00:00:00:00:99"}
NEIGH_CHANGES = re.compile(r"^\++ .*(neigh (replace|delete)|-batch)")


def neighbours(ns: str) -> list[dict]:
    """The namespace's permanent neighbour entries."""
    shown = subprocess.run(["ip", "-n", ns, "-j", "neigh", "show", "nud", "permanent"], capture_output=True,
                           text=True, check=True).stdout
    return sorted_json([{k: v for k, v in entry.items() if k != "state"} for entry in json.loads(shown or "[]")])


@pytest.mark.kernel
@pytest.mark.parametrize("batch", [False, True], ids=["plain", "batch"])
def test_static_neighbours_build_converge_and_come_off(cli, netns, tmp_path, batch):
    spec = tmp_path / "neigh.ns"
    spec.write_text(NEIGH_SPEC)
    ip(netns, "link", "add", "uplink", "type", "veth", "peer", "name", "si-uplink")  # the existing interface
    ip(netns, "link", "set", "uplink", "up")
    script = render(cli, spec, tmp_path, "up.sh", "--netns", netns, *(["--batch"] if batch else []))
    down = render(cli, spec, tmp_path, "down.sh", "--netns", netns, "--teardown")

    first = run(script)
    assert first.returncode == 0, first.stderr
    assert neighbours(netns) == sorted_json(SPEC_NEIGHBOURS)

    with Monitor(netns, ("link", "address", "neigh")) as monitor:
        second = run(script, trace=True)
    assert second.returncode == 0, second.stderr
    # only the spec's entries: the kernel adds and expires multicast and learnt ones on its own schedule
    spec_addresses = {n["dst"] for n in SPEC_NEIGHBOURS}
    assert [e for e in monitor.events if "PERMANENT" in e or spec_addresses & set(e.split())] == []
    assert [line for line in second.stderr.splitlines() if NEIGH_CHANGES.match(line)] == []

    # drift: another MAC, an entry gone; and an entry that is not the spec's
    ip(netns, "neigh", "replace", "192.0.2.7", "lladdr", "02:00:00:00:00:77", "dev", "v0", "nud", "permanent")
    ip(netns, "neigh", "del", "2001:db8::7", "dev", "v0")
    ip(netns, "neigh", "add", "192.0.2.99", "lladdr", "02:00:00:00:00:99", "dev", "uplink", "nud", "permanent")
    again = run(script)
    assert again.returncode == 0, again.stderr
    assert neighbours(netns) == sorted_json([*SPEC_NEIGHBOURS, FOREIGN_NEIGHBOUR])

    ip(netns, "link", "set", "v0", "down")  # the kernel flushes a link's entries as it goes down
    assert len(neighbours(netns)) == len(SPEC_NEIGHBOURS) - 1
    assert run(script).returncode == 0
    assert neighbours(netns) == sorted_json([*SPEC_NEIGHBOURS, FOREIGN_NEIGHBOUR])

    for _ in range(2):  # and again: nothing left to take off, still exit 0
        result = run(down)
        assert result.returncode == 0, result.stderr
    assert neighbours(netns) == [FOREIGN_NEIGHBOUR], "the spec's entry on the link that stays is gone, no other"
