"""Routes, policy rules, static neighbours and sysctls in a live plan: diffed, carried out with their undo, guarded.

:class:`RoutingItems` evaluates the planner's routing operations
(:mod:`netscript.routing.plan`) where the planner puts them, among the link
operations (:mod:`.diff`): a namespace's own sysctls first, a link's once the
link exists and before its addresses, and neighbours, routes and rules last,
once their devices are up and have their addresses (the kernel checks a
gateway against them).

What is compared is what the spec says, as the bash backend compares it: a
route by the kernel's identity (table, destination, metric), then its type,
gateways, devices (when the spec names them), weights, onlink, source,
scope, MTU, and its protocol only when the spec states one; a rule by all of
its selectors, its priority (when stated) and its table or action; a sysctl
by its value; a neighbour entry by its link and address, then its MAC.

``--prune`` removes the routes and rules the spec does not state, never a
route that the kernel, DHCP, router advertisements or a redirect made, nor
one in the local table, nor the kernel's three default rules; and the
permanent neighbour entries the spec does not state, never a learnt one. Leaving a
namespace without the default route it had disrupts traffic, and is marked so.

Every change is journalled with its undo. The kernel also drops routes by
itself (an interface's last address removed, an interface down or deleted),
which no undo of ours puts back, so the first entry of the journal, run last
when rolling back, puts back every route the namespace had before the apply
and no longer has (:func:`journal_route_restore`).
"""

from __future__ import annotations

import dataclasses
import errno

from ...frontends.kernel import routes as live_routes
from ...frontends.kernel import snapshot
from ...ir.routing import (
    FOREIGN_PROTOCOLS,
    MAIN_TABLE,
    PROTOCOLS,
    Neighbour,
    Route,
    RouteType,
    Rule,
    RuleAction,
    Sysctl,
)
from ...netlink import routes as wire_routes
from ...netlink import sysctl as proc_sysctl
from ...routing.plan import AddNeighbour, AddRoute, AddRule, RoutingOperation, SetSysctl
from ...routing.tables import table_number
from ...routing.words import neigh_words, route_words, rule_words
from .. import ipcmd
from .kernel import Kernel, KernelError
from .settings import LinkSettings
from .steps import Action, Difference, Step

# Routes a rollback leaves to their makers: the kernel's come back with their addresses, and
# RA's and redirects' are learnt again. DHCP's are put back: the client adds them once.
NOT_RESTORED = FOREIGN_PROTOCOLS - {PROTOCOLS["dhcp"]}


# -- comparing -------------------------------------------------------------------


def route_key(route: Route) -> tuple:
    """What the kernel tells routes apart by (Route.identity, with the kernel's metric for none)."""
    metric = route.metric if route.metric is not None else wire_routes.kernel_metric(route.family)
    return (route.netns, route.family, route.table, route.dst, metric)


def _scope(route: Route) -> int:
    if route.family == 6:
        return 0  # IPv6 routes have no scope
    return route.scope if route.scope is not None else wire_routes.kernel_scope(route)


def _hops(spec: Route, live: Route) -> tuple[tuple, tuple]:
    """The nexthops as compared: (gateway, device, weight, onlink), the device only where the spec names it."""

    def hop(nh, dev_stated):
        return (nh.via, nh.dev if dev_stated else None, nh.weight or 1, nh.onlink)

    stated = [nh.dev is not None for nh in spec.nexthops]
    wanted = tuple(hop(nh, s) for nh, s in zip(spec.nexthops, stated, strict=True))
    actual = tuple(hop(nh, stated[i] if i < len(stated) else True) for i, nh in enumerate(live.nexthops))
    return wanted, actual


def route_differences(spec: Route, live: Route) -> list[Difference]:
    """Each attribute of the route ``live`` (same identity as ``spec``) that is not as the spec says."""
    where = f"route {spec.dst}"
    out = []

    def differs(attribute, wanted, actual):
        if wanted != actual:
            out.append(Difference(spec.netns, where, attribute, wanted, actual))

    differs("type", spec.type, live.type)
    wanted, actual = _hops(spec, live)
    if len(wanted) != 1 or len(actual) != 1:
        differs("nexthops", tuple(_hop_text(h) for h in wanted), tuple(_hop_text(h) for h in actual))
    else:
        (w_via, w_dev, _, w_onlink), (a_via, a_dev, _, a_onlink) = wanted[0], actual[0]
        differs("via", w_via, a_via)
        if w_dev is not None:
            differs("dev", w_dev, a_dev)
        differs("onlink", w_onlink, a_onlink)
    differs("src", spec.src, live.src)
    differs("scope", _scope(spec), _scope(live))
    differs("mtu", spec.mtu, live.mtu)
    if spec.protocol is not None:
        differs("proto", spec.protocol, live.protocol)
    return out


