"""Benchmark: netlink apply and plan on the 1,000-interface topology, against `ip`.

    sudo python3 bench/apply.py [--rounds 4] [--command netscript|CHECKOUT [--command OTHER ...]]

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
start-up). netscript is timed twice. As a whole process, the `netscript
apply` command (Python's start-up, imports, reading and validating the
6,800-line spec, the netlink work): that is what a user waits for, and its
first build takes turns with `ip -batch` and the in-process one. And in
this process, ``netlink.apply`` / ``netlink.make_plan`` on a spec already
read (importing pyroute2 on first use included): the netlink work alone.
Reading the spec (load, validate, place) is printed on its own line.
The commands run with compiled bytecode, as installed (bench/processes.py).
`--command .venv/bin/netscript` times the netscript README.md's first
command installs (Debian's python3, in a venv), which is what a user on
Debian runs. Given --command more than once (the tree before and after a change), each
command builds and re-applies in namespaces of its own within every
round, taking turns with the others, so they are compared on the same
machine at the same time.

The kernel goes on working after a topology is built: bringing 1,900 links
up starts IPv6 duplicate address detection on each, and that work takes the
rtnl lock every request needs. Timed right after another build, the same
`ip -batch` takes 2-3x as long. So before each timed kernel measurement the
benchmark waits until the namespaces built so far are quiet (no link or
address event for 1.5 s). Deleting a namespace leaves the kernel work to
do after `ip netns del` returns, so every namespace stays until the last
round is over; then they are emptied with one `ip -batch` each, left to
quiet down and deleted.
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

import topology  # noqa: E402 (found through the sys.path line above)
from processes import compiled_env, netscript_argv  # noqa: E402

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
    """The namespaces made for the benchmark, emptied and deleted together at its end."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        self.made: list[str] = []

    def new(self, name: str) -> str:
        ns = f"{self.prefix}-{name}"
        sh("ip", "netns", "add", ns)
        self.made.append(ns)
        return ns

    def quiet(self) -> None:
        quiet(*self.made)

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


class Command:
    """The `netscript` command as a whole process, with compiled bytecode."""

    def __init__(self, command: str | None, env: dict[str, str]):
        self.argv, self.env = netscript_argv(command), env
        self.label = command or "netscript"

    def __call__(self, *args: str) -> str:
        return subprocess.run(self.argv + list(args), env=self.env, text=True, capture_output=True,
                              check=True).stdout


def load_spec(path: str, ns: str):
    from netscript.frontends import load
    from netscript.placement import place
    from netscript.validate import validate

    loaded = load(path)
    assert loaded.program is not None and not validate(loaded.program), "the benchmark spec does not validate"
    return place(loaded.program, netns=ns)


