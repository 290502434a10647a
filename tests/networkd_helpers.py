"""The real systemd-networkd in a throwaway namespace, for the tests of `render --to networkd`.

tests/networkd/run-networkd.sh starts Debian's networkd inside a network namespace, under a
private mount namespace with our files bind-mounted on /etc/systemd/network (the host's
networkd, /etc and /run are never touched). This waits until the namespace is what the spec
says, or a time limit passes, and always stops networkd.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
from dataclasses import dataclass, replace
from pathlib import Path

from netscript.ir.index import Index
from netscript.ir.model import LinkKind, Program
from netscript.ir.routing import DEFAULT_PROTOCOL, Route, RouteType, Rule
from netscript.routing.tables import table_number
from netscript.routing.words import read_route, read_rule

LAUNCHER = Path(__file__).parent / "networkd" / "run-networkd.sh"
NETWORKD = "/lib/systemd/systemd-networkd"


@contextlib.contextmanager
def networkd(ns: str, confdir: Path, log: Path):
    """networkd running in ``ns`` on the files in ``confdir`` (its log in ``log``) for the block."""
    with open(log, "w") as out:
        proc = subprocess.Popen(
            ["sh", str(LAUNCHER), ns, str(confdir), "120"], stdout=out, stderr=out, start_new_session=True
        )
    try:
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def stand_ins(program: Program, ns: str) -> None:
    """veth pairs for the spec's physical links (this kernel has no dummy)."""
    for link in program.all_links():
        if link.kind is LinkKind.PHYSICAL:
            subprocess.run(
                ["ip", "-n", ns, "link", "add", link.name, "type", "veth", "peer", "name", link.name + "p"], check=True
            )


def wait_until(done, proc: subprocess.Popen, limit: float = 15.0, step: float = 0.2):
    """Call ``done()`` until it returns nothing left to do (an empty list), up to ``limit``
    seconds or until networkd's launcher ``proc`` has exited; return its last answer."""
    deadline = time.monotonic() + limit
    while True:
        answer = done()
        if not answer or time.monotonic() > deadline or proc.poll() is not None:
            return answer
        time.sleep(step)


# -- routes, rules and sysctls as the kernel holds them, read through netscript's own words ------

# What the kernel gives a route whose metric the spec leaves out (IPv6's IP6_RT_PRIO_USER).
KERNEL_METRIC = {4: 0, 6: 1024}
# The rules every namespace starts with: (family, priority, table).
KERNEL_RULES = {(4, 0, "local"), (4, 32766, "main"), (4, 32767, "default"), (6, 0, "local"), (6, 32766, "main")}


@dataclass(frozen=True)
class Word:
    text: str
    span: None = None


def _ip_json(ns: str, *args: str) -> list[dict]:
    out = subprocess.run(["ip", "-n", ns, "-j", *args], capture_output=True, text=True, check=True).stdout
    return json.loads(out or "[]")


def route_words_of(entry: dict) -> list[str]:
    """`ip -j route`'s record of one route as `ip route add`'s words."""
    words = [entry["type"]] if entry.get("type", "unicast") != "unicast" else []
    words.append(entry["dst"])
    if "gateway" in entry:
        words += ["via", entry["gateway"]]
    if "dev" in entry and "nexthops" not in entry:
        words += ["dev", entry["dev"]]
    if "onlink" in entry.get("flags", []):
        words.append("onlink")
    for key, word in (("metric", "metric"), ("table", "table"), ("prefsrc", "src"), ("scope", "scope"),
                      ("protocol", "proto")):  # fmt: skip
        if key in entry:
            words += [word, str(entry[key])]
    for metric in entry.get("metrics", []):
        if "mtu" in metric:
            words += ["mtu", str(metric["mtu"])]
    for hop in entry.get("nexthops", []):
        words += ["nexthop", "via", hop["gateway"], "dev", hop["dev"], "weight", str(hop["weight"])]
        if "onlink" in hop.get("flags", []):
            words.append("onlink")
    return words


def kernel_routes(ns: str) -> list[Route]:
    """The routes of every table in ``ns`` that someone added (not the kernel's own), as netscript
    reads `ip route add`'s words (netscript.routing.words.read_route)."""
    routes = []
    for family in ("-4", "-6"):
        for entry in _ip_json(ns, family, "route", "show", "table", "all"):
            if entry.get("protocol") in ("kernel", "ra") or entry.get("table") == "local":
                continue
            reading = read_route([Word(w) for w in route_words_of(entry)], family=int(family[1]))
            assert reading.value is not None, (entry, reading.errors, reading.unsupported)
            routes.append(reading.value)
    return routes


