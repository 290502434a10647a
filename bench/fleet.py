"""Benchmark: what one host costs in an Ansible run of netscript.net.apply, for the README's 1,000-host sum.

    sudo python3 bench/fleet.py [--hosts 20] [--forks 20] [--rounds 3] [--vms 16]

The spec is a hypervisor's: a VM bridge with an MTU and an address, a VXLAN
overlay port, a macvlan for the host on an uplink, and --vms VM ports
(veth pairs, one end on the bridge), all up: bridge, veth, macvlan and
vxlan, the kinds every kernel has.

Measured, medians over the rounds, each round in namespaces made for it:

- netscript as a whole process, as a user or a module pays it (start-up,
  imports, reading and validating the spec, netlink): `netscript apply` on
  an empty namespace (the first run), again (nothing to change), and
  `netscript plan` (check mode);
- the real engine: --hosts hosts with ansible_connection=local, each its own
  namespace, --forks forks, the playbook applying that spec: the first run,
  the second (nothing to change), and the same inventory running
  ansible.builtin.ping, which is the engine's own cost per host and task
  with no netscript at all.

Every namespace is deleted at the end, also on failure. The processes run
with compiled bytecode, as installed (bench/processes.py).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path[:0] = [HERE]

from processes import compiled_env, netscript_argv  # noqa: E402 (found through the sys.path line above)


def hypervisor_spec(vms: int, number: int = 1) -> str:
    """A hypervisor's network, the same shape on every host with its own numbers."""
    ports = " ".join(f"vm{n}" for n in range(vms))
    out = [
        "veth uplink peer uplink-peer {\n    up\n}\n",
        f"bridge br-vm mtu 1450 stp_state off {{\n    ports vx{100 + number} {ports}\n"
        f"    addr 192.0.2.{number}/24\n    up\n}}\n",
        f"vxlan vx{100 + number} id {100 + number} local 203.0.113.{number} dstport 4789 {{\n    up\n}}\n",
        f"macvlan mv-host link uplink mode bridge {{\n    addr 198.51.100.{number}/24\n    up\n}}\n",
    ]
    out += [f"veth vm{n} peer vm{n}-guest {{\n    up\n}}\n" for n in range(vms)]
    return "\n".join(out)


def timed(argv, env) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def netns_add(name: str) -> None:
    subprocess.run(["ip", "netns", "add", name], check=True)


def netns_delete_all(prefix: str) -> None:
    out = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.split() and line.split()[0].startswith(prefix):
            subprocess.run(["ip", "netns", "delete", line.split()[0]], capture_output=True)


def playbook(directory: str, module: str) -> str:
    path = os.path.join(directory, f"{module.replace('.', '_')}.yml")
    task = (
        "      netscript.net.apply:\n        src: '{{ spec_file }}'\n        netns: '{{ netscript_netns }}'\n"
        if module == "apply" else "      ansible.builtin.ping:\n"
    )
    with open(path, "w") as f:
        f.write(f"- hosts: all\n  gather_facts: false\n  tasks:\n    - name: {module}\n{task}")
    return path


def ansible_run(directory: str, inventory: str, book: str, forks: int, env) -> tuple[float, str]:
    env = dict(env, ANSIBLE_COLLECTIONS_PATH=REPO, ANSIBLE_HOME=os.path.join(directory, "home"),
               ANSIBLE_LOCAL_TEMP=os.path.join(directory, "tmp"), ANSIBLE_NOCOLOR="1", LC_ALL="C.UTF-8",
               ANSIBLE_RETRY_FILES_ENABLED="false")
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "ansible", "playbook", "-i", inventory, "--forks", str(forks), book],
                          env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"ansible-playbook failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-2000:]}")
    recap = proc.stdout[proc.stdout.rfind("PLAY RECAP"):]
    changed = sum(int(w.split("=")[1]) for w in recap.split() if w.startswith("changed="))
    return elapsed, f"changed={changed}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--forks", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--vms", type=int, default=16)
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("needs root (network namespaces)")

    prefix = "bf-" + uuid.uuid4().hex[:6]
    results: dict[str, list[float]] = {}
    notes: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as directory:
        env = compiled_env(directory)
        spec = os.path.join(directory, "hypervisor.ns")
        with open(spec, "w") as f:
            f.write(hypervisor_spec(args.vms))
        netscript = netscript_argv()
        try:
            # netscript alone, as a whole process
            netns_add(f"{prefix}-warm")
            subprocess.run([*netscript, "plan", "--netns", f"{prefix}-warm", spec], env=env, capture_output=True)
            for r in range(args.rounds):
                ns = f"{prefix}-p{r}"
                netns_add(ns)
                results.setdefault("netscript apply, first run", []).append(
                    timed([*netscript, "apply", "--netns", ns, spec], env))
                results.setdefault("netscript apply, no change", []).append(
                    timed([*netscript, "apply", "--netns", ns, spec], env))
                results.setdefault("netscript plan (check mode)", []).append(
                    timed([*netscript, "plan", "--netns", ns, spec], env))

            # the engine: hosts x forks
            for r in range(args.rounds):
                inventory = os.path.join(directory, f"hosts-{r}.ini")
                lines = ["[all:vars]", "ansible_connection=local", f"ansible_python_interpreter={sys.executable}",
                         f"spec_file={spec}", "[all]"]
                for h in range(args.hosts):
                    ns = f"{prefix}-r{r}h{h}"
                    netns_add(ns)
                    lines.append(f"h{h} netscript_netns={ns}")
                with open(inventory, "w") as f:
                    f.write("\n".join(lines) + "\n")
                apply_book, ping_book = playbook(directory, "apply"), playbook(directory, "ansible.builtin.ping")
                for label, book in (("first run", apply_book), ("no change", apply_book), ("ping", ping_book)):
                    elapsed, note = ansible_run(directory, inventory, book, args.forks, env)
                    key = f"ansible-playbook, {args.hosts} hosts, {args.forks} forks: {label}"
                    results.setdefault(key, []).append(elapsed)
                    notes[key] = note
        finally:
            netns_delete_all(prefix)

    print(f"spec: hypervisor with {args.vms} VM ports ({4 + 2 * args.vms} links counting veth peers); "
          f"{os.cpu_count()} CPUs; medians of {args.rounds} rounds")
    for key, values in results.items():
        median = statistics.median(values)
        per_host = f"  ({median / args.hosts * 1000:6.0f} ms per host)" if key.startswith("ansible") else ""
        note = f"  {notes[key]}" if key in notes and "ping" not in key else ""
        print(f"{key:<58} {median * 1000:8.0f} ms{per_host}{note}")
    print(json.dumps({k: statistics.median(v) for k, v in results.items()}))


if __name__ == "__main__":
    main()