def _hop_text(hop: tuple) -> str:
    via, dev, weight, onlink = hop
    words = [w for w in (f"via {via}" if via else "", f"dev {dev}" if dev else "", f"weight {weight}",
                         "onlink" if onlink else "") if w]  # fmt: skip
    return " ".join(words)


def rule_matches(spec: Rule, live: Rule) -> bool:
    """Whether the live rule is the one the spec states (any priority, when it states none)."""
    if spec.priority is not None and spec.priority != live.priority:
        return False
    mask = lambda r: r.fwmask if r.fwmask is not None or r.fwmark is None else wire_routes.FULL_MASK
    lookup = spec.action is RuleAction.LOOKUP
    return (
        (spec.netns, spec.family, spec.src, spec.dst, spec.iif, spec.oif, spec.fwmark, mask(spec), spec.action)
        == (live.netns, live.family, live.src, live.dst, live.iif, live.oif, live.fwmark, mask(live), live.action)
    ) and (not lookup or spec.table == live.table)


# -- the words of each step ------------------------------------------------------


def _family(item) -> list[str]:
    return ["-6"] if item.family == 6 else []


def route_commands(route: Route, verb: str) -> tuple[tuple[str, ...], ...]:
    return (tuple(ipcmd.ip(route.netns, *_family(route), "route", verb, *route_words(route))),)


def rule_commands(rule: Rule, verb: str) -> tuple[tuple[str, ...], ...]:
    return (tuple(ipcmd.ip(rule.netns, *_family(rule), "rule", verb, *rule_words(rule))),)


def sysctl_commands(sysctl: Sysctl) -> tuple[tuple[str, ...], ...]:
    return (tuple(ipcmd.in_netns(sysctl.netns, "sysctl", "-w", f"{sysctl.key}={sysctl.value}")),)


def neighbour_commands(neighbour: Neighbour, verb: str) -> tuple[tuple[str, ...], ...]:
    permanent = ["nud", "permanent"] if verb == "replace" else []
    return (tuple(ipcmd.ip(neighbour.netns, "neigh", verb, *neigh_words(neighbour), *permanent)),)


def _route_name(route: Route) -> str:
    return " ".join(route_words(route))


def _rule_name(rule: Rule) -> str:
    return " ".join(_family(rule) + rule_words(rule))


# -- evaluating the planner's routing operations ----------------------------------


