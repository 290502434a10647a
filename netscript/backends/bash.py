"""The bash backend: a plan -> an idempotent script of ip/bridge/teamd commands.

Python decides *what* each step runs (commands as word lists from
:mod:`.ipcmd`, quoted here) and *when* (the step's guard: what `ip -j` shows
once it is done, from :mod:`.guards`); the Jinja templates in ``templates/``
decide how the script reads. The plain script and the ``--batch`` one render
the same steps with the same guards: the plain one reads the kernel afresh
for each test and runs each command at once, the batch one tests its one state
read per namespace and queues `ip` commands for `ip -batch`.

Every value is validated before it gets here and quoted on the way out, so a
name such as ``a;b`` or ``$(x)`` is created as that name and never executed.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..diagnostics import Span
from ..ir.index import Index, Key
from ..ir.model import AdminState, Link, LinkKind
from ..plan import (
    AddAddress,
    AddNetns,
    ConfigureLate,
    ConfigureLink,
    ConfigurePort,
    CreateLink,
    DeleteLink,
    DeleteNetns,
    Enslave,
    Operation,
    Plan,
    RequireLink,
    RequireNetns,
    SetState,
)
from . import guards, ipcmd, templates

_PLAIN = re.compile(r"[A-Za-z0-9_@%+=:,./-]+")


def q(word: str) -> str:
    """Quote one word for bash; plain words stay plain so scripts stay readable.

    Single quotes as a rule; double quotes with escapes for words holding `$`
    or a backquote, which shellcheck would otherwise flag (SC2016) as an
    expansion the author may have meant.
    """
    word = str(word)
    if _PLAIN.fullmatch(word):
        return word
    if "$" not in word and "`" not in word:
        return shlex.quote(word)
    return '"' + re.sub(r'([\\$"`])', r"\\\1", word) + '"'


def sh(words: Iterable[str]) -> str:
    return " ".join(q(w) for w in words)


# the filters the templates use: `{{ name | q }}`, `{{ words | sh }}`
FILTERS = {"q": q, "sh": sh}


def add_netns(netns: str, loopback: AdminState) -> str:
    """What adds a namespace the spec declares: `ip netns add`, then lo up unless the spec keeps it
    down (only when the namespace is new, so a namespace that exists is left as it is)."""
    commands = ipcmd.add_netns(netns, loopback)
    if len(commands) == 1:
        return sh(commands[0])
    return "{ " + " && ".join(sh(c) for c in commands) + "; }"


def where(span: Span | None) -> str:
    """`` (path:line:col)`` for a message about what was written there, or nothing."""
    return f" ({span})" if span else ""


def delete_lines(link: Link) -> list[str]:
    """The delete commands, each falling back to removing a device its daemon left behind."""
    fallback = ipcmd.orphan_delete(link)
    if fallback is None:
        return [sh(c) for c in ipcmd.delete(link)]
    return [f"{sh(c)} 2>/dev/null || {sh(fallback)}" for c in ipcmd.delete(link)]


if TYPE_CHECKING:
    from ..ir.routing import Neighbour, Sysctl
    from .script_routing import RouteShape


# -- tests: the guards as shell --------------------------------------------------------------


def _member(m: guards.Member) -> str:
    if isinstance(m, guards.Owner):
        return f'"$(owner_json {m.field} {q(m.value)})"'
    return q(m)


def has(netns: str | None, name: str, expects: list[guards.Expect]) -> str:
    """``link_has NS NAME MEMBER...``: true when every expectation holds."""
    return " ".join([f"link_has {q(netns or '')} {q(name)}", *(_member(m) for m in guards.members(expects))])


def exists(netns: str | None, name: str) -> str:
    return f"link_exists {q(netns or '')} {q(name)}"


def is_up(netns: str | None, name: str) -> str:
    return f"is_up {q(netns or '')} {q(name)}"


def has_address(netns: str | None, name: str, cidr: str) -> str:
    return f"addr_has {q(netns or '')} {q(name)} {q(guards.address_member(cidr))}"


def _address_ip(netns: str | None, name: str, cidr: str) -> str:
    return f"{q(netns or '')} {q(name)} {q(guards.ip_text(cidr.split('/')[0]))}"


def held_elsewhere(netns: str | None, name: str, cidr: str) -> str:
    """``held_elsewhere NS NAME IP``: another link of the namespace holds the address's IP
    (with any prefix length), as apply's move sees it."""
    return f"held_elsewhere {_address_ip(netns, name, cidr)}"


