"""The iproute2 / teamd command words for each planned step.

Commands are lists of plain words (never shell text); the bash backend quotes
them, the netlink backend shows them as "the equivalent `ip` command". Names
always follow a keyword (``dev``, ``name``, ``link``, ``master``) so a name that
starts with a dash is never read as an option.
"""

from __future__ import annotations

import json

from .. import kinds
from ..ir.model import AdminState, Link, LinkKind, Port, option_items
from ..ir.values import Flag
from ..kinds.spec import KindSpec, settings
from ..plan import LATE_OPTIONS, mutable_options

Words = list[str]


def ip(netns: str | None, *words: str) -> Words:
    return ["ip", *(["-n", netns] if netns else []), *words]


def in_netns(netns: str | None, *words: str) -> Words:
    """Run a program (teamd, teamdctl) inside a namespace."""
    return [*(["ip", "netns", "exec", netns] if netns else []), *words]


def option_words(key: str, value, meta) -> Words:
    codec = meta.codec
    word = meta.ip if meta.ip is not None else key
    if isinstance(codec, Flag):
        if codec.ip_style == "present":
            return [word] if value else []
        if codec.ip_style == "noprefix":
            return [word] if value else ["no" + word]
    rendered = codec.ip(value).split(" ")
    return [word, *rendered] if word else rendered


def kind_words(items) -> Words:
    out: Words = []
    for key, value, meta in items:
        out += option_words(key, value, meta)
    return out


def common_words(link: Link) -> Words:
    out: Words = []
    if link.mtu is not None:
        out += ["mtu", str(link.mtu)]
    if link.mac is not None:
        out += ["address", link.mac]
    if link.txqueuelen is not None:
        out += ["txqueuelen", str(link.txqueuelen)]
    return out


def create_only_items(link: Link):
    return [(k, v, m) for k, v, m in option_items(link.options) if m.create_only]


# -- teams ---------------------------------------------------------------


def teamd_config(link: Link) -> str:
    """teamd.conf(5) JSON for a team's settings (ports are added with teamdctl)."""
    spec = kinds.spec(LinkKind.TEAM)
    values = {key: (value, meta) for key, value, meta in option_items(link.options)}
    # The runner is always named, and so is any selector whose options are given: a link_watch
    # object with delay_up but no name makes teamd refuse every port (EINVAL).
    for selector in {"runner"} | {meta.selected_by for _, meta in values.values() if meta.modes}:
        if selector not in values:
            values[selector] = (spec.effective(link.options, selector), settings(spec.options)[selector][1])
    config: dict = {"device": link.name}
    for key, (value, meta) in values.items():
        path = (meta.ip or key).split(".")
        node = config
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = list(value) if isinstance(value, tuple) else value
    return json.dumps(config, sort_keys=True, separators=(",", ":"))


def team_port_config(port: Port) -> str:
    values = {}
    for key, value, meta in option_items(port.options):
        values[meta.ip or key] = value
    return json.dumps(values, sort_keys=True, separators=(",", ":"))


# -- steps ---------------------------------------------------------------


def type_word(spec: KindSpec) -> str:
    """``X`` in `ip link add/set ... type X` (the kinds `ip link` makes, and whose settings it sets, have one)."""
    if spec.ip_type is None:
        raise ValueError(f"`ip link` has no type word for a {spec.kind.value}")
    return spec.ip_type


def veth_peer(link: Link) -> Link:
    """A veth's other end (validation refuses a veth without one: NS213)."""
    if link.peer is None:
        raise ValueError(f"veth {link.name} has no peer")
    return link.peer


def create(link: Link, parent_netns: str | None) -> list[Words]:
    """Commands that create ``link`` (and a veth's peer) with its create-only settings."""
    spec = kinds.spec(link.kind)
    if link.kind is LinkKind.TEAM:
        return [in_netns(link.netns, "teamd", "-d", "-t", link.name, "-c", teamd_config(link))]
    if link.kind in (LinkKind.TAP, LinkKind.TUN):
        return [ip(link.netns, "tuntap", "add", "dev", link.name, "mode", link.kind.value, *kind_words(create_only_items(link)))]
    if link.kind is LinkKind.VETH:
        # Create from the end in the current namespace when there is one:
        # `ip` can name any namespace as the peer's but the current one.
        peer = veth_peer(link)
        near, far = (peer, link) if link.netns and peer.netns is None else (link, peer)
        words = ip(near.netns, "link", "add", "name", near.name, "type", "veth", "peer", "name", far.name)
        if far.netns is not None and far.netns != near.netns:  # near is the one in the current namespace, if any
            words += ["netns", far.netns]
        return [words]
    words = ["link", "add"]
    if link.parent is not None and spec.parent_key == "link":
        words += ["link", link.parent.name]
    words += ["name", link.name]
    if link.netns != parent_netns:
        if link.netns is None:
            raise ValueError(f"{link.name}: `ip link add` cannot make a link in the current namespace from another one (NS223)")
        words += ["netns", link.netns]
    words += ["type", type_word(spec)]
    words += kind_words(create_only_items(link))
    if link.parent is not None and spec.parent_key == "dev":
        words += ["dev", link.parent.name]
    return [ip(parent_netns if link.parent is not None else link.netns, *words)]