class RoutingItems(LinkSettings):
    routes_by_key: dict | None = None  # netns -> route key -> live route, made on the first AddRoute
    def live_routing(self, netns) -> live_routes.LiveRouting:
        if netns not in self.state.namespaces:
            return live_routes.LiveRouting()  # a namespace this plan adds
        return live_routes.of(self.state, netns)

    def live_route(self, route: Route) -> Route | None:
        """The live route with ``route``'s identity (table, destination, metric), if any."""
        if self.routes_by_key is None:
            self.routes_by_key = {}
        if route.netns not in self.routes_by_key:
            self.routes_by_key[route.netns] = {route_key(r): r for r in self.live_routing(route.netns).routes}
        return self.routes_by_key[route.netns].get(route_key(route))

    def evaluate_routing(self, operation: RoutingOperation) -> None:
        match operation:
            case SetSysctl(sysctl=sysctl):
                self.set_sysctl(sysctl)
            case AddNeighbour(neighbour=neighbour):
                self.add_neighbour(neighbour)
            case AddRoute(route=route, table=table):
                self.add_route(dataclasses.replace(route, table=table))
            case AddRule(rule=rule, table=table):
                self.add_rule(dataclasses.replace(rule, table=table))
            case _:
                raise ValueError(f"planner bug: {type(operation).__name__} in the plan of an apply")

    def set_sysctl(self, s: Sysctl) -> None:
        """SetSysctl: written where it differs (a namespace's own before its links, a link's before its addresses)."""
        actual = proc_sysctl.read(s.netns, s.path) if s.netns in self.state.namespaces else None
        if actual is not None and actual == proc_sysctl.normal(s.value):
            return
        self.emit(
            Step(
                action=Action.SET_SYSCTL,
                netns=s.netns,
                name=f"{s.key} {s.value}",
                item=s,
                replaced=actual,
                differences=(Difference(s.netns, s.key, "value", s.value, actual),),
                commands=sysctl_commands(s),
            )
        )

    def add_route(self, route: Route) -> None:
        """AddRoute (``route.table`` resolved to its number): missing -> added; differing -> replaced."""
        netns = route.netns
        found = self.live_route(route)
        if found is None:
            self.emit(Step(action=Action.ADD_ROUTE, netns=netns, name=_route_name(route), item=route,
                           table=_table(route), commands=route_commands(route, "replace"),
                           differences=(Difference(netns, f"route {route.dst}", "exists", "yes", "no"),)))  # fmt: skip
            return
        diffs = route_differences(route, found)
        if diffs:
            self.emit(Step(action=Action.REPLACE_ROUTE, netns=netns, name=_route_name(route), item=route,
                           replaced=found, table=_table(route), differences=tuple(diffs),
                           commands=route_commands(route, "replace")))  # fmt: skip

    def add_rule(self, rule: Rule) -> None:
        """AddRule (``rule.table`` resolved): added unless the namespace has it."""
        netns = rule.netns
        if not any(rule_matches(rule, r) for r in self.live_routing(netns).rules):
            self.emit(Step(action=Action.ADD_RULE, netns=netns, name=_rule_name(rule), item=rule,
                           table=_table(rule), commands=rule_commands(rule, "add"),
                           differences=(Difference(netns, f"rule {_rule_name(rule)}", "exists", "yes", "no"),)))  # fmt: skip

    def add_neighbour(self, n: Neighbour) -> None:
        """AddNeighbour: missing (or flushed by this plan) -> added; another MAC -> replaced."""
        live = live_routes.neighbours_of(self.state, n.netns) if n.netns in self.state.namespaces else []
        old = next((o for o in live if o.identity == n.identity and not self._flushed(n.netns, o.dev)), None)
        if old is not None and old.lladdr == n.lladdr:
            return
        difference = ("lladdr", n.lladdr, old.lladdr) if old is not None else ("exists", "yes", "no")
        self.emit(Step(action=Action.REPLACE_NEIGHBOUR if old else Action.ADD_NEIGHBOUR, netns=n.netns,
                       name=_neigh_name(n), item=n, replaced=old, commands=neighbour_commands(n, "replace"),
                       differences=(Difference(n.netns, f"neigh {n.address}", *difference),)))  # fmt: skip

    def _flushed(self, netns, dev: str) -> bool:
        """Whether the kernel flushes ``dev``'s entries in this plan: it is deleted, made again, moved, taken
        down (or up from down), or its MAC changed."""
        if (netns, dev) in self.created:
            return True
        for step in self.plan.steps:
            if step.netns != netns or step.name != dev:
                continue
            if step.action in (Action.DELETE, Action.CREATE, Action.MOVE, Action.SET_STATE) or step.down_first:
                return True
            if step.action is Action.MODIFY and "mac" in step.settings:
                return True
        return False

    def prune_routing(self, involved) -> None:
        """With ``--prune``, before the spec's own are added: the routes, rules and permanent neighbour
        entries of ``involved`` namespaces the spec does not state are removed."""
        spec_routes = [dataclasses.replace(r, table=table_number(self.index, r.netns, r.table)) for r in self.program.routes]
        spec_rules = [dataclasses.replace(r, table=table_number(self.index, r.netns, r.table)) for r in self.program.rules]
        wanted_keys = {route_key(r) for r in spec_routes}
        wanted_neighbours = {n.identity for n in self.program.neighbours}
        for netns in (ns for ns in involved if ns in self.state.namespaces):
            self.prune_routes(netns, self.live_routing(netns), wanted_keys, spec_routes, spec_rules)
            for n in live_routes.neighbours_of(self.state, netns):
                if n.identity in wanted_neighbours:
                    continue
                self.emit(Step(action=Action.DELETE_NEIGHBOUR, netns=netns, name=_neigh_name(n), item=n, disrupts=True,
                               commands=neighbour_commands(n, "del"),
                               differences=(Difference(netns, f"neigh {n.address}", "exists", "no", "yes"),)))  # fmt: skip

    def prune_routes(self, netns, live, wanted_keys, spec_routes, spec_rules) -> None:
        defaults_kept = {r.family for r in spec_routes if r.netns == netns and r.is_default and r.table == MAIN_TABLE}
        for route in live.routes:
            if not live_routes.configured(route) or route_key(route) in wanted_keys or self._dropped_with_device(route):
                continue
            leaves = route.is_default and route.table == MAIN_TABLE and route.family not in defaults_kept
            where = f"namespace {netns}" if netns else "this namespace"
            self.emit(Step(action=Action.DELETE_ROUTE, netns=netns, name=_route_name(route), item=route,
                           table=route.table if isinstance(route.table, int) else None, disrupts=True,
                           reason=f"leaves {where} without a default route" if leaves else "",
                           commands=route_commands(route, "del"),
                           differences=(Difference(netns, f"route {route.dst}", "exists", "no", "yes"),)))  # fmt: skip
        for rule in live.rules:
            if live_routes.kernel_default_rule(rule) or any(rule_matches(s, rule) for s in spec_rules):
                continue
            self.emit(Step(action=Action.DELETE_RULE, netns=netns, name=_rule_name(rule), item=rule,
                           table=rule.table if isinstance(rule.table, int) else None, disrupts=True,
                           commands=rule_commands(rule, "del"),
                           differences=(Difference(netns, f"rule {_rule_name(rule)}", "exists", "no", "yes"),)))  # fmt: skip

    def _dropped_with_device(self, route: Route) -> bool:
        """Whether the kernel drops ``route`` by itself in this plan: a device it leaves through is deleted or recreated."""
        for dev in route.devices:
            key = (route.netns, dev)
            if self.state.get(*key) is not None and (key not in self.sim or key in self.created):
                return True
        return False


