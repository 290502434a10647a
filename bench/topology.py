"""The benchmark topology: bridges with veth pairs as their ports, all up.

    python bench/topology.py 100 900 > big.ns

The same topology is also given as the plain `ip` commands that build it, so
each benchmark can time `ip -batch` of exactly those commands as its baseline.
"""

from __future__ import annotations

import sys


def names(bridges: int, veths: int):
    """(bridge, veth, peer) triples: veth i is a port of bridge i % bridges."""
    for i in range(veths):
        yield f"br{i % bridges}", f"ve{i}", f"vp{i}"


def dsl(bridges: int = 100, veths: int = 900) -> str:
    ports: dict[str, list[str]] = {f"br{b}": [] for b in range(bridges)}
    lines = []
    for bridge, veth, peer in names(bridges, veths):
        ports[bridge].append(veth)
        lines.append(f"veth {veth} {{\n    peer {peer} {{\n        up\n    }}\n    up\n}}\n")
    for b in range(bridges):
        body = f"    ports {' '.join(ports[f'br{b}'])}\n" if ports[f"br{b}"] else ""
        lines.insert(b, f"bridge br{b} {{\n{body}    up\n}}\n")
    return "\n".join(lines)


def ip_batch(bridges: int = 100, veths: int = 900) -> str:
    """The same topology as `ip -batch` input: the baseline."""
    out = [f"link add name br{b} type bridge" for b in range(bridges)]
    for _, veth, peer in names(bridges, veths):
        out.append(f"link add name {veth} type veth peer name {peer}")
    for bridge, veth, _ in names(bridges, veths):
        out.append(f"link set dev {veth} master {bridge}")
    out += [f"link set dev br{b} up" for b in range(bridges)]
    for _, veth, peer in names(bridges, veths):
        out.append(f"link set dev {veth} up")
        out.append(f"link set dev {peer} up")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    b = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    v = int(sys.argv[2]) if len(sys.argv) > 2 else 900
    sys.stdout.write(dsl(b, v))