def one_round(number: int, spaces: Namespaces, commands: list[Command], paths: dict[str, str]) -> dict:
    from netscript.backends import netlink

    spec_path, plan_spec_path = paths["apply.ns"], paths["plan.ns"]
    out = {}
    ip_ns, ns = spaces.new(f"{number}-ip"), spaces.new(f"{number}-apply")
    cli_ns = [spaces.new(f"{number}-cli{i}") for i in range(len(commands))]
    out["read spec"] = timed(lambda: load_spec(spec_path, ns))
    program = load_spec(spec_path, ns)
    first = None

    def apply_first():
        nonlocal first
        first = netlink.apply(program)

    # whichever builds later shares the machine with the earlier ones' 1,900 links
    # (IPv6 router solicitations and MLD reports go on for seconds): take turns
    builds = [
        ("ip -batch", lambda: sh("ip", "-n", ip_ns, "-batch", paths["apply.batch"])),
        ("first apply", apply_first),
    ]
    for command, into in zip(commands, cli_ns):
        builds.append((f"{command.label} apply", lambda c=command, n=into: c("apply", spec_path, "--netns", n)))
    turn = number % len(builds)
    for key, build in builds[turn:] + builds[:turn]:
        spaces.quiet()
        out[key] = timed(build)
    assert first.ok and len(first.done) > 0, [d.message for d in first.problems]
    again = None

    def apply_again():
        nonlocal again
        again = netlink.apply(program)

    spaces.quiet()
    out["re-apply"] = timed(apply_again)
    assert again.ok and again.done == [] and again.requests == 0
    again_by = list(zip(commands, cli_ns))
    for command, into in again_by[number % len(again_by):] + again_by[:number % len(again_by)]:
        spaces.quiet()
        start = time.perf_counter()
        said = command("apply", spec_path, "--netns", into)
        out[f"{command.label} re-apply"] = time.perf_counter() - start
        assert said.startswith("no changes"), said

    plan_ns = spaces.new(f"{number}-plan")
    sh("ip", "-n", plan_ns, "-batch", paths["plan.batch"])
    plan_program = load_spec(plan_spec_path, plan_ns)
    spaces.quiet()
    # reading changes nothing: each round takes the median of a few turns of each
    reads: dict[str, list[float]] = {"ip -d -j link show": [], "plan": []}
    steps = []
    for _ in range(PLAN_TURNS):
        reads["ip -d -j link show"].append(timed(lambda: sh("ip", "-n", plan_ns, "-d", "-j", "link", "show")))
        reads["plan"].append(timed(lambda: steps.append(netlink.make_plan(plan_program).steps)))
    assert steps == [[]] * PLAN_TURNS, "the plan of a matching namespace is not empty"
    out.update((key, statistics.median(times)) for key, times in reads.items())
    for command in commands:
        out[f"{command.label} plan"] = timed(lambda c=command: c("plan", plan_spec_path, "--netns", plan_ns))
        out[f"{command.label} --version"] = timed(lambda c=command: c("--version"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--command", action="append",
                        help="the netscript executable or a source checkout (default: `netscript` on PATH); "
                             "given more than once, "
                             "each one builds in a namespace of its own, taking turns (before/after)")
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
        paths["warm-up.ns"] = os.path.join(tmp, "warm-up.ns")
        with open(paths["warm-up.ns"], "w") as f:
            f.write(topology.dsl(1, 1))
        env = compiled_env(tmp)
        commands = [Command(c, env) for c in args.command or [None]]
        spaces = Namespaces(f"bench{os.getpid()}")
        try:
            for i, command in enumerate(commands):  # compile the bytecode of everything apply and plan use
                warm = spaces.new(f"warm-up{i}")
                command("apply", paths["warm-up.ns"], "--netns", warm)
                command("plan", paths["warm-up.ns"], "--netns", warm)
            rounds = [one_round(i, spaces, commands, paths) for i in range(args.rounds)]
        finally:
            spaces.remove()

    def median(key):
        return statistics.median(r[key] for r in rounds)

    def ratio(a, b):
        return statistics.median(r[a] / r[b] for r in rounds)

    print(f"{BRIDGES} bridges, {VETHS} veth pairs as their ports, all up; median of {args.rounds} round(s)\n")
    for key in rounds[0]:
        print(f"  {key:<40} {median(key) * 1000:8.0f} ms")
    print()
    print("  in this process, on a spec already read:")
    for label, a, b, goal in (
        ("first apply / ip -batch", "first apply", "ip -batch", 1.5),
        ("re-apply, nothing to do / ip -batch", "re-apply", "ip -batch", 0.5),
        (f"plan on {BRIDGES + 2 * PLAN_VETHS} links / ip -d -j link show", "plan", "ip -d -j link show", 3.0),
    ):
        value = ratio(a, b)
        print(f"  {label:<48} {value:5.2f}x  (goal <= {goal}x: {'met' if value <= goal else 'NOT met'})")
    for command in commands:
        print()
        print(f"  whole processes, `{command.label}` (start-up, reading the spec, then the above):")
        for label, a, b, goal in (
            ("netscript apply / ip -batch", "apply", "ip -batch", 1.5),
            ("netscript apply again, nothing to do / ip -batch", "re-apply", "ip -batch", 0.5),
            ("netscript plan / ip -d -j link show", "plan", "ip -d -j link show", None),
        ):
            value = ratio(f"{command.label} {a}", b)
            verdict = f"  (goal <= {goal}x: {'met' if value <= goal else 'NOT met'})" if goal else ""
            print(f"  {label:<48} {value:5.2f}x{verdict}")


if __name__ == "__main__":
    main()
