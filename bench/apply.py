"""Benchmark: netlink apply and plan on the 1,000-interface topology, against `ip`.

    sudo python3 bench/apply.py [--rounds 4]

The topology (bench/topology.py): 100 bridges, 900 veth pairs as their
ports, all up. Every measurement runs in a namespace made for it, and `ip`
and netscript take turns within each round, so both see the same machine
(and which of the two builds first alternates from round to round); the
ratios printed are medians over the rounds:

    first apply         / ip -batch of the same commands      goal <= 1.5
    re-apply, no change / ip -batch                           goal <= 0.5
    plan on 2,000 links / ip -d -j link show                  goal <= 3

What is timed, so that the ratios compare like with like: `ip`'s times are
of the whole `ip` process (exec, start-up and the requests: a few ms of
start-up); netscript's are of ``netlink.apply`` / ``netlink.make_plan`` in
this process on a spec already read, since that is the work the goals are
about. They include importing pyroute2 on first use, but not Python's own
start-up nor reading and validating the 6,800-line spec (the DSL frontend's
cost), which are printed on their own lines; so are the end-to-end times of
the `netscript` command, process start-up included.

The kernel goes on working after a topology is built: bringing 1,900 links
up starts IPv6 duplicate address detection on each, and that work takes the
rtnl lock every request needs. Timed right after another build, the same
`ip -batch` takes 2-3x as long. So before each timed kernel measurement the
benchmark waits until the namespaces built so far are quiet (no link or
address event for 1.5 s), and namespaces are emptied with one `ip -batch`
and left to quiet down before they are deleted: no measurement pays for the
one before it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.dirname(HERE)]

import topology

BRIDGES, VETHS = 100, 900
PLAN_VETHS = 950  # 100 bridges + 950 pairs = 2,000 links
PLAN_TURNS = 5


def sh(*words, stdin=None, quiet=True):
    return subprocess.run(words, input=stdin, text=True, check=True, capture_output=quiet)


def quiet(*namespaces: str, calm: float = 1.5, limit: float = 60) -> None:
    """Return once no link or address event has come from ``namespaces`` for ``calm`` seconds."""
    import queue
    import threading

    events: queue.Queue = queue.Queue()
    watchers = [
        subprocess.Popen(["ip", "-n", ns, "monitor", "link", "address"], stdout=subprocess.PIPE, text=True)
        for ns in namespaces
    ]
    for w in watchers:
        threading.Thread(target=lambda out=w.stdout: [events.put(line) for line in out], daemon=True).start()
    deadline = time.monotonic() + limit
    try:
        while time.monotonic() < deadline:
            try:
                events.get(timeout=calm)
            except queue.Empty:
                return
    finally:
        for w in watchers:
            w.terminate()
            w.wait()


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


class Namespaces:
    """Namespaces made for one round, emptied and deleted together at its end."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        self.made: list[str] = []

    def new(self, name: str) -> str:
        ns = f"{self.prefix}-{name}"
        sh("ip", "netns", "add", ns)
        self.made.append(ns)
        return ns

    def remove(self) -> None:
        for ns in self.made:
            bridges = [line.split(":")[1].strip().split("@")[0] for line in
                       sh("ip", "-n", ns, "-o", "link", "show").stdout.splitlines()]
            # deleting one veth end deletes both; bridges go last
            lines = [f"link del dev {name}" for name in bridges if name.startswith(("ve", "br"))]
            subprocess.run(["ip", "-n", ns, "-force", "-batch", "-"], input="\n".join(lines) + "\n",
                           text=True, capture_output=True, check=False)
        quiet(*self.made)
        for ns in self.made:
            sh("ip", "netns", "del", ns)
        self.made.clear()


def load_spec(path: str, ns: str):
    from netscript.frontends import load
    from netscript.plan import place
    from netscript.validate import validate

    loaded = load(path)
    assert loaded.program is not None and not validate(loaded.program), "the benchmark spec does not validate"
    return place(loaded.program, netns=ns)