def move_address(netns: str | None, name: str, cidr: str) -> str:
    """``addr_move NS NAME IP``: take the IP off every other link of the namespace that holds it."""
    return f"addr_move {_address_ip(netns, name, cidr)}"


def has_route(netns: str | None, shape: RouteShape) -> str:
    """``route_has NS 4|6 START MEMBER... [-- NEXTHOP-MEMBER...]...``: the route is there as the spec says."""
    words = [*shape.members]
    for nexthop in shape.nexthops:
        words += ["--", *nexthop]
    return " ".join([f"route_has {q(netns or '')} {shape.family} {q(shape.start)}", *(q(w) for w in words)])


def has_rule(netns: str | None, family: int, members: tuple[str, ...]) -> str:
    return " ".join([f"rule_has {q(netns or '')} {family}", *(q(m) for m in members)])


def has_neighbour(neighbour: Neighbour) -> str:
    """``neigh_has NS DEV ADDRESS MEMBER...``: the permanent entry is there as the spec says."""
    from . import script_routing as routing

    members = routing.neighbour(neighbour)
    return " ".join([f"neigh_has {q(neighbour.netns or '')} {q(neighbour.dev)} {q(guards.ip_text(neighbour.address))}",
                     *(q(m) for m in members)])


def sysctl_is(sysctl: Sysctl) -> str:
    return f"sysctl_is {q(sysctl.netns or '')} {q(sysctl.proc_path)} {q(sysctl.value)}"


# -- actions: one command, as each form of the script runs it ------------------------------


def ip_words(words: list[str]) -> tuple[str, str, str]:
    """Split `ip [-n NS] [-6] REST...` into (NS, -6 or '', the `ip -batch` line)."""
    assert words[0] == "ip"
    ns, rest = (words[2], words[3:]) if words[1] == "-n" else ("", words[1:])
    family = rest.pop(0) if rest[0] == "-6" else ""
    return ns, family, " ".join(rest)


@dataclass
class Branch:
    """``if WHEN; then`` these lines (plain script / batch script); WHEN None: always."""

    when: str | None
    plain: list[str] = field(default_factory=list)
    batch: list[str] = field(default_factory=list)
    queued: bool = True  # batch: commands may be queued (before this branch, or in it) and not sent yet

    def run(self, words: ipcmd.Words) -> Branch:
        """A command: run now (plain); `ip` ones queued for `ip -batch`, others run after what is queued (batch)."""
        self.plain.append(sh(words))
        if words[0] == "ip" and words[1] != "netns":
            ns, family, line = ip_words(words)
            self.batch.append(" ".join(["queue", *([family] if family else []), q(ns), q(line)]))
            self.queued = True
        else:
            self._flush_then(sh(words))
        return self

    def shell(self, line: str) -> Branch:
        """A shell line that acts on the kernel now, in both forms (after what is queued)."""
        self.plain.append(line)
        self._flush_then(line)
        return self

    def say(self, line: str) -> Branch:
        """A line that does not touch the kernel (fail, note)."""
        self.plain.append(line)
        self.batch.append(line)
        return self

    def forget(self, dependents: tuple[list[Key], list[Key]]) -> Branch:
        """Batch: what the state read says about these links is no longer true: (gone: made
        again, released: their master is made again, so they are ports of nothing)."""
        gone, released = dependents
        for word, keys in (("forget", gone), ("release", released)):
            by_ns: dict[str, list[str]] = {}
            for ns, name in keys:
                by_ns.setdefault(ns or "", []).append(name)
            for ns, names in by_ns.items():
                self.batch.append(" ".join([word, q(ns), *(q(n) for n in names)]))
        return self

    def forget_addresses(self, netns: str | None, name: str) -> Branch:
        self.batch.append(f"forget_addresses {q(netns or '')} {q(name)}")
        return self

    def _flush_then(self, line: str) -> None:
        if self.queued:
            self.batch.append("flush")
            self.queued = False
        self.batch.append(line)