def configure(link: Link) -> Words | None:
    """One `ip link set` that converges MTU, MAC, queue length and in-place kind settings."""
    spec = kinds.spec(link.kind)
    words = common_words(link)
    if link.kind is not LinkKind.TEAM:
        options = kind_words(mutable_options(link))
        if options:
            words += ["type", type_word(spec), *options]
    if not words:
        return None
    return ip(link.netns, "link", "set", "dev", link.name, *words)


def configure_late(link: Link) -> Words:
    late = LATE_OPTIONS.get(link.kind, ())
    items = [(k, v, m) for k, v, m in option_items(link.options) if k in late]
    return ip(link.netns, "link", "set", "dev", link.name, "type", type_word(kinds.spec(link.kind)), *kind_words(items))


def enslave(port_name: str, master: Link) -> Words:
    if master.kind is LinkKind.TEAM:
        return in_netns(master.netns, "teamdctl", master.name, "port", "add", port_name)
    return ip(master.netns, "link", "set", "dev", port_name, "master", master.name)


def stage_team_port(port: Port, master: Link) -> Words | None:
    """Put a team port's options into teamd's config before `teamdctl port add`.

    teamd applies a port's config (prio, sticky, queue_id, lacp_prio, lacp_key)
    when it adds the port; updating it for a port already in the team only
    stores it, and fails unless it holds `prio`.
    """
    if master.kind is not LinkKind.TEAM or not option_items(port.options):
        return None
    return in_netns(master.netns, "teamdctl", master.name, "port", "config", "update", port.name, team_port_config(port))


def add_netns(netns: str, loopback: AdminState) -> list[Words]:
    """Add a namespace, with its loopback up unless ``loopback`` says down (ip netns add leaves it down)."""
    out = [["ip", "netns", "add", netns]]
    if loopback is AdminState.UP:
        out.append(ip(netns, "link", "set", "dev", "lo", "up"))
    return out


def set_down(netns: str | None, name: str) -> Words:
    return ip(netns, "link", "set", "dev", name, "down")


def configure_port(port: Port, master: Link) -> Words:
    if master.kind is LinkKind.TEAM:
        return in_netns(master.netns, "teamdctl", master.name, "port", "config", "update", port.name, team_port_config(port))
    slave_type = kinds.spec(master.kind).slave_type
    if slave_type is None:
        raise ValueError(f"`ip link` sets no port settings under a {master.kind.value}")
    return ip(master.netns, "link", "set", "dev", port.name, "type", slave_type, *kind_words(option_items(port.options)))


def add_address(link: Link, cidr: str) -> Words:
    return ip(link.netns, "address", "replace", cidr, "dev", link.name)


def set_state(link: Link, state) -> Words:
    return ip(link.netns, "link", "set", "dev", link.name, state.value)


def delete(link: Link) -> list[Words]:
    if link.kind is LinkKind.TEAM:
        return [in_netns(link.netns, "teamd", "-t", link.name, "-k")]
    return [ip(link.netns, "link", "delete", "dev", link.name)]


def orphan_delete(link: Link) -> Words | None:
    """What removes the link when ``delete`` cannot: a team whose teamd is gone.

    A team device outlives a teamd that was killed; `teamd -k` then fails and
    a new teamd refuses the name, so the device itself has to go. (Deleting
    the device of a running teamd makes that teamd exit, too.)
    """
    if link.kind is LinkKind.TEAM:
        return ip(link.netns, "link", "delete", "dev", link.name)
    return None


def team_runner(link: Link) -> str:
    """The runner teamd runs the team with (its default when the spec names none)."""
    return kinds.spec(LinkKind.TEAM).effective(link.options, "runner")


def team_runner_query(link: Link) -> Words:
    """Prints the runner of a running teamd; fails when no teamd answers for the team."""
    return in_netns(link.netns, "teamdctl", link.name, "state", "item", "get", "setup.runner_name")


# -- read-back patterns --------------------------------------------------


def kind_patterns(link: Link) -> list[str]:
    """Fragments that `ip -d -j link show` of a link of this kind contains."""
    if link.kind in (LinkKind.TAP, LinkKind.TUN):
        return ['"info_kind":"tun"', f'"type":"{link.kind.value}"']
    return [f'"info_kind":"{link.kind.value}"']


def create_only_patterns(link: Link) -> list[str]:
    """JSON fragments proving the create-only settings are as the spec says."""
    out = []
    for key, value, meta in create_only_items(link):
        if link.kind is LinkKind.IPVLAN and key == "flag":
            from ..kinds import ipvlan  # loaded already: the spec names the kind

            out.append(ipvlan.flag_pattern(value))
            continue
        if meta.kernel is None:
            continue
        raw = meta.codec.kernel_json(value)
        out.append(json.dumps({meta.kernel: raw}, separators=(",", ":"))[1:-1])
    return out


def master_pattern(master: Link) -> str:
    return "\"master\":" + json.dumps(master.name, ensure_ascii=False)

