"""Benchmark: how long small commands take, as whole processes, against `import click`.

    python3 bench/latency.py [--runs 41] [--command netscript | --command CHECKOUT]

Each command runs as a process of its own, the way a user runs it, on a
one-link spec or a one-line script: ``netscript check``, ``render`` and
``translate``, and for reference ``--version`` and ``--help``. What is
measured is the CPU time (user + system) of the whole process, Python's
start-up included, read from the kernel's accounting of the child
(``os.wait4``), so a busy machine slows the numbers less than wall-clock
time would. The baseline is the cheapest click program there is,
``python3 -c "import click"``.

Every command runs once first, untimed, so its bytecode is compiled, as an
installed netscript's is (bench/processes.py); then the runs alternate,
baseline, command, baseline, command, ... and each ratio is the median of
the command's times over the median of the baseline's. Goal: at most 2x for
check, render and translate.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from processes import compiled_env, netscript_argv

GOAL = 2.0
SPEC = "dummy d0 {\n    up\n}\n"
SCRIPT = "brctl addbr br0\n"


def cpu_time(argv: list[str], cwd: str, env: dict, expect: int = 0) -> float:
    """User + system CPU seconds of one whole process (and anything it waited for)."""
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    # wait4 reaps the child and returns its own rusage, not this process's accumulated one
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    errors = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if proc.returncode != expect:
        sys.exit(f"bench/latency.py: {' '.join(argv)} exited {proc.returncode}, expected {expect}\n{errors}")
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=41, help="timed runs of each command (default 41)")
    parser.add_argument("--command", help="the netscript executable, or a source checkout to run "
                                          "(default: `netscript` on PATH)")
    args = parser.parse_args()
    netscript = netscript_argv(args.command)

    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "one.ns"), "w") as f:
            f.write(SPEC)
        with open(os.path.join(tmp, "one.sh"), "w") as f:
            f.write(SCRIPT)
        env = compiled_env(tmp)
        baseline = [sys.executable, "-c", "import click"]
        commands = {
            "check": (netscript + ["check", "one.ns"], 0),
            "render": (netscript + ["render", "one.ns", "-o", "one.out"], 0),
            "translate": (netscript + ["translate", "one.sh", "-o", "one.out.sh"], 0),
            "--version": (netscript + ["--version"], 0),
            "--help": (netscript + ["--help"], 0),
        }
        for argv, expect in [(baseline, 0), *commands.values()]:
            cpu_time(argv, tmp, env, expect)  # compile the bytecode

        times: dict[str, list[float]] = {"import click": [], **{name: [] for name in commands}}
        for _ in range(args.runs):
            for name, (argv, expect) in commands.items():
                times["import click"].append(cpu_time(baseline, tmp, env))
                times[name].append(cpu_time(argv, tmp, env, expect))

    base = statistics.median(times["import click"])
    print(f"CPU time of the whole process, median of {args.runs} runs; `{args.command or 'netscript'}`\n")
    label = 'python3 -c "import click"'
    print(f"  {label:<28} {base * 1000:7.1f} ms")
    for name in commands:
        value = statistics.median(times[name])
        ratio = value / base
        verdict = f"  (goal <= {GOAL}x: {'met' if ratio <= GOAL else 'NOT met'})" if not name.startswith("-") else ""
        print(f"  {'netscript ' + name:<28} {value * 1000:7.1f} ms  {ratio:5.2f}x{verdict}")


if __name__ == "__main__":
    main()