# -- steps -----------------------------------------------------------------------------------

# Steps that are one guarded command each, grouped under a heading.
SIMPLE: dict[type[Operation], str] = {
    ConfigureLink: "settings",
    ConfigurePort: "port settings",
    ConfigureLate: "settings that name ports",
    AddAddress: "addresses",
    SetState: "admin state",
}


def routing_headings() -> dict[type, str]:
    """The headings of the steps for routes, rules, sysctls and neighbours (each one guarded command)."""
    from ..routing import plan as rp

    return {
        rp.SetSysctl: "sysctls",
        rp.AddRoute: "routes",
        rp.AddRule: "policy rules",
        rp.AddNeighbour: "static neighbours",
        rp.DeleteNeighbour: "static neighbours",
        rp.DeleteRule: "policy rules",
        rp.DeleteRoute: "routes",
        rp.RestoreSysctl: "sysctls: the values they had before the spec set them",
    }


class _Steps:
    """Turns a plan's steps into what the templates lay out: a comment, then guarded branches."""

    def __init__(self, plan: Plan, *, no_disrupt: bool = False):
        self.plan = plan
        self.index = Index.build(plan.program)
        self.no_disrupt = no_disrupt

    def step(self, step: Operation) -> dict[str, Any]:
        d: dict[str, Any] = {
            "require_netns": isinstance(step, RequireNetns),
            "comment": None,
            "done": None,
            "unless": None,
            "branches": [],
            "read_routing": None,  # batch: the namespaces whose routes and rules are read before this step
            "read_neighbours": None,  # batch: the namespaces whose permanent neighbours are read before it
            "before": [],  # lines run before the step's test, the same in both forms
        }
        match step:
            case AddNetns(netns=netns, loopback=loopback):
                d["comment"] = f"namespace {netns}"
                d["branches"] = [Branch(None).say(f"netns_exists {q(netns)} || {add_netns(netns, loopback)}")]
            case RequireNetns(netns=netns):
                message = f"namespace {netns} does not exist; create it first (ip netns add {netns})"
                d["comment"] = f"namespace {netns}, which the spec builds in but does not own"
                d["branches"] = [Branch(None).say(f"netns_exists {q(netns)} || fail {q(message)}")]
            case DeleteNetns(netns=netns):
                d["comment"] = f"namespace {netns}"
                d["branches"] = [Branch(f"netns_exists {q(netns)}").say(f"ip netns delete {q(netns)}")]
            case RequireLink(link=link):
                message = f"{link.name} does not exist; the spec uses it as an existing interface{where(link.span)}"
                d["comment"] = f"existing interface {link.name}{where(link.span)}"
                d["done"] = exists(link.netns, link.name)
                d["branches"] = [Branch(f"! {d['done']}").say(f"fail {q(message)}")]
            case CreateLink(link=link):
                d["comment"] = f"{link.kind.value} {link.name}{where(link.span)}"
                d["unless"], d["branches"] = self.create(step)
            case DeleteLink(link=link):
                d["comment"] = f"{link.kind.value} {link.name}{where(link.span)}"
                branch = Branch(exists(link.netns, link.name))
                for line in delete_lines(link):
                    branch.shell(line)
                d["branches"] = [branch]
            case Enslave(port=port, master=master):
                d["comment"] = f"{port.name} into {master.kind.value} {master.name}" + (
                    f" ({port.span})" if port.span else ""
                )
                d["branches"] = [self.enslave(step)]
            case ConfigureLink(link=link):
                command = ipcmd.configure(link)
                assert command is not None, "plan makes a ConfigureLink only for a link with settings to converge"
                self.simple(d, link.netns, link.name, guards.settings(link), command)
            case ConfigureLate(link=link):
                self.simple(d, link.netns, link.name, guards.late(link), ipcmd.configure_late(link))
            case ConfigurePort(port=port, master=master):
                expects = guards.port_settings(port, master)
                self.simple(d, master.netns, port.name, expects, ipcmd.configure_port(port, master))
            case AddAddress(link=link, address=address):
                # no two links of a namespace hold one IP: apply moves it, and so does the script
                d["before"] = [move_address(link.netns, link.name, address.cidr)]
                d["done"] = has_address(link.netns, link.name, address.cidr)
                d["branches"] = [Branch(f"! {d['done']}").run(ipcmd.add_address(link, address.cidr))]
            case SetState(link=link, state=state):
                up = state is AdminState.UP
                d["done"] = is_up(link.netns, link.name) if up else f"! {is_up(link.netns, link.name)}"
                branch = Branch(f"! {is_up(link.netns, link.name)}" if up else is_up(link.netns, link.name))
                branch.run(ipcmd.set_state(link, state))
                if not up:
                    branch.forget_addresses(link.netns, link.name)  # the kernel drops IPv6 ones
                d["branches"] = [branch]
            case _:
                self.routing_step(d, step)
        return d

    def routing_step(self, d: dict[str, Any], step: Operation) -> None:
        """A step for a route, rule, sysctl or neighbour (a program without them never gets here)."""
        from ..routing import plan as rp
        from . import script_routing as routing

        match step:
            case rp.SetSysctl(sysctl=sysctl):
                d["done"] = sysctl_is(sysctl)
                set_it = f"sysctl_set {q(sysctl.netns or '')} {q(sysctl.proc_path)} {q(sysctl.value)}"
                d["branches"] = [Branch(f"! {d['done']}").shell(set_it)]
            case rp.RestoreSysctl(sysctl=sysctl):
                d["branches"] = [Branch(None).shell(f"sysctl_restore {q(sysctl.netns or '')} {q(sysctl.proc_path)}")]
            case rp.AddRoute(route=route, table=table):
                d["done"] = has_route(route.netns, routing.route(route, table))
                d["branches"] = [Branch(f"! {d['done']}").run(routing.replace_route(route, table))]
            case rp.DeleteRoute(route=route, table=table):
                # only the route the spec made: the protocol it was given is compared too
                there = has_route(route.netns, routing.route(route, table, protocol=routing.sent_route(route, table).protocol))
                d["branches"] = [Branch(there).run(routing.delete_route(route, table))]
            case rp.AddRule(rule=rule, table=table):
                d["done"] = has_rule(rule.netns, rule.family, routing.rule(rule, table))
                d["branches"] = [Branch(f"! {d['done']}").run(routing.add_rule(rule, table))]
            case rp.AddNeighbour(neighbour=neighbour):
                d["done"] = has_neighbour(neighbour)
                d["branches"] = [Branch(f"! {d['done']}").run(routing.replace_neighbour(neighbour))]
            case rp.DeleteNeighbour(neighbour=neighbour):
                # only the entry the spec made: another MAC for the address is someone else's
                d["branches"] = [Branch(has_neighbour(neighbour)).run(routing.delete_neighbour(neighbour))]
            case rp.DeleteRule(rule=rule, table=table):
                there = has_rule(rule.netns, rule.family, routing.rule(rule, table))
                d["branches"] = [Branch(there).run(routing.delete_rule(rule, table))]
            case _:
                raise AssertionError(f"no script for {type(step).__name__}")

    def simple(
        self, d: dict[str, Any], netns: str | None, name: str, expects: list[guards.Expect], command: ipcmd.Words
    ) -> None:
        if guards.testable(expects):
            d["done"] = has(netns, name, expects)
            d["branches"] = [Branch(f"! {d['done']}").run(command)]
        else:
            d["branches"] = [Branch(None).run(command)]  # no test for it: always sent, it is idempotent

    # -- creating --------------------------------------------------------------------------

    def dependents(self, link: Link) -> tuple[list[Key], list[Key]]:
        """What deleting ``link`` does to other links, as (netns, name) lists: (gone: it, its veth
        peer and the links stacked on either, on and on; released: the ports of those, which stay)."""
        gone: list[Key] = []
        todo = [link] + ([link.peer] if link.peer is not None else [])
        while todo:
            current = todo.pop()
            if current.key in gone:
                continue
            gone.append(current.key)
            for other in self.plan.program.all_links():
                if self.index.parent_key(other) == current.key:
                    todo += [other] + ([other.peer] if other.peer is not None else [])
        released: list[Key] = []
        for key in gone:
            master = self.index.get(*key)
            for port in master.ports if master is not None else ():
                if (key[0], port.name) not in gone and (key[0], port.name) not in released:
                    released.append((key[0], port.name))
        return gone, released

    def created_as(self, link: Link) -> list[guards.Expect]:
        peer = link.peer.name if link.kind is LinkKind.VETH and link.peer is not None else None
        return guards.created_as(link, self.index.parent_key(link), peer)

    def create(self, step: CreateLink) -> tuple[str, list[Branch]]:
        """(the test that the link is there as the spec says, what to do when it is not).

        The first test is all a second run makes: one read of the link.
        """
        link = step.link
        ns, name = link.netns, link.name
        kind = [guards.Expect("kind", link.kind, tuple(ipcmd.kind_patterns(link)))]
        create = ipcmd.create(link, step.parent_netns)
        if link.kind is LinkKind.VETH:
            return self.create_veth(link, kind, create)
        not_kind = f"{name} exists but is not of kind {link.kind.value}; remove or rename it"
        branches = [Branch(f"! {exists(ns, name)}"), Branch(f"! {has(ns, name, kind)}").say(f"fail {q(not_kind)}")]
        for words in create:
            branches[0].run(words)
        if link.kind is LinkKind.TEAM:
            runs = f"[[ $({sh(ipcmd.team_runner_query(link))} 2>/dev/null) == {q(ipcmd.team_runner(link))} ]]"
            done = f"{{ {has(ns, name, kind)} && {runs}; }}"
            why = f"re-creating team {name}: no teamd answers for it, or it runs another runner"
        else:
            created = self.created_as(link)
            done = has(ns, name, kind + created)
            why = f"re-creating {name}: a setting it only takes at creation differs from the spec"
            if not guards.members(created):
                return done, branches
        again = Branch(None).say(f"note {q(why)}").forget(self.dependents(link))
        for line in delete_lines(link):
            again.shell(line)
        for words in create:
            again.run(words)
        return done, [*branches, again]

    def create_veth(self, link: Link, kind: list[guards.Expect], create: list[ipcmd.Words]) -> tuple[str, list[Branch]]:
        peer = ipcmd.veth_peer(link)
        a, b = (link.netns, link.name), (peer.netns, peer.name)
        peer_kind = [guards.Expect("kind", link.kind, tuple(ipcmd.kind_patterns(peer)))]
        done = f"{{ {has(a[0], a[1], kind + self.created_as(link))} && {has(b[0], b[1], peer_kind)}; }}"
        fresh = Branch(f"! {exists(*a)} && ! {exists(*b)}")
        for words in create:
            fresh.run(words)
        branches = [fresh]
        for (ns, name), test in ((a, kind), (b, peer_kind)):
            message = f"{name} exists but is not of kind veth; remove or rename it"
            branches.append(Branch(f"{exists(ns, name)} && ! {has(ns, name, test)}").say(f"fail {q(message)}"))
        for ns, name in (a, b):  # a veth standing in for a physical link: making it again deletes that one
            for other in self.plan.program.all_links():
                if other.kind is LinkKind.PHYSICAL and other.netns == ns and other.name not in (link.name, peer.name):
                    paired = has(ns, name, [guards.Expect("peer", other.name, (guards.member("link", other.name),))])
                    message = (
                        f"{name} cannot be made again: its veth peer {other.name} goes with it, "
                        "and the spec declares that one physical"
                    )
                    branches.append(Branch(paired).say(f"fail {q(message)}"))
        why = f"re-creating veth {link.name} and its peer {peer.name}: they are not a pair as the spec says"
        again = Branch(None).say(f"note {q(why)}").forget(self.dependents(link))
        for ns, name in (a, b):
            again.shell(f"delete_link {q(ns or '')} {q(name)}")
        for words in create:
            again.run(words)
        return done, [*branches, again]

    def enslave(self, step: Enslave) -> Branch:
        port, master = step.port, step.master
        ns = master.netns
        branch = Branch(f"! {has(ns, port.name, [guards.master(port.name, master)])}")
        if step.down_first:
            branch.run(ipcmd.set_down(ns, port.name))
            branch.forget_addresses(ns, port.name)
        stage = ipcmd.stage_team_port(port, master)
        if stage:
            branch.run(stage)
        branch.run(ipcmd.enslave(port.name, master))
        return branch

    # -- --no-disrupt -----------------------------------------------------------------------

    def refusals(self) -> list[dict[str, str]]:
        """What `apply --no-disrupt` refuses, as run-time tests made before anything changes:
        re-creating a link, changing an existing link's MAC, enslaving or taking down an existing link,
        taking an address off a link to move it to another."""
        out = []
        for step in self.plan.steps:
            match step:
                case CreateLink(link=link) if link.kind is LinkKind.VETH:
                    peer = ipcmd.veth_peer(link)
                    a, b = (link.netns, link.name), (peer.netns, peer.name)
                    when = (
                        f"{{ {exists(*a)} || {exists(*b)}; }} && "
                        f"! {{ {exists(*b)} && {has(a[0], a[1], self.created_as(link))}; }}"
                    )
                    what = f"veth {link.name} and its peer {peer.name} would be made again (they are not a pair as the spec says)"
                    span = link.span
                case CreateLink(link=link) if link.kind is LinkKind.TEAM:
                    done, _ = self.create(step)
                    when = f"{exists(link.netns, link.name)} && ! {done}"
                    what = f"team {link.name} would be made again (no teamd answers for it, or it runs another runner)"
                    span = link.span
                case CreateLink(link=link):
                    created = self.created_as(link)
                    if not guards.members(created):
                        continue
                    when = f"{exists(link.netns, link.name)} && ! {has(link.netns, link.name, created)}"
                    what = f"{link.name} would be made again (a setting it only takes at creation differs from the spec)"
                    span = link.span
                case ConfigureLink(link=link) if link.mac is not None:
                    mac = [e for e in guards.common(link) if e.attribute == "mac"]
                    when = f"{exists(link.netns, link.name)} && ! {has(link.netns, link.name, mac)}"
                    what = f"the MAC address of {link.name} would change"
                    span = link.span
                case Enslave(port=port, master=master):
                    ns, name = master.netns, port.name
                    when = f"{exists(ns, name)} && ! {has(ns, name, [guards.master(name, master)])}"
                    what = f"{name} would be enslaved to {master.name}"
                    span = step.port_declared
                case SetState(link=link, state=AdminState.DOWN):
                    when = is_up(link.netns, link.name)
                    what = f"{link.name} would be taken down"
                    span = link.span
                case AddAddress(link=link, address=address):
                    when = held_elsewhere(link.netns, link.name, address.cidr)
                    what = f"{address.cidr.split('/')[0]} would be taken off another link, to move it to {link.name}"
                    span = address.span or link.span
                case _:
                    continue
            message = f"{what}{where(span)}: that disrupts traffic (--no-disrupt)"
            out.append({"when": when, "message": message})
        return out


