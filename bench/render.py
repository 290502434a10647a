"""Benchmark the bash backend's --batch script against `ip -batch`.

On the 1,000-interface topology (100 bridges, 900 veth pairs as their ports,
all up), each run in a fresh network namespace:

- baseline: `ip -n NS -batch` of the plain commands that build it;
- first run of `netscript render --batch` output (goal: within 2x);
- re-run of the same script on the built namespace (goal: within 1x).

Needs root. Usage: python bench/render.py [--bridges 100] [--veths 900] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import topology


def fresh_namespace() -> str:
    name = "bench-" + uuid.uuid4().hex[:8]
    subprocess.run(["ip", "netns", "add", name], check=True)
    return name


def timed(cmd, **kw) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, **kw)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bridges", type=int, default=100)
    parser.add_argument("--veths", type=int, default=900)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        spec = os.path.join(tmp, "big.ns")
        batch_in = os.path.join(tmp, "big.batch")
        with open(spec, "w") as f:
            f.write(topology.dsl(args.bridges, args.veths))
        with open(batch_in, "w") as f:
            f.write(topology.ip_batch(args.bridges, args.veths))

        results = {"ip -batch": [], "first run": [], "re-run": []}
        for _ in range(args.repeat):
            ns = fresh_namespace()
            try:
                results["ip -batch"].append(timed(["ip", "-n", ns, "-batch", batch_in]))
            finally:
                subprocess.run(["ip", "netns", "delete", ns])
            ns = fresh_namespace()
            try:
                script = os.path.join(tmp, "big.sh")
                subprocess.run(
                    [sys.executable, "-m", "netscript", "render", "--batch", "--netns", ns, spec, "-o", script],
                    check=True,
                )
                results["first run"].append(timed(["bash", script]))
                results["re-run"].append(timed(["bash", script]))
                links = subprocess.run(["ip", "-n", ns, "-o", "link", "show"], capture_output=True, text=True).stdout
                count = len(links.splitlines()) - 1  # without lo
                expected = args.bridges + 2 * args.veths
                if count != expected:
                    print(f"error: the script built {count} links, expected {expected}", file=sys.stderr)
                    return 1
            finally:
                subprocess.run(["ip", "netns", "delete", ns])

    best = {k: min(v) for k, v in results.items()}
    base = best["ip -batch"]
    print(f"topology: {args.bridges} bridges, {args.veths} veth pairs ({args.bridges + 2 * args.veths} links); best of {args.repeat}")
    print(f"ip -batch baseline      {base:8.3f} s")
    print(f"render --batch, 1st run {best['first run']:8.3f} s  ratio {best['first run'] / base:5.2f}x  (goal <= 2x)")
    print(f"render --batch, re-run  {best['re-run']:8.3f} s  ratio {best['re-run'] / base:5.2f}x  (goal <= 1x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
