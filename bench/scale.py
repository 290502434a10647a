"""Benchmark: every command at two sizes of input, as whole processes: linear, and how fast.

    python3 bench/scale.py [--sizes 10000 100000] [--command netscript] [--only check-sh ...]

Inputs are generated at each size, one statement a line:

- a spec of ``bridge bN { up }`` (one link and its state a line), for
  ``check``, ``render``, ``fmt`` and ``plan`` (plan only reads the kernel);
- a shell script of ``brctl addbr bN``, for ``check`` and ``translate``;
- a Markdown document (one ``sh`` code block) and a plain text file of
  ``ip link add bN type bridge`` and ``brctl addbr cN`` lines, for ``check``.

Each command runs once as a process of its own, its bytecode compiled first
as an installed netscript's is (bench/processes.py). What is measured is the
CPU time (user + system) of the whole process and what it waited for (shfmt
included), from the kernel's accounting of the child (``os.wait4``), and its
peak resident memory. Printed for each command and size: statements per
second of CPU, the peak RSS, and the time as a multiple of the baseline;
then the growth between the sizes (linear: the time grows as the size does,
10x for 10k -> 100k).

The baseline, run in the same way on the same file, is Python itself doing
the least a reader must: ``shlex.split`` of every line. A ratio to it says
how the command compares with plain Python on any machine.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from processes import compiled_env, netscript_argv

BASELINE = "import shlex, sys\nfor line in open(sys.argv[1]):\n    shlex.split(line)\n"


def write_inputs(directory: str, n: int) -> dict[str, str]:
    """The input files of ``n`` statements (one a line): kind -> path."""
    texts = {
        "spec.ns": "".join(f"bridge b{i} {{ up }}\n" for i in range(n)),
        "script.sh": "".join(f"brctl addbr b{i}\n" for i in range(n)),
        "doc.md": "# Bridges\n\n```sh\n"
        + "".join(f"ip link add b{i} type bridge\n" if i % 2 else f"brctl addbr c{i}\n" for i in range(n))
        + "```\n",
        "doc.txt": "".join(f"ip link add b{i} type bridge\n" if i % 2 else f"brctl addbr c{i}\n" for i in range(n)),
    }
    paths = {}
    for name, text in texts.items():
        paths[name] = os.path.join(directory, f"{n}-{name}")
        with open(paths[name], "w") as f:
            f.write(text)
    return paths


def commands(netscript: list[str], paths: dict[str, str], out: str) -> dict[str, list[str]]:
    spec, script = paths["spec.ns"], paths["script.sh"]
    return {
        "check .ns": netscript + ["check", spec],
        "render .ns": netscript + ["render", spec, "-o", out],
        "fmt .ns": netscript + ["fmt", spec, "-o", out],
        "plan .ns": netscript + ["plan", spec, "-o", out],
        "check .sh": netscript + ["check", script],
        "translate .sh": netscript + ["translate", script, "-o", out],
        "check .md": netscript + ["check", paths["doc.md"]],
        "check .txt": netscript + ["check", paths["doc.txt"]],
    }


def measure(argv: list[str], env: dict) -> tuple[float, int]:
    """(CPU seconds, peak RSS in KiB) of one whole process; exits 0 or 1 (findings) or the run stops."""
    proc = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    errors = proc.stderr.read().decode(errors="replace")  # before waiting: a full pipe would block it
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    if proc.returncode not in (0, 1):
        sys.exit(f"bench/scale.py: {' '.join(argv)} exited {proc.returncode}\n{errors[-2000:]}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[10_000, 100_000], metavar="N",
                        help="statements in the small and the large inputs (default 10000 100000)")
    parser.add_argument("--command", help="the netscript executable (default: `netscript` on PATH), or a command "
                        "line such as 'python3 -m netscript' (run from a work tree's root, that tree's code)")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="only these commands (e.g. check-sh translate-sh)")
    args = parser.parse_args()
    netscript = shlex.split(args.command) if args.command and " " in args.command else netscript_argv(args.command)
    small, large = args.sizes

    with tempfile.TemporaryDirectory() as tmp:
        env = compiled_env(tmp)
        out = os.path.join(tmp, "out")
        inputs = {n: write_inputs(tmp, n) for n in (1, small, large)}
        for argv in commands(netscript, inputs[1], out).values():  # compile the bytecode
            measure(argv, env)
        wanted = [name for name in commands(netscript, inputs[1], out)
                  if not args.only or name.replace(" .", "-") in args.only]

        print(f"CPU time and peak RSS of the whole process; `{' '.join(netscript)}`; "
              f"baseline: shlex.split of every line of the same file\n")
        print(f"  {'command':<15} {'statements':>10} {'CPU s':>7} {'stmts/s':>9} {'RSS MB':>7} {'x baseline':>10}")
        growth = {}
        for name in wanted:
            seconds = {}
            for n in (small, large):
                argv = commands(netscript, inputs[n], out)[name]
                cpu, rss = measure(argv, env)
                base, _ = measure([sys.executable, "-c", BASELINE, argv[len(netscript) + 1]], env)
                seconds[n] = cpu
                print(f"  {name:<15} {n:>10,} {cpu:7.2f} {n / cpu:9,.0f} {rss / 1024:7.0f} {cpu / base:9.1f}x")
            growth[name] = seconds[large] / seconds[small]
        print(f"\ngrowth from {small:,} to {large:,} statements (linear: {large / small:.0f}x)")
        for name, ratio in growth.items():
            print(f"  {name:<15} {ratio:5.1f}x")


if __name__ == "__main__":
    main()
