"""Seeded brctl scripts in the shell shapes real scripts use.

Each case is a script that builds bridges over veth ports with brctl: a
sequence of subcommands consistent with the bridges it has made, values
written the ways people write them (decimal seconds, octal and hex numbers,
yes/no, values in variables), each command wrapped in one of the shapes of
the issue (function, if, &&/|| list, for loop, subshell, $(...), backticks,
variable holding the tool, absolute path, line continuation, case...).
"""

from __future__ import annotations

import random

PORTS = [f"v{i}" for i in range(6)]
BRIDGES = ["br0", "br1", "br2"]

PRELUDE = "".join(f"ip link add {p} type veth peer name {p}p\n" for p in PORTS)


class _Bridges:
    """What the script has built so far, so every command makes sense."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.ports: dict[str, set] = {}
        self.stp: dict[str, bool] = {}

    def free_ports(self):
        used = set().union(*self.ports.values()) if self.ports else set()
        return [p for p in PORTS if p not in used]


def _seconds(rng, low: float, high: float) -> str:
    value = rng.uniform(low, high)
    style = rng.choice(["int", "1dp", "2dp", "3dp", "exp"])
    if style == "int":
        return str(int(value))
    if style == "exp" and value >= 10:
        return f"{value / 10:.1f}e1"
    digits = {"1dp": 1, "2dp": 2, "3dp": 3, "exp": 2}[style]
    return f"{value:.{digits}f}"


def _number(rng, low: int, high: int) -> str:
    """A number as %i reads it: decimal, octal with a leading 0, or hex."""
    n = rng.randint(low, high)
    style = rng.choice(["dec", "dec", "oct", "hex"])
    if style == "oct" and n > 0:
        return "0" + format(n, "o")
    if style == "hex":
        return hex(n)
    return str(n)


def _switch(rng, on: bool) -> str:
    return rng.choice(["on", "yes", "1"] if on else ["off", "no", "0"])


def _command(rng, s: _Bridges) -> list[str] | None:
    """One brctl subcommand with its arguments, or None when nothing fits."""
    bridges = list(s.ports)
    choices = ["addbr"] * 3
    if bridges:
        choices += ["addif"] * 4 + ["setfd", "sethello", "setmaxage", "setageing", "setbridgeprio", "stp", "stp"] * 2
        choices += ["show", "showstp", "delbr"]
        if any(s.ports[b] for b in bridges):
            choices += ["delif", "setpathcost", "setportprio", "hairpin"] * 2
    op = rng.choice(choices)
    if op == "addbr":
        free = [b for b in BRIDGES if b not in s.ports]
        if not free:
            return None
        b = rng.choice(free)
        s.ports[b], s.stp[b] = set(), False
        return ["addbr", b]
    b = rng.choice(bridges)
    if op == "delbr":
        del s.ports[b], s.stp[b]
        return ["delbr", b]
    if op == "addif":
        free = s.free_ports()
        if not free:
            return None
        chosen = rng.sample(free, k=min(len(free), rng.choice([1, 1, 2])))
        s.ports[b].update(chosen)
        return ["addif", b, *chosen]
    if op in ("show", "showstp"):
        return ["show"] if op == "show" and rng.random() < 0.5 else [op, b]
    if op == "stp":
        s.stp[b] = rng.random() < 0.5
        return ["stp", b, _switch(rng, s.stp[b])]
    if op == "setfd":
        # with STP on, the kernel refuses less than 2 s: brctl and ip both fail, the state stays
        return ["setfd", b, _seconds(rng, 0, 30)]
    if op == "sethello":
        return ["sethello", b, _seconds(rng, 1, 10)]
    if op == "setmaxage":
        return ["setmaxage", b, _seconds(rng, 6, 40)]
    if op == "setageing":
        return ["setageing", b, _seconds(rng, 0, 1000)]
    if op == "setbridgeprio":
        return ["setbridgeprio", b, _number(rng, 0, 70000)]
    with_ports = [x for x in bridges if s.ports[x]]
    b = rng.choice(with_ports)
    port = rng.choice(sorted(s.ports[b]))
    if op == "delif":
        s.ports[b].discard(port)
        return ["delif", b, port]
    if op == "setpathcost":
        return ["setpathcost", b, port, _number(rng, 1, 65535)]
    if op == "setportprio":
        return ["setportprio", b, port, _number(rng, 0, 63)]
    return ["hairpin", b, port, _switch(rng, rng.random() < 0.5)]


TIMERS = ("setfd", "sethello", "setmaxage", "setageing")


def _shape(rng, n: int, words: list[str]) -> tuple[str, str]:
    """The command in one of the shapes scripts use: (text before the command lines, the lines)."""
    args = " ".join(words)
    shape = rng.choice(
        ["plain", "var", "default", "absolute", "function", "if", "and", "or", "for", "subshell",
         "capture", "backtick", "continuation", "case", "value-var", "pipe", "quoted-var"]
    )
    if shape == "var":
        return "", f"$BRCTL {args}"
    if shape == "default":
        return "", f"$BRCTL_DEFAULT {args}"
    if shape == "absolute":
        return "", f"{rng.choice(['/sbin/brctl', '/usr/sbin/brctl'])} {args}"
    if shape == "function":
        return f"step_{n}() {{\n    brctl {args}\n}}\n", f"step_{n}"
    if shape == "if":
        return "", f"if true; then\n    brctl {args}\nfi"
    if shape == "and":
        return "", f"true && brctl {args}"
    if shape == "or":
        return "", f"brctl {args} || echo 'brctl {words[0]} failed' >&2"
    if shape == "for" and words[0] == "addif" and len(words) > 2:
        return "", f"for port in {' '.join(words[2:])}; do\n    brctl addif {words[1]} \"$port\"\ndone"
    if shape == "subshell":
        return "", f"( brctl {args} )"
    if shape == "capture" and not words[0].startswith("show"):
        return "", f"out=$(brctl {args})"
    if shape == "backtick" and not words[0].startswith("show"):
        return "", f"out=`brctl {args}`"
    if shape == "continuation" and len(words) > 1:
        return "", f"brctl {words[0]} \\\n    {' '.join(words[1:])}"
    if shape == "case":
        return "", f'case "$MODE" in\n    start) brctl {args} ;;\n    *) : ;;\nesac'
    if shape == "value-var" and words[0] in TIMERS + ("stp", "hairpin", "setbridgeprio", "setpathcost"):
        return "", f"VALUE_{n}={words[-1]}\nbrctl {' '.join(words[:-1])} $VALUE_{n}"
    if shape == "pipe" and not words[0].startswith("show"):
        return "", f"brctl {args} 2>&1 | cat >&2"
    if shape == "quoted-var" and len(words) > 1:
        return "", f'BR_{n}={words[1]}\nbrctl {words[0]} "$BR_{n}" {" ".join(words[2:])}'.rstrip()
    return "", f"brctl {args}"


def case(seed: int, length: int = 12) -> str:
    """One generated legacy script."""
    rng = random.Random(seed)
    state = _Bridges(rng)
    header = ["#!/bin/sh", "# generated brctl case", "MODE=start", "BRCTL=/sbin/brctl", ": ${BRCTL_DEFAULT:=brctl}", PRELUDE.rstrip()]
    functions, body = [], []
    n = 0
    while n < length:
        words = _command(rng, state)
        if words is None:
            continue
        before, lines = _shape(rng, n, words)
        if before:
            functions.append(before)
        body.append(lines)
        n += 1
    return "\n".join(header + functions + body) + "\n"