# -- carrying out ------------------------------------------------------------------


def perform(executor, step: Step) -> None:
    """One route, rule or sysctl step, with its undo (the executor's :meth:`op` journals it)."""
    k: Kernel = executor.kernel
    a = step.action
    netns = step.netns
    if a is Action.SET_SYSCTL:
        s: Sysctl = step.item  # type: ignore[assignment]
        before: list = []

        def write():
            k.pipeline.flush()  # a link's sysctl needs the link, which a queued request may make
            before.append(proc_sysctl.read(netns, s.path))
            _write_sysctl(k, netns, s.path, s.value)

        def write_back():
            if before and before[0] is not None:
                _write_sysctl(k, netns, s.path, before[0])

        executor.op(step, f"set {s.key} to {s.value}", write, write_back, f"set {s.key} back")
    elif a in (Action.ADD_ROUTE, Action.REPLACE_ROUTE):
        route: Route = step.item  # type: ignore[assignment]
        old: Route | None = step.replaced  # type: ignore[assignment]
        send = lambda: send_route(k, route, step.table or MAIN_TABLE)
        if old is None:
            executor.op(step, f"add route {step.name}", send, lambda: delete_route(k, route),
                        f"delete route {step.name}")  # fmt: skip
        else:
            executor.op(step, f"replace route {step.name}", send, lambda: put_back(k, old, route),
                        f"put back route {_route_name(old)}")  # fmt: skip
    elif a is Action.DELETE_ROUTE:
        route = step.item  # type: ignore[assignment]
        executor.op(step, f"delete route {step.name}", lambda: delete_route(k, route),
                    lambda: send_route(k, route, _table(route)), f"add route {step.name} again")  # fmt: skip
    elif a is Action.ADD_RULE:
        rule: Rule = step.item  # type: ignore[assignment]
        table = step.table or MAIN_TABLE
        executor.op(step, f"add rule {step.name}", lambda: k.send(netns, wire_routes.rule_request(rule, table)),
                    lambda: k.send(netns, wire_routes.rule_request(rule, table, delete=True)),
                    f"delete rule {step.name}")  # fmt: skip
    elif a in (Action.ADD_NEIGHBOUR, Action.REPLACE_NEIGHBOUR, Action.DELETE_NEIGHBOUR):
        perform_neighbour(executor, step)
    elif a is Action.DELETE_RULE:
        rule = step.item  # type: ignore[assignment]
        table = _table(rule)
        executor.op(step, f"delete rule {step.name}",
                    lambda: k.send(netns, wire_routes.rule_request(rule, table, delete=True)),
                    lambda: k.send(netns, wire_routes.rule_request(rule, table)), f"add rule {step.name} again")  # fmt: skip


