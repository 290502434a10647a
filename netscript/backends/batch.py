"""The `--batch` form of the bash backend, for topologies of thousands of links.

The plain script asks the kernel about each link before acting on it: clear,
but two or three `ip` processes per link. The batch script reads each
namespace's links once (`ip -o link show`: names, UP flag, master), decides in
bash what is missing, and sends the missing operations to one `ip -batch` per
namespace. A re-run finds nothing missing and sends (almost) nothing.

It trusts names and masters from that one read; it does not re-check each
link's kind or create-time settings as the plain script does.
"""

from __future__ import annotations

import re

from ..codes import diag
from ..ir.model import AdminState, LinkKind, Program
from ..plan import Op, Plan
from . import ipcmd

# `ip -batch` splits lines on white space and reads quotes and '#' itself; the
# state read splits `name@peer`. Names with these characters need the plain script.
_BATCH_UNSAFE = re.compile(r"""[\s"'#\\@]""")


def unsafe_for_batch(program: Program):
    out = []
    for link in program.all_links():
        for text, span in [(link.name, link.span), (link.netns or "", link.span)] + [(p.name, p.span) for p in link.ports]:
            if _BATCH_UNSAFE.search(text):
                out.append(
                    diag(
                        "NS301",
                        f"{text!r} cannot go through `ip -batch` (white space, quotes, '#', '\\\\' or '@')",
                        span,
                        hint="render without --batch",
                    )
                )
    return out


def _ip_words(words: list[str]) -> tuple[str, str]:
    """Split `ip [-n NS] REST...` into (NS, batch line)."""
    assert words[0] == "ip"
    if words[1] == "-n":
        return words[2], " ".join(words[3:])
    return "", " ".join(words[1:])


class _Builder:
    def __init__(self):
        self.groups: list[dict] = []

    def _batch(self, netns: str) -> dict:
        if self.groups and self.groups[-1]["type"] == "batch" and self.groups[-1]["netns"] == netns:
            return self.groups[-1]
        group = {"type": "batch", "netns": netns, "entries": []}
        self.groups.append(group)
        return group

    def ip(self, words, guard=None, comment=None):
        ns, line = _ip_words(words)
        self._batch(ns)["entries"].append({"guard": guard, "lines": [line], "comment": comment})

    def ip_many(self, many, guard=None, comment=None):
        ns, _ = _ip_words(many[0])
        lines = [_ip_words(w)[1] for w in many]
        self._batch(ns)["entries"].append({"guard": guard, "lines": lines, "comment": comment})

    def shell(self, commands, guard=None, comment=None):
        self.groups.append({"type": "shell", "guard": guard, "commands": commands, "comment": comment})


def batch_context(plan: Plan, *, source: str, version: str) -> dict:
    from .bash import sh

    b = _Builder()
    namespaces_made = [s.netns for s in plan.steps if s.op is Op.ADD_NETNS]
    seen_ns: list[str] = []
    required = [s.netns for s in plan.steps if s.op is Op.REQUIRE_NETNS]
    for link in plan.program.all_links():
        ns = link.netns or ""
        if ns not in seen_ns:
            seen_ns.append(ns)

    for step in plan.steps:
        link = step.link
        ns = step.netns or ""
        if step.op in (Op.ADD_NETNS, Op.REQUIRE_NETNS):
            continue  # the template does these before reading any state
        if step.op is Op.REQUIRE_LINK:
            b.shell([f"fail {sh([link.name + ' does not exist; the spec uses it as an existing interface'])}"],
                    guard=f"missing {sh([ns, link.name])}")
        elif step.op is Op.CREATE_LINK:
            guard = f"missing {sh([ns, link.name])}"
            if link.kind is LinkKind.VETH:
                guard += f" || missing {sh([link.peer.netns or '', link.peer.name])}"
            commands = ipcmd.create(link, step.parent_netns)
            if commands[0][0] == "ip":
                b.ip_many(commands, guard=guard)
            else:
                b.shell([sh(c) for c in commands], guard=guard)
        elif step.op in (Op.CONFIGURE_LINK, Op.CONFIGURE_LATE):
            words = ipcmd.configure(link) if step.op is Op.CONFIGURE_LINK else ipcmd.configure_late(link)
            b.ip(words)
        elif step.op is Op.ENSLAVE:
            guard = f"! master_is {sh([ns, step.port.name, step.master.name])}"
            command = ipcmd.enslave(step.port.name, step.master)
            if step.master.kind is LinkKind.TEAM:
                stage = ipcmd.stage_team_port(step.port, step.master)
                b.shell([sh(ipcmd.set_down(step.netns, step.port.name)), *([sh(stage)] if stage else []), sh(command)],
                        guard=guard)
            elif step.down_first:
                b.ip_many([ipcmd.set_down(step.netns, step.port.name), command], guard=guard)
            else:
                b.ip(command, guard=guard)
        elif step.op is Op.CONFIGURE_PORT:
            command = ipcmd.configure_port(step.port, step.master)
            if command[0] == "ip":
                b.ip(command)
            else:
                b.shell([sh(command)])
        elif step.op is Op.ADD_ADDRESS:
            b.ip(ipcmd.add_address(link, step.address.cidr))
        elif step.op is Op.SET_STATE:
            up = step.state is AdminState.UP
            guard = f"{'! ' if up else ''}is_up {sh([ns, link.name])}"
            b.ip(ipcmd.set_state(link, step.state), guard=guard)

    return {
        "source": source,
        "version": version,
        "namespaces_made": namespaces_made,
        "namespaces_required": required,
        "state_namespaces": seen_ns,
        "groups": b.groups,
    }
