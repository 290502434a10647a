"""The three ways to build a spec (the rendered script, `render --batch`, `apply`), run the same way.

Each backend builds the spec in a namespace of its own; what it built is read
back with `ip -d -j` (tests/kernelstate.py) and reduced to what the spec and
the kernel decide, so that the three results can be compared with each other.
"""

from __future__ import annotations

import ipaddress
import subprocess

from kernelstate import addresses, differences, links
from live_helpers import placed

BACKENDS = ("script", "batch", "apply")


def namespaces_of(program) -> list[str]:
    return sorted({link.netns for link in program.all_links()} | {n.name for n in program.namespaces})


class Build:
    """One backend building one spec file in namespace ``ns`` (declared namespaces named ``ns-NAME``)."""

    def __init__(self, cli, backend: str, spec, ns: str, tmp_path, *extra: str):
        assert backend in BACKENDS
        self.cli, self.backend, self.spec, self.ns = cli, backend, str(spec), ns
        self.program = placed(self.spec, ns)
        self.namespaces = namespaces_of(self.program)
        self.script = None
        if backend != "apply":
            self.script = tmp_path / f"{ns}-{backend}.sh"
            flags = ["--batch"] if backend == "batch" else []
            result = cli("render", self.spec, "--netns", ns, "--netns-prefix", ns + "-", "-o", self.script, *flags, *extra)
            assert result.exit_code == 0, result.output
        self.extra = extra

    def run(self) -> tuple[int, str]:
        """Build (or converge) once: (exit status, what it printed)."""
        if self.backend == "apply":
            result = self.cli("apply", self.spec, "--netns", self.ns, "--netns-prefix", self.ns + "-", *self.extra)
            return result.exit_code, result.output
        done = subprocess.run(["bash", str(self.script)], capture_output=True, text=True, check=False)
        return done.returncode, done.stdout + done.stderr


def make_namespace(name: str) -> None:
    subprocess.run(["ip", "netns", "add", name], check=True)


# What a link's state says about the spec and the kernel, not about when or in what order it was
# made: identifiers derived from random MACs, port numbers given in enslaving order, timers,
# counters, the namespace ids (numbered as namespaces first meet), offload limits.
NOT_COMPARED = {
    "ifindex", "link_index", "link_netnsid", "address", "broadcast", "perm_address", "qdisc", "operstate",
    "bridge_id", "root_id", "root_port", "designated_root", "designated_bridge", "id", "no", "designated_port",
    "designated_cost", "hold_timer", "message_age_timer", "forward_delay_timer", "hello_timer", "tcn_timer",
    "topology_change_timer", "gc_timer", "topology_change", "topology_change_detected", "topology_change_ack",
    "state", "stats", "stats64", "carrier_changes", "carrier_up_count", "carrier_down_count", "config_pending",
    "altnames", "parentbus", "parentdev", "link_pointtopoint",
    # offload limits a stacked link copies from its lower device when it is made: a bridge's
    # grow as ports join, so they tell in which order links were made and enslaved
    "gso_max_size", "gso_max_segs", "tso_max_size", "tso_max_segs", "gro_max_size",
    "gso_ipv4_max_size", "gro_ipv4_max_size",
}


def _reduced(value):
    if isinstance(value, dict):
        return {k: _reduced(v) for k, v in value.items() if k not in NOT_COMPARED}
    if isinstance(value, list):
        return [_reduced(v) for v in value]
    return value


def built_state(program, base: str) -> dict:
    """Every link of every namespace of ``program``, as the spec and the kernel decide it.

    Namespaces are named by their place in the spec (``base`` -> '', ``base-NAME`` -> ``NAME``), so
    builds in different namespaces compare; each link keeps its kind, settings,
    MTU, queue length, admin state (UP flag), master, port settings, lower device
    and its addresses but the link-local ones (those follow the random MAC).
    """
    out = {}
    for ns in namespaces_of(program):
        short = "" if ns == base else ns.removeprefix(base + "-")
        live, addrs = links(ns), addresses(ns)
        for name, entry in live.items():
            if name == "lo":
                continue
            reduced = _reduced(entry)
            reduced["flags"] = sorted(f for f in entry.get("flags", []) if f in ("UP",))
            reduced["addresses"] = sorted(
                a for a in addrs.get(name, set()) if not ipaddress.ip_interface(a).is_link_local
            )
            if program_mac(program, ns, name) is not None:
                reduced["address"] = entry.get("address")
            out[(short, name)] = reduced
    return out


def program_mac(program, ns, name):
    for link in program.all_links():
        if (link.netns, link.name) == (ns, name):
            return link.mac
    return None


def spec_differences(program) -> list[str]:
    """kernelstate.differences, plus what it leaves out: IPv6 vxlan endpoints and tun/tap owners.

    `ip -d -j` prints a vxlan's IPv6 endpoints as remote6, local6 and group6, and
    a tun/tap's owner as "user"/"group" (a name, or the number when it has none).
    """
    import dataclasses

    from netscript.ir.model import LinkKind

    checked, extra = [], []
    for link in program.links:
        options = link.options
        if link.kind is LinkKind.VXLAN and options is not None:
            v6 = {k: getattr(options, k) for k in ("remote", "local", "group")
                  if getattr(options, k) is not None and ":" in getattr(options, k)}
            if v6:
                options = dataclasses.replace(options, **dict.fromkeys(v6))
                extra.append((link, {k + "6": str(ipaddress.ip_address(v)) for k, v in v6.items()}))
        if link.kind in (LinkKind.TAP, LinkKind.TUN) and options is not None:
            owners = {k: _owner_name(k, getattr(options, k)) for k in ("user", "group") if getattr(options, k)}
            if owners:
                extra.append((link, owners))
        checked.append(dataclasses.replace(link, options=options))
    out = differences(dataclasses.replace(program, links=tuple(checked)))
    for link, wanted in extra:
        live = links(link.netns).get(link.name)
        if live is None:
            continue  # reported missing above
        data = live.get("linkinfo", {}).get("info_data", {})
        for key, value in wanted.items():
            if str(data.get(key)) != value:
                out.append(f"{link.name}@{link.netns}: {key} is {data.get(key)!r}, spec says {value!r}")
    return out


def _owner_name(field: str, value: str) -> str:
    import grp
    import pwd

    try:
        if value.isdigit():
            return (pwd.getpwuid if field == "user" else grp.getgrgid)(int(value))[0]
        return value
    except KeyError:
        return value