def perform_neighbour(executor, step: Step) -> None:
    k: Kernel = executor.kernel
    n: Neighbour = step.item  # type: ignore[assignment]
    old: Neighbour | None = step.replaced  # type: ignore[assignment]
    if step.action is Action.ADD_NEIGHBOUR:
        executor.op(step, f"add neighbour {step.name}", lambda: send_neighbour(k, n),
                    lambda: delete_neighbour(k, n), f"delete neighbour {step.name}")  # fmt: skip
    elif step.action is Action.REPLACE_NEIGHBOUR:
        assert old is not None
        executor.op(step, f"replace neighbour {step.name}", lambda: send_neighbour(k, n),
                    lambda: send_neighbour(k, old), f"put back neighbour {_neigh_name(old)}")  # fmt: skip
    else:
        executor.op(step, f"delete neighbour {step.name}", lambda: delete_neighbour(k, n),
                    lambda: send_neighbour(k, n), f"add neighbour {step.name} again")  # fmt: skip


def send_neighbour(k: Kernel, n: Neighbour) -> None:
    k.send(n.netns, wire_routes.neighbour_request(n, k.index(n.netns, n.dev)))


def delete_neighbour(k: Kernel, n: Neighbour) -> None:
    """Delete ``n``, waiting for the answer: one the kernel flushed already (with its link) is no error."""
    try:
        k.send(n.netns, wire_routes.neighbour_request(n, k.index(n.netns, n.dev), delete=True), wait=True)
    except KernelError as e:
        if e.code not in (errno.ENOENT, errno.ENODEV):
            raise


def _neigh_name(n: Neighbour) -> str:
    return " ".join(neigh_words(n))


def _table(item: Route | Rule) -> int:
    return item.table if isinstance(item.table, int) else MAIN_TABLE  # read from the kernel: always a number


def _write_sysctl(k: Kernel, netns, path, value: str) -> None:
    k.sent += 1
    try:
        proc_sysctl.write(netns, path, value)
    except OSError as e:
        raise KernelError(e.errno, f"/proc/sys/{'/'.join(path)}: {e.strerror}") from None


def send_route(k: Kernel, route: Route, table: int) -> None:
    k.send(route.netns, wire_routes.route_request(route, table, lambda name: k.index(route.netns, name)))


def delete_route(k: Kernel, route: Route) -> None:
    """Delete ``route``, waiting for the answer: one the kernel dropped already (with its device) is no error."""
    request = wire_routes.route_request(route, _table(route), lambda name: 0, delete=True)
    try:
        k.send(route.netns, request, wait=True)
    except KernelError as e:
        if e.code != errno.ESRCH:
            raise


def put_back(k: Kernel, old: Route, made: Route) -> None:
    """Undo a replaced route: the old one again, or, when the kernel will not take it yet (its
    gateway's address is not back), take ours away and leave it to the route restore, which runs last."""
    try:
        send_route(k, old, _table(old))
    except KernelError:
        delete_route(k, made)


def journal_route_restore(journal, kernel: Kernel, state) -> None:
    """Journal first (so it runs last) the putting back of the routes the kernel drops by itself."""
    before = {netns: list(r.routes) for netns, r in state.routing.items()}
    if not before:
        return

    def restore():
        problems = []
        for netns, routes in before.items():
            try:
                now = live_routes.read(netns, snapshot.read(netns).name_of)
            except Exception as e:  # the namespace went away: nothing to put back there
                problems.append(f"routes of {netns or 'this namespace'} unreadable: {e}")
                continue
            present = {route_key(r) for r in now.routes}
            for route in routes:
                if route.protocol in NOT_RESTORED or route_key(route) in present:
                    continue
                try:
                    send_route(kernel, route, _table(route))
                except KernelError as e:
                    problems.append(f"route {_route_name(route)}: {e.describe()}")
        if problems:
            raise KernelError(None, "; ".join(problems))

    journal.record("put back the routes the kernel dropped", restore)


# -- the guard ---------------------------------------------------------------------


def default_route_moves(steps) -> set:
    """The namespaces where the plan itself installs the main table's default route: cutting the
    link that carries the old one is then part of a move, done and undone with it, not a cut."""
    return {
        s.netns
        for s in steps
        if s.action in (Action.ADD_ROUTE, Action.REPLACE_ROUTE)
        and s.item.is_default and s.table == MAIN_TABLE and s.item.type is RouteType.UNICAST  # type: ignore[union-attr]
    }