def kernel_rules(ns: str) -> list[Rule]:
    """The policy rules in ``ns`` beyond the ones every namespace starts with, read by read_rule."""
    rules = []
    for family in ("-4", "-6"):
        for entry in _ip_json(ns, family, "rule", "show"):
            if (int(family[1]), entry["priority"], entry.get("table")) in KERNEL_RULES and len(entry) == 3:
                continue
            words = [family, "priority", str(entry["priority"])]
            for key, word in (("src", "from"), ("dst", "to")):
                if key in entry and entry[key] != "all":
                    words += [word, f"{entry[key]}/{entry[key + 'len']}"]
            for key in ("iif", "oif"):
                if key in entry:
                    words += [key, entry[key]]
            if "fwmark" in entry:
                words += ["fwmark", entry["fwmark"] + (f"/{entry['fwmask']}" if "fwmask" in entry else "")]
            words += [entry["action"]] if "action" in entry else ["table", entry["table"]]
            reading = read_rule([Word(w) for w in words])
            assert reading.value is not None, (entry, reading.errors, reading.unsupported)
            rules.append(reading.value)
    return rules


def as_built(route: Route, table: int) -> Route:
    """``route`` as the kernel reports it when built: in its table's number, the kernel's metric
    and netscript's protocol (static) where the spec says none; a type other than unicast has no
    nexthop (the kernel names lo); a multipath nexthop's weight is 1 unless said."""
    multipath = len(route.nexthops) > 1
    hops = tuple(replace(nh, weight=nh.weight or 1) if multipath else nh for nh in route.nexthops)
    return replace(
        route,
        netns=None,
        table=table,
        metric=route.metric if route.metric is not None else KERNEL_METRIC[route.family],
        protocol=route.protocol if route.protocol is not None else DEFAULT_PROTOCOL,
        nexthops=hops if route.type is RouteType.UNICAST else (),
    )


def missing_routes(program: Program, ns: str) -> list[str]:
    """The spec's routes the kernel in ``ns`` does not hold as said (empty: all there).

    What the spec leaves to the kernel is taken from the kernel's route: the device of a
    nexthop that names none, and the scope when the spec states none."""
    index = Index.build(program)
    found = kernel_routes(ns)
    problems = []
    for route in program.routes:
        want = as_built(route, table_number(index, route.netns, route.table))
        there = [r for r in found if r.identity == want.identity]
        if not there:
            problems.append(f"no route {route.dst} in table {want.table}; the kernel has {found}")
            continue
        have = there[0]
        hops = tuple(h if w.dev is not None else replace(h, dev=None) for w, h in zip(want.nexthops, have.nexthops))
        have = replace(
            have,
            nexthops=hops + have.nexthops[len(hops) :] if want.type is RouteType.UNICAST else (),
            scope=have.scope if want.scope is not None else None,
            metric=have.metric or 0,
        )
        if have != want:
            problems.append(f"route {route.dst}: the spec says {want}, the kernel has {there[0]}")
    return problems


def missing_rules(program: Program, ns: str) -> list[str]:
    """The spec's rules the kernel in ``ns`` does not hold; a rule whose priority the spec leaves
    out matches whatever priority the kernel gave it."""
    index = Index.build(program)
    found = kernel_rules(ns)
    problems = []
    for rule in program.rules:
        want = replace(rule, netns=None, table=table_number(index, rule.netns, rule.table))
        if not any(replace(r, priority=want.priority) == want if want.priority is None else r == want for r in found):
            problems.append(f"no rule {want}; the kernel has {found}")
    return problems


def wrong_sysctls(program: Program, ns: str) -> list[str]:
    """The spec's sysctls whose value in ``ns`` differs from the spec's."""
    problems = []
    for sysctl in program.sysctls:
        out = subprocess.run(["ip", "netns", "exec", ns, "cat", sysctl.proc_path], capture_output=True, text=True)
        if " ".join(out.stdout.split()) != sysctl.value:
            problems.append(f"{sysctl.key} is {out.stdout.strip()!r}, the spec says {sysctl.value}")
    return problems
