"""Where the time of a re-apply with nothing to do goes, phase by phase, against `ip -batch`.

    sudo python3 bench/phases.py [--runs 9] [--command CHECKOUT]

bench/apply.py times whole commands; this one splits a re-apply of its
topology (100 bridges, 900 veth pairs: 1,900 links, a 6,800-line spec) into
the phases a `netscript apply` goes through, each as the CPU time (user +
system) it takes in a process of its own, the way the command runs it:

    start-up    the interpreter and site (`python3 -c pass`)
    imports     the modules apply loads before it reads anything
    read spec   the DSL read into the IR
    validate    validation
    place       placing the links in their namespaces (--netns)
    read state  the kernel's links and addresses, as IR (one dump each)
    compare     the plan: the spec against the state (nothing to do)
    exit        from there to the process's end

and next to them the CPU time of a whole `netscript apply` process doing
the same, and of `ip -batch` building the topology, which is the baseline
of bench/apply.py's ratios. CPU time, from the kernel's accounting of each
child (``os.wait4``), moves less than wall-clock time when others share
the machine; the figures are medians over ``--runs`` processes.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE]

import topology  # noqa: E402 (found through the sys.path line above)
from processes import compiled_env, netscript_argv  # noqa: E402

BRIDGES, VETHS = 100, 900
BUILDS = 3  # `ip -batch` builds, for the baseline's median

# The phases of `netscript apply SPEC --netns NS`, in the order the command goes through
# them (netscript/cli/live.py), each timed as the CPU time of this process so far.
PHASES = """
import atexit, gc, json, sys, time
sys.path.insert(0, {checkout!r})
atexit.register(gc.freeze)  # as netscript.cli.run does (a checkout before it does not)
spec, ns = sys.argv[1:3]
marks = [("start-up", time.process_time())]
import netscript.cli, netscript.cli.live
from netscript import collector
from netscript.backends.netlink import session
from netscript.frontends import load
from netscript.placement import place
from netscript.validate import validate
marks.append(("imports", time.process_time()))
with collector.paused():
    loaded = load(spec)
    marks.append(("read spec", time.process_time()))
    assert not validate(loaded.program)
    marks.append(("validate", time.process_time()))
    program = place(loaded.program, netns=ns)
    marks.append(("place", time.process_time()))
    state, missing, problems = session.read_state(program)
    marks.append(("read state", time.process_time()))
    plan = session.diff(program, state, prune=False, missing_namespaces=missing)
    marks.append(("compare", time.process_time()))
assert not plan.steps and not problems
print(json.dumps(marks))
"""


def run(argv: list[str], env=None) -> tuple[float, str]:
    """(CPU seconds, standard output) of the process ``argv``, from the kernel's accounting of it (wait4)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)  # this child's own rusage
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if child.returncode != 0:
            raise RuntimeError(f"{' '.join(argv[:3])}...: exit {child.returncode}: {err.read().decode()[-500:]}")
        return usage.ru_utime + usage.ru_stime, out.read().decode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--command", help="a source checkout (default: the netscript this script belongs to)")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench/phases.py needs root (network namespaces)")
    checkout = os.path.abspath(args.command or os.path.dirname(HERE))
    ns = f"phases{os.getpid()}"
    with tempfile.TemporaryDirectory() as tmp:
        spec, batch = os.path.join(tmp, "spec.ns"), os.path.join(tmp, "spec.batch")
        with open(spec, "w") as f:
            f.write(topology.dsl(BRIDGES, VETHS))
        with open(batch, "w") as f:
            f.write(topology.ip_batch(BRIDGES, VETHS))
        env = compiled_env(tmp)
        built = [f"{ns}-{i}" for i in range(BUILDS)]  # the first is the one re-applied
        try:
            builds = []
            for name in built:
                subprocess.run(["ip", "netns", "add", name], check=True)
                builds.append(run(["ip", "-n", name, "-batch", batch])[0])
            ip_cpu = statistics.median(builds)
            ns = built[0]
            apply_argv = netscript_argv(checkout) + ["apply", spec, "--netns", ns]
            phases_argv = [sys.executable, "-c", PHASES.format(checkout=checkout), spec, ns]
            run(apply_argv, env)  # compiles the bytecode; the namespace already matches
            run(phases_argv, env)
            whole, split, bare = [], [], []
            for _ in range(args.runs):
                bare.append(run([sys.executable, "-c", "pass"], env)[0])
                whole.append(run(apply_argv, env)[0])
                total, out = run(phases_argv, env)
                marks = json.loads(out)
                marks.append(("exit", total))
                split.append({name: end - marks[i - 1][1] if i else end for i, (name, end) in enumerate(marks)})
        finally:
            for name in built:
                subprocess.run(["ip", "netns", "del", name], check=False)

    print(f"re-apply of {BRIDGES} bridges and {VETHS} veth pairs, nothing to do: CPU time, median of {args.runs}")
    print(f"  {'ip -batch (building it)':<28} {ip_cpu * 1000:7.0f} ms  (median of {BUILDS})")
    print(f"  {'netscript apply, whole':<28} {statistics.median(whole) * 1000:7.0f} ms  "
          f"{statistics.median(whole) / ip_cpu:5.2f}x ip -batch")
    print(f"  {'python3 -c pass':<28} {statistics.median(bare) * 1000:7.0f} ms")
    print("  phases:")
    for name in split[0]:
        value = statistics.median(s[name] for s in split)
        print(f"    {name:<26} {value * 1000:7.0f} ms  {value / ip_cpu:5.2f}x")


if __name__ == "__main__":
    main()
