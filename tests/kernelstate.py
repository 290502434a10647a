"""Read a namespace back with `ip -d -j` and compare it with a spec, attribute by attribute.

This is the tests' own oracle, written against iproute2's JSON rather than
netscript's code paths, so a wrong `ip` word or a wrong read-back key in the
backends shows up as a mismatch here.
"""

from __future__ import annotations

import ipaddress
import json
import subprocess

from netscript import kinds
from netscript.frontends.kernel.state import kernel_made
from netscript.ir.model import AdminState, Link, LinkKind, Program, option_items
from netscript.kinds import vlan

# Values that change on their own (timers counting down, statistics).
VOLATILE = {"hello_timer", "tcn_timer", "topology_change_timer", "gc_timer", "forward_delay_timer",
            "hold_timer", "message_age_timer", "stats", "stats64", "operstate", "flags",
            # 802.3ad negotiation, which goes on by itself after the script is done
            "ad_info", "ad_aggregator_id", "ad_actor_oper_port_state", "ad_actor_oper_port_state_str",
            "ad_partner_oper_port_state", "ad_partner_oper_port_state_str"}


def ip_json(netns: str | None, *args: str):
    cmd = ["ip", *(["-n", netns] if netns else []), "-d", "-j", *args]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return json.loads(out or "[]")


def links(netns: str | None) -> dict[str, dict]:
    """The namespace's links, less the tunnel modules' fallback devices (gretap0, tunl0...),
    which the kernel makes in every namespace once such a module is loaded."""
    return {
        entry["ifname"]: entry
        for entry in ip_json(netns, "link", "show")
        if entry["ifname"] == "lo" or not kernel_made(entry["ifname"], entry.get("linkinfo", {}).get("info_kind"))
    }


def addresses(netns: str | None) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for entry in ip_json(netns, "address", "show"):
        for a in entry.get("addr_info", []):
            out.setdefault(entry["ifname"], set()).add(f"{a['local']}/{a['prefixlen']}")
    return out


def stable(state):
    """A namespace's link state without the fields that change by themselves."""
    if isinstance(state, dict):
        return {k: stable(v) for k, v in state.items() if k not in VOLATILE}
    if isinstance(state, list):
        return [stable(v) for v in state]
    return state


def snapshot(namespaces) -> dict:
    return {ns: (stable(links(ns)), addresses(ns)) for ns in namespaces}