@dataclass
class Context:
    """What the templates get: the plan's steps, prepared."""

    source: str
    version: str
    steps: list[dict]
    refusals: list[dict] = field(default_factory=list)
    owners: bool = False  # a tun/tap owner is tested: the script needs owner_json
    namespaces_required: list[str] = field(default_factory=list)
    namespaces_made: list[tuple[str, str]] = field(default_factory=list)  # (name, what adds it)
    state_namespaces: list[str] = field(default_factory=list)
    address_namespaces: list[str] = field(default_factory=list)  # where the spec adds addresses
    routing: bool = False  # the spec has routes or rules: the script needs route_has and rule_has
    sysctls: bool = False  # and sysctls: sysctl_is, sysctl_set, sysctl_restore
    neighbours: bool = False  # and static neighbours: neigh_has


def _steps(steps: list[Operation], builder: _Steps) -> list[dict[str, Any]]:
    out = []
    previous: type[Operation] | None = None
    program = builder.plan.program
    routing = program.has_routing
    headings: dict[type, str] = {**SIMPLE, **routing_headings()} if routing else dict(SIMPLE)
    for step in steps:
        d = builder.step(step)
        d["heading"] = headings.get(type(step)) if type(step) is not previous else None
        d["simple"] = type(step) in headings
        if d["simple"]:
            d["comment"] = None
        out.append(d)
        previous = type(step)
    return out