def one_round(number: int, spec_path: str, plan_spec_path: str, batch: str, plan_batch: str) -> dict:
    from netscript.backends import netlink

    out = {}
    spaces = Namespaces(f"bench{os.getpid()}-{number}")
    try:
        ip_ns = spaces.new("ip")
        ns = spaces.new("apply")
        out["read spec"] = timed(lambda: load_spec(spec_path, ns))
        program = load_spec(spec_path, ns)
        first = None

        def apply_first():
            nonlocal first
            first = netlink.apply(program)

        # whichever builds second shares the machine with the first one's 1,900 links
        # (IPv6 router solicitations and MLD reports go on for seconds): take turns
        builds = [("ip -batch", lambda: sh("ip", "-n", ip_ns, "-batch", batch)), ("first apply", apply_first)]
        for key, build in builds if number % 2 == 0 else builds[::-1]:
            quiet(ip_ns, ns)
            out[key] = timed(build)
        assert first.ok and len(first.done) > 0, [d.message for d in first.problems]
        again = None

        def apply_again():
            nonlocal again
            again = netlink.apply(program)

        quiet(ns)
        out["re-apply"] = timed(apply_again)
        assert again.ok and again.done == [] and again.requests == 0

        plan_ns = spaces.new("plan")
        sh("ip", "-n", plan_ns, "-batch", plan_batch)
        plan_program = load_spec(plan_spec_path, plan_ns)
        quiet(ns, plan_ns)
        # reading changes nothing: each round takes the median of a few turns of each
        reads: dict[str, list[float]] = {"ip -d -j link show": [], "plan": []}
        steps = []
        for _ in range(PLAN_TURNS):
            reads["ip -d -j link show"].append(timed(lambda: sh("ip", "-n", plan_ns, "-d", "-j", "link", "show")))
            reads["plan"].append(timed(lambda: steps.append(netlink.make_plan(plan_program).steps)))
        assert steps == [[]] * PLAN_TURNS, "the plan of a matching namespace is not empty"
        out.update((key, statistics.median(times)) for key, times in reads.items())
        out["netscript plan (command)"] = timed(
            lambda: sh(sys.executable, "-m", "netscript", "plan", plan_spec_path, "--netns", plan_ns)
        )
        cli_ns = spaces.new("cli")
        quiet(cli_ns)
        out["netscript apply (command)"] = timed(
            lambda: sh(sys.executable, "-m", "netscript", "apply", spec_path, "--netns", cli_ns)
        )
        quiet(cli_ns)
        out["netscript re-apply (command)"] = timed(
            lambda: sh(sys.executable, "-m", "netscript", "apply", spec_path, "--netns", cli_ns)
        )
    finally:
        spaces.remove()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench/apply.py needs root (network namespaces)")

    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for name, veths in (("apply", VETHS), ("plan", PLAN_VETHS)):
            paths[name + ".ns"] = os.path.join(tmp, name + ".ns")
            paths[name + ".batch"] = os.path.join(tmp, name + ".batch")
            with open(paths[name + ".ns"], "w") as f:
                f.write(topology.dsl(BRIDGES, veths))
            with open(paths[name + ".batch"], "w") as f:
                f.write(topology.ip_batch(BRIDGES, veths))
        rounds = [
            one_round(i, paths["apply.ns"], paths["plan.ns"], paths["apply.batch"], paths["plan.batch"])
            for i in range(args.rounds)
        ]

    def median(key):
        return statistics.median(r[key] for r in rounds)

    def ratio(a, b):
        return statistics.median(r[a] / r[b] for r in rounds)

    print(f"{BRIDGES} bridges, {VETHS} veth pairs as their ports, all up; median of {args.rounds} round(s)\n")
    for key in rounds[0]:
        print(f"  {key:<30} {median(key) * 1000:8.0f} ms")
    print()
    for label, a, b, goal in (
        ("first apply / ip -batch", "first apply", "ip -batch", 1.5),
        ("re-apply, nothing to do / ip -batch", "re-apply", "ip -batch", 0.5),
        (f"plan on {BRIDGES + 2 * PLAN_VETHS} links / ip -d -j link show", "plan", "ip -d -j link show", 3.0),
    ):
        value = ratio(a, b)
        print(f"  {label:<48} {value:5.2f}x  (goal <= {goal}x: {'met' if value <= goal else 'NOT met'})")
    print()
    print("  end to end, the `netscript` command (Python start-up, reading the spec, then the above):")
    print(f"  {'netscript apply / ip -batch':<48} {ratio('netscript apply (command)', 'ip -batch'):5.2f}x")
    print(f"  {'netscript apply again / ip -batch':<48} {ratio('netscript re-apply (command)', 'ip -batch'):5.2f}x")
    print(f"  {'netscript plan / ip -d -j link show':<48} {ratio('netscript plan (command)', 'ip -d -j link show'):5.2f}x")


if __name__ == "__main__":
    main()