def team_config(netns: str | None, name: str) -> dict | None:
    """teamd's live config of a team (`teamdctl NAME config dump actual`), None without teamd.

    The team driver reports none of its settings in `ip -d -j link`: teamd holds them.
    """
    cmd = [*(["ip", "netns", "exec", netns] if netns else []), "teamdctl", name, "config", "dump", "actual"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    return json.loads(proc.stdout) if proc.returncode == 0 else None


def team_configs(namespaces) -> dict:
    """Every team's live teamd config, keyed (namespace, name): for "a second run changes nothing"."""
    return {
        (ns, name): team_config(ns, name)
        for ns in namespaces
        for name, live in links(ns).items()
        if live.get("linkinfo", {}).get("info_kind") == "team"
    }


def differences(program: Program) -> list[str]:
    """Every way the kernel differs from the (placed) spec; empty when it matches."""
    problems: list[str] = []
    cache: dict = {}

    def state(ns):
        if ns not in cache:
            cache[ns] = (links(ns), addresses(ns))
        return cache[ns]

    masters = {}
    for link in program.links:
        for port in link.ports:
            masters[(link.netns, port.name)] = (link, port)

    for link in program.all_links():
        live_links, live_addrs = state(link.netns)
        live = live_links.get(link.name)
        where = f"{link.name}@{link.netns}"
        if live is None:
            problems.append(f"{where}: missing")
            continue
        problems += [f"{where}: {p}" for p in _compare_link(link, live, live_addrs.get(link.name, set()))]
        if link.kind is LinkKind.TEAM:
            problems += [f"{where}: {p}" for p in _compare_team(link)]
        if (link.netns, link.name) in masters:
            master, port = masters[(link.netns, link.name)]
            if live.get("master") != master.name:
                problems.append(f"{where}: master is {live.get('master')}, spec says {master.name}")
            slave = live.get("linkinfo", {}).get("info_slave_data", {})
            if master.kind is LinkKind.TEAM:
                continue  # team port options are in teamd's config: _compare_team
            for key, value, meta in option_items(port.options):
                if meta.kernel and meta.kernel in slave:
                    got = meta.codec.from_kernel(slave[meta.kernel])
                    if got != value:
                        problems.append(f"{where}: port {key} is {got}, spec says {value}")
                elif meta.kernel:
                    problems.append(f"{where}: port {key} not reported by the kernel")
    return problems


def _teamd_value(config: dict, path: str):
    node = config
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return tuple(node) if isinstance(node, list) else node


def _compare_team(link: Link) -> list[str]:
    """The team's and its ports' settings against teamd's live config (paths from the `ip` metadata)."""
    config = team_config(link.netns, link.name)
    if config is None:
        return ["teamd does not answer for it (teamdctl config dump actual failed)"]
    out = []
    for key, value, meta in option_items(link.options):
        got = _teamd_value(config, meta.ip)
        if got != value:
            out.append(f"{key} is {got!r} in teamd, spec says {value!r}")
    for port in link.ports:
        port_config = config.get("ports", {}).get(port.name)
        if port_config is None:
            out.append(f"port {port.name} is not in teamd's ports")
            continue
        for key, value, meta in option_items(port.options):
            got = port_config.get(meta.ip or key)
            if got != value:
                out.append(f"port {port.name} {key} is {got!r} in teamd, spec says {value!r}")
    return out


def _name_of(key: str, number: int) -> str:
    import grp
    import pwd

    try:
        return pwd.getpwuid(number).pw_name if key == "user" else grp.getgrgid(number).gr_name
    except KeyError:
        return str(number)


def _kind_of(live: dict) -> str | None:
    info = live.get("linkinfo", {})
    kind = info.get("info_kind")
    if kind == "tun":
        return info.get("info_data", {}).get("type")
    return kind


def _compare_link(link: Link, live: dict, live_addrs: set[str]) -> list[str]:
    out = []
    if link.kind is not LinkKind.PHYSICAL and _kind_of(live) != link.kind.value:
        out.append(f"kind is {_kind_of(live)}, spec says {link.kind.value}")
    if link.mtu is not None and live.get("mtu") != link.mtu:
        out.append(f"mtu is {live.get('mtu')}, spec says {link.mtu}")
    if link.mac is not None and live.get("address") != link.mac:
        out.append(f"mac is {live.get('address')}, spec says {link.mac}")
    if link.txqueuelen is not None and live.get("txqlen") != link.txqueuelen:
        out.append(f"txqueuelen is {live.get('txqlen')}, spec says {link.txqueuelen}")
    up = "UP" in live.get("flags", [])
    if link.state is AdminState.UP and not up:
        out.append("is down, spec says up")
    if link.state is AdminState.DOWN and up:
        out.append("is up, spec says down")
    for addr in link.addresses:
        want = str(ipaddress.ip_interface(addr.cidr).with_prefixlen)
        if want not in live_addrs:
            out.append(f"address {addr.cidr} missing (has {sorted(live_addrs)})")
    data = live.get("linkinfo", {}).get("info_data", {})
    for key, value, meta in option_items(link.options):
        if link.kind is LinkKind.VLAN and key in vlan.FLAG_NAMES:
            has = vlan.FLAG_NAMES[key] in data.get("flags", [])
            if has != value:
                out.append(f"{key} is {'on' if has else 'off'}, spec says {'on' if value else 'off'}")
            continue
        if link.kind is LinkKind.VLAN and key in ("egress_qos_map", "ingress_qos_map", "egress-qos-map", "ingress-qos-map"):
            table = data.get("egress_qos" if key.startswith("egress") else "ingress_qos", [])
            got = {e["from"]: e["to"] for e in table}
            # a mapping to 0 is the default, which the kernel does not list
            if any(got.get(a, 0) != b for a, b in value):
                out.append(f"{key} is {sorted(got.items())}, spec says {list(value)}")
            continue
        if link.kind in (LinkKind.TAP, LinkKind.TUN) and key in ("user", "group"):
            # ip names the owner (a number when no name has it); the spec may give either
            shown = str(data.get(key))
            if shown != str(value) and not (str(value).isdigit() and shown == _name_of(key, int(value))):
                out.append(f"{key} is {shown}, spec says {value}")
            continue
        if link.kind is LinkKind.IPVLAN and key == "flag":
            # not a value but a key of its own: "private": true
            has = [f for f in ("bridge", "private", "vepa") if data.get(f) is True]
            if has != [value]:
                out.append(f"flag is {has}, spec says {value!r}")
            continue
        kernel_key = meta.kernel
        if meta.kernel_v6 and ipaddress.ip_address(value).version == 6:
            kernel_key = meta.kernel_v6  # a tunnel's remote6
        if not kernel_key:
            continue
        if kernel_key not in data:
            out.append(f"{key} not reported by the kernel")
            continue
        got = meta.codec.from_kernel(data[kernel_key])
        if isinstance(value, tuple):
            got = tuple(got) if isinstance(got, list) else got
        if got != value:
            out.append(f"{key} is {got!r}, spec says {value!r}")
    if link.parent is not None:
        # tunnels report their underlay in info_data; stacked links at the top level
        lower = data.get("link") if kinds.spec(link.kind).parent_attr is not None else live.get("link")
        if lower is not None and lower != link.parent.name:
            out.append(f"parent is {lower}, spec says {link.parent.name}")
        if lower is None and "link_netnsid" not in live and "link_index" not in live:
            out.append(f"has no parent, spec says {link.parent.name}")
    return out