def _context(plan: Plan, source: str, *, no_disrupt: bool, netns_steps: bool) -> Context:
    builder = _Steps(plan, no_disrupt=no_disrupt)
    steps = [s for s in plan.steps if netns_steps or not isinstance(s, (AddNetns, RequireNetns))]
    ctx = Context(source=source, version=__version__, steps=_steps(steps, builder))
    if no_disrupt:
        ctx.refusals = builder.refusals()
    ctx.owners = any(
        link.kind in (LinkKind.TAP, LinkKind.TUN) and any(getattr(link.options, k, None) for k in ("user", "group"))
        for link in plan.program.all_links()
    )
    ctx.namespaces_required = [s.netns for s in plan.steps if isinstance(s, RequireNetns)]
    ctx.namespaces_made = [(s.netns, add_netns(s.netns, s.loopback)) for s in plan.steps if isinstance(s, AddNetns)]
    program = plan.program
    ctx.routing = bool(program.routes or program.rules)
    ctx.sysctls = bool(program.sysctls)
    ctx.neighbours = bool(program.neighbours)
    if not program.has_routing:
        return _state_namespaces(ctx, program)
    from ..routing import plan as rp

    # batch: permanent neighbours are read once per namespace, once what is queued has been sent
    first_neighbour = next((d for s, d in zip(steps, ctx.steps, strict=True) if isinstance(s, rp.AddNeighbour)), None)
    if first_neighbour is not None:
        first_neighbour["read_neighbours"] = list(dict.fromkeys(n.netns or "" for n in program.neighbours))
    # batch: routes and rules are read once per namespace just before the first of them is
    # tested, once what is queued has been sent (a link made again or taken down loses its routes)
    first = next((d for s, d in zip(steps, ctx.steps, strict=True) if isinstance(s, (rp.AddRoute, rp.AddRule))), None)
    if first is not None:
        pairs = [(r.netns or "", r.family) for r in program.routes] + [(r.netns or "", r.family) for r in program.rules]
        families: dict[str, set[int]] = {}
        for ns, family in pairs:
            families.setdefault(ns, set()).add(family)
        first["read_routing"] = [(ns, " ".join(str(f) for f in sorted(fs))) for ns, fs in families.items()]
    return _state_namespaces(ctx, program)


def _state_namespaces(ctx: Context, program) -> Context:
    """The namespaces the batch script reads links (and addresses) of."""
    for link in program.all_links():
        if (link.netns or "") not in ctx.state_namespaces:
            ctx.state_namespaces.append(link.netns or "")
        if link.addresses and (link.netns or "") not in ctx.address_namespaces:
            ctx.address_namespaces.append(link.netns or "")
    return ctx


def render(plan: Plan, *, source: str, teardown: bool = False, no_disrupt: bool = False) -> str:
    """The script for a plan (or for a teardown plan); ``no_disrupt``: it refuses, before any
    change, what would disrupt traffic (as `apply --no-disrupt` does)."""
    ctx = _context(plan, source, no_disrupt=no_disrupt and not teardown, netns_steps=True)
    template = "teardown.sh.j2" if teardown else "script.sh.j2"
    return templates.render(template, FILTERS, ctx=ctx)


def render_batch(plan: Plan, *, source: str, no_disrupt: bool = False) -> str:
    """The large-topology form: one state read, then `ip -batch` per run of lines in one namespace."""
    ctx = _context(plan, source, no_disrupt=no_disrupt, netns_steps=False)
    return templates.render("batch.sh.j2", FILTERS, ctx=ctx)
