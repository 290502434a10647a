"""Live state vs spec -> the steps that make the kernel match, in an order it accepts.

The differ walks the spec in phases, like the planner (:mod:`netscript.plan`),
but against a *simulation* of the live state: every step it emits is also
applied to the simulation (a deleted bridge releases its ports, a moved link
arrives down and without addresses, a created link has what its request set),
so each later phase compares the spec with the state the kernel will really
be in at that point. Phases:

1. namespaces the spec declares and the kernel lacks;
2. with ``prune``: links the spec does not mention are deleted (never physical ones);
3. links whose kind or create-only settings differ are deleted, to be made again
   (with everything stacked on them, which the kernel would delete anyway);
4. links found in another namespace than the spec's are moved;
5. missing links are created, each request folding in its settings, a bridge
   or VRF master and ``up``, so a bridge port costs one request, not four;
6. settings changed in place; 7. masters; 8. port settings; 9. settings naming
   ports; 10. addresses; 11. admin state, lower devices first.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from ... import kinds
from ...codes import diag
from ...diagnostics import Diagnostic
from ...frontends.kernel import tables
from ...frontends.kernel.state import KernelState, Observed
from ...ir.index import Index
from ...ir.model import AdminState, Link, LinkKind, Program, Ref
from ...plan import creation_order
from . import compare
from . import steps as st
from .steps import Action, Step

FOLD_MASTERS = (LinkKind.BRIDGE, LinkKind.VRF)  # ports may join these while up
# A bridge given its MTU at creation still follows its ports' MTU; set after, it keeps it.
MTU_AFTER_CREATE = (LinkKind.BRIDGE,)
DOWN_FIRST = (LinkKind.BOND, LinkKind.TEAM)  # these take only ports that are down
NOT_FOLDED = (LinkKind.TAP, LinkKind.TUN, LinkKind.TEAM)  # made by ioctl or teamd


@dataclass
class LivePlan:
    """The steps, plus the problems that forbid applying them."""

    program: Program
    state: KernelState
    steps: list[Step] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    missing_namespaces: list[str] = field(default_factory=list)  # declared, to be added

    @property
    def disrupting(self) -> list[Step]:
        return [s for s in self.steps if s.disrupts]


def involved_namespaces(program: Program) -> list:
    """Every namespace the spec puts links in or refers to, declared ones included."""
    out: list = []

    def add(ns):
        if ns not in out:
            out.append(ns)

    for name in program.external_netns:
        add(name)
    for ns in program.namespaces:
        add(ns.name)
    for link in program.all_links():
        add(link.netns)
        if link.parent is not None and link.parent.netns is not None:
            add(link.parent.netns)
    return out


class _Differ:
    def __init__(self, program: Program, state: KernelState, prune: bool, missing_namespaces):
        self.program = program
        self.state = state
        self.prune = prune
        self.index = Index.build(program)
        self.order = creation_order(program, self.index)
        self.plan = LivePlan(program, state, missing_namespaces=list(missing_namespaces))
        self.sim: dict = {(o.netns, o.name): o for o in state.all()}
        self.created: set = set()  # keys made by this plan
        self.spec_keys = {link.key for link in program.all_links()}

    # -- the simulation ------------------------------------------------------

    def live(self, key) -> Observed | None:
        return self.sim.get(key)

    def existed(self, key) -> bool:
        return key in self.sim and key not in self.created

    def emit(self, step: Step) -> None:
        self.plan.steps.append(step)

    def problem(self, code: str, message: str, link: Link | None, hint=None) -> None:
        self.plan.problems.append(diag(code, message, link.span if link is not None else None, hint=hint))

    # -- deleting ------------------------------------------------------------

    def delete_tree(self, o: Observed, reason: str, differences=()) -> None:
        """Delete ``o`` after everything stacked on it; a veth takes its peer along."""
        if (o.netns, o.name) not in self.sim:
            return
        group = [o]
        if o.link.kind is LinkKind.VETH and o.peer is not None:
            peer = self.sim.get((o.peer.netns, o.peer.name))
            if peer is not None:
                group.append(peer)
        for member in group:
            for child in self.children(member):
                self.delete_tree(child, f"stacked on {member.name}, which goes")
        self.emit(
            Step(
                action=Action.DELETE,
                netns=o.netns,
                name=o.name,
                live=o,
                commands=tuple(tuple(c) for c in st.delete_commands(o.link)),
                disrupts=True,
                reason=reason,
                differences=tuple(differences),
            )
        )
        for member in group:
            self.sim.pop((member.netns, member.name), None)
            for port in self.ports(member):
                self.sim[(port.netns, port.name)] = dataclasses.replace(port, master=None, port_options=None)

    def children(self, parent: Observed) -> list[Observed]:
        return [
            o
            for o in self.sim.values()
            if o.link.parent is not None and (o.link.parent.netns, o.link.parent.name) == (parent.netns, parent.name)
        ]

    def ports(self, master: Observed) -> list[Observed]:
        return [o for o in self.sim.values() if o.netns == master.netns and o.master == master.name]

    def prune_unmentioned(self, namespaces) -> None:
        for netns in namespaces:
            for o in [o for o in self.sim.values() if o.netns == netns]:
                if (o.netns, o.name) in self.spec_keys or (o.netns, o.name) not in self.sim:
                    continue
                if not o.known or o.link.kind is LinkKind.PHYSICAL:
                    continue  # never delete what netscript cannot make again
                if self.wanted_elsewhere(o):
                    continue  # the spec wants it in another namespace: it will be moved
                self.delete_tree(o, "not in the spec")

    def wanted_elsewhere(self, o: Observed) -> bool:
        for link in self.program.all_links():
            if link.name == o.name and link.netns != o.netns and self.live(link.key) is None:
                if self.find_elsewhere(link) is o:
                    return True
        return False

    # -- recreating ----------------------------------------------------------

    def recreate_differing(self) -> None:
        for link in self.order:
            for each in (link, link.peer):
                if each is None:
                    continue
                o = self.live(each.key)
                if o is None or each.kind is LinkKind.PHYSICAL:
                    continue
                if not compare.kind_matches(each, o):
                    replaceable = o.known and o.link.kind is not LinkKind.PHYSICAL
                    if not (replaceable and self.prune):
                        # someone else's link under the spec's name: only --prune claims it
                        what = f"a {o.link.kind.value}" if replaceable else (o.info_kind or "an existing interface")
                        self.problem(
                            "NS508",
                            f"{each.name} exists{_in(each.netns)} as {what}, not a {each.kind.value}",
                            each,
                            hint="rename the link in the spec or remove the other one"
                            + (" (or apply with --prune to replace it)" if replaceable else ""),
                        )
                        continue
                    self.delete_tree(o, f"to recreate: it is a {o.link.kind.value}, the spec says {each.kind.value}")
                    continue
                reasons = compare.option_differences(each, o, create_only=True)
                parent = compare.parent_difference(each, self.index.parent_key(each), o)
                if parent is not None:
                    reasons.append(parent)
                peer_name = self.peer_name(each)
                peer = compare.peer_difference(each, peer_name, o)
                if peer is not None:
                    reasons.append(peer)
                if reasons:
                    why = ", ".join(f"{d.attribute} {st._show(d.actual)} -> {st._show(d.wanted)}" for d in reasons)
                    self.delete_tree(o, f"to recreate: {why}", reasons)

    def peer_name(self, link: Link) -> str | None:
        if link.kind is not LinkKind.VETH:
            return None
        if link.peer is not None:
            return link.peer.name
        declaring = self.index.peer_of.get(link.key)
        return declaring.name if declaring is not None else None

    def peer_key(self, link: Link):
        if link.peer is not None:
            return link.peer.key
        declaring = self.index.peer_of.get(link.key)
        return declaring.key if declaring is not None else None

    # -- moving --------------------------------------------------------------

    def move_misplaced(self) -> None:
        for link in self.program.all_links():
            if self.live(link.key) is not None:
                continue
            found = self.find_elsewhere(link)
            if found is None:
                continue
            self.emit(
                Step(
                    action=Action.MOVE,
                    netns=found.netns,
                    name=found.name,
                    spec=link,
                    live=found,
                    target_netns=link.netns,
                    commands=tuple(tuple(c) for c in st.move_commands(found.netns, found.name, link.netns)),
                    disrupts=True,
                )
            )
            self.sim.pop((found.netns, found.name))
            moved = dataclasses.replace(
                found,
                link=dataclasses.replace(found.link, netns=link.netns, addresses=(), state=AdminState.DOWN),
                master=None,
                port_options=None,
                link_local=(),
            )
            self.sim[link.key] = moved
            for key, o in list(self.sim.items()):
                if o.peer is not None and (o.peer.netns, o.peer.name) == (found.netns, found.name):
                    self.sim[key] = dataclasses.replace(o, peer=Ref(name=o.peer.name, netns=link.netns))

    def find_elsewhere(self, link: Link) -> Observed | None:
        for (netns, name), o in self.sim.items():
            if name != link.name or netns == link.netns or (netns, name) in self.spec_keys:
                continue
            if not compare.kind_matches(link, o):
                continue
            if link.kind is LinkKind.VETH and compare.peer_difference(link, self.peer_name(link), o) is not None:
                continue
            return o
        return None

    # -- creating ------------------------------------------------------------

    def create_missing(self) -> None:
        for link in self.order:
            if not kinds.spec(link.kind).creatable:
                if self.live(link.key) is None:
                    self.problem(
                        "NS502",
                        f"{link.name} does not exist{_in(link.netns)}; the spec uses it as an existing interface",
                        link,
                    )
                continue
            if link.kind is LinkKind.VETH and link.peer is not None:
                near_there = self.live(link.key) is not None
                far_there = self.live(link.peer.key) is not None
                if near_there and far_there:
                    continue
                for key in (link.key, link.peer.key):  # half a pair: its far end is out of reach
                    if self.live(key) is not None:
                        self.delete_tree(self.live(key), "to recreate: its peer is not where the spec says")
            elif self.live(link.key) is not None:
                continue
            self.create(link)

    def create(self, link: Link) -> None:
        parent_key = self.index.parent_key(link)
        near, far = st.ends(link)
        folded = link.kind not in NOT_FOLDED
        master = self.foldable_master(near) if folded else None
        up = near.state is AdminState.UP and folded
        self.emit(
            Step(
                action=Action.CREATE,
                netns=link.netns,
                name=link.name,
                spec=link,
                master=master,
                state=AdminState.UP if up else None,
                parent_netns=parent_key[0] if parent_key else link.netns,
                commands=tuple(
                    tuple(c) for c in st.create_commands(link, parent_key[0] if parent_key else link.netns, master, up)
                ),
            )
        )
        for end in (near, far):
            if end is None:
                continue
            is_near = end is near
            predicted = Observed(
                link=Link(
                    name=end.name,
                    kind=end.kind,
                    netns=end.netns,
                    parent=Ref(name=parent_key[1], netns=parent_key[0]) if parent_key and end is link else None,
                    options=end.options,
                    mtu=end.mtu if folded and end.kind not in MTU_AFTER_CREATE else None,
                    mac=end.mac if folded else None,
                    txqueuelen=end.txqueuelen if folded else None,
                    state=AdminState.UP if (is_near and up) else AdminState.DOWN,
                ),
                index=0,
                master=master.name if (is_near and master is not None) else None,
                peer=Ref(name=(far if is_near else near).name, netns=(far if is_near else near).netns) if far else None,
                info_kind=tables.TABLES[end.kind].info_kind if end.kind in tables.TABLES else None,
            )
            self.sim[end.key] = predicted
            self.created.add(end.key)

    def foldable_master(self, end: Link) -> Link | None:
        master = self.index.master(end)
        if master is None or master.kind not in FOLD_MASTERS:
            return None
        return master if self.live(master.key) is not None else None

    # -- in place ------------------------------------------------------------

    def modify_in_place(self) -> None:
        for link in self.order:
            for each in (link, link.peer):
                o = self.live(each.key) if each is not None else None
                if o is None or not compare.kind_matches(each, o):
                    continue
                diffs = compare.common_differences(each, o) + compare.option_differences(each, o, create_only=False)
                if each.kind is LinkKind.TEAM:
                    diffs = compare.common_differences(each, o)  # team settings are all create-only
                if not diffs:
                    continue
                settings = tuple(d.attribute for d in diffs)
                self.emit(
                    Step(
                        action=Action.MODIFY,
                        netns=each.netns,
                        name=each.name,
                        spec=each,
                        live=o,
                        differences=tuple(diffs),
                        settings=settings,
                        commands=tuple(tuple(c) for c in st.modify_commands(each, _fields(each, settings))),
                        disrupts="mac" in settings and self.existed(each.key),
                    )
                )
                self.sim[each.key] = _with_settings(o, each, settings)

    def masters(self) -> None:
        for master in self.order:
            if not kinds.spec(master.kind).is_master or self.live(master.key) is None:
                continue
            wanted = [p.name for p in master.ports]
            if self.prune:
                for o in self.ports(self.live(master.key)):
                    if o.name not in wanted:
                        self.emit(
                            Step(
                                action=Action.RELEASE,
                                netns=o.netns,
                                name=o.name,
                                live=o,
                                master_name=master.name,
                                commands=tuple(tuple(c) for c in st.release_commands(o.netns, o.name)),
                                disrupts=True,
                            )
                        )
                        self.sim[(o.netns, o.name)] = dataclasses.replace(o, master=None, port_options=None)
            for port in master.ports:
                key = (master.netns, port.name)
                o = self.live(key)
                port_link = self.index.get(*key)
                if o is None or port_link is None:
                    continue
                d = compare.master_difference(port_link, master.name, o)
                if d is None:
                    continue
                down_first = master.kind in DOWN_FIRST and o.link.state is AdminState.UP
                self.emit(
                    Step(
                        action=Action.ENSLAVE,
                        netns=master.netns,
                        name=port.name,
                        spec=port_link,
                        live=o,
                        master=master,
                        port=port,
                        down_first=down_first,
                        differences=(d,),
                        commands=tuple(tuple(c) for c in st.enslave_commands(port, master, down_first)),
                        disrupts=self.existed(key),
                    )
                )
                self.sim[key] = dataclasses.replace(
                    o,
                    master=master.name,
                    # a team port's settings are staged with it; other masters start from defaults
                    port_options=port.options if master.kind is LinkKind.TEAM else None,
                    link=dataclasses.replace(o.link, state=AdminState.DOWN) if down_first else o.link,
                )

    def port_settings(self) -> None:
        for master in self.order:
            if not kinds.spec(master.kind).is_master:
                continue
            for port in master.ports:
                key = (master.netns, port.name)
                o = self.live(key)
                port_link = self.index.get(*key)
                if o is None or port_link is None or o.master != master.name:
                    continue
                diffs = compare.port_differences(port, port_link, o)
                if not diffs:
                    continue
                settings = tuple(d.attribute.removeprefix("port ") for d in diffs)
                if master.kind is LinkKind.TEAM:
                    self.problem(
                        "NS510",
                        f"{port.name}: teamd takes a port's settings ({', '.join(settings)}) only when the port "
                        "is added",
                        port_link,
                        hint=f"remove it from the team (teamdctl {master.name} port remove {port.name}) and apply again",
                    )
                    continue
                unsendable = [s for s in settings if not _sendable_port_setting(master.kind, s)]
                if unsendable:
                    self.problem(
                        "NS510",
                        f"{port.name}: {master.kind.value} port setting {', '.join(unsendable)} cannot be sent "
                        "over netlink by pyroute2 0.9",
                        port_link,
                        hint="render the spec as a script (netscript render) for this setting",
                    )
                self.emit(
                    Step(
                        action=Action.SET_PORT,
                        netns=master.netns,
                        name=port.name,
                        spec=port_link,
                        live=o,
                        master=master,
                        port=port,
                        differences=tuple(diffs),
                        settings=settings,
                        commands=tuple(tuple(c) for c in st.port_commands(port, master, _port_fields(port, settings))),
                    )
                )
                self.sim[key] = dataclasses.replace(o, port_options=port.options)

    def late_settings(self) -> None:
        for link in self.order:
            o = self.live(link.key)
            if o is None or not compare.kind_matches(link, o):
                continue
            diffs = compare.late_differences(link, o)
            if diffs:
                settings = tuple(d.attribute for d in diffs)
                self.emit(
                    Step(
                        action=Action.SET_LATE,
                        netns=link.netns,
                        name=link.name,
                        spec=link,
                        live=o,
                        differences=tuple(diffs),
                        settings=settings,
                        commands=tuple(tuple(c) for c in st.late_commands(link, settings)),
                    )
                )

    def addresses(self) -> None:
        for link in self.order:
            for each in (link, link.peer):
                o = self.live(each.key) if each is not None else None
                if o is None:
                    continue
                missing, extra = compare.address_differences(each, o, prune=self.prune)
                for cidr in extra:
                    self.emit(self.address_step(Action.REMOVE_ADDRESS, each, o, cidr))
                for cidr in missing:
                    self.emit(self.address_step(Action.ADD_ADDRESS, each, o, cidr))

    def address_step(self, action: Action, link: Link, o: Observed, cidr: str) -> Step:
        add = action is Action.ADD_ADDRESS
        return Step(
            action=action,
            netns=link.netns,
            name=link.name,
            spec=link,
            live=o,
            address=cidr,
            commands=tuple(tuple(c) for c in st.address_commands(link, cidr, add)),
            disrupts=not add,
        )

    def admin_states(self) -> None:
        for link in self.order:
            for each in (link, link.peer):
                o = self.live(each.key) if each is not None else None
                if o is None:
                    continue
                d = compare.state_difference(each, o)
                if d is None:
                    continue
                self.emit(
                    Step(
                        action=Action.SET_STATE,
                        netns=each.netns,
                        name=each.name,
                        spec=each,
                        live=o,
                        state=each.state,
                        differences=(d,),
                        commands=tuple(tuple(c) for c in st.state_commands(each, each.state)),
                        disrupts=each.state is AdminState.DOWN and self.existed(each.key),
                    )
                )
                self.sim[each.key] = dataclasses.replace(o, link=dataclasses.replace(o.link, state=each.state))

    def run(self, namespaces) -> LivePlan:
        for name in self.plan.missing_namespaces:
            self.emit(
                Step(action=Action.ADD_NETNS, netns=None, name=name, commands=tuple(tuple(c) for c in st.netns_commands(name)))
            )
        if self.prune:
            self.prune_unmentioned(namespaces)
        self.recreate_differing()
        self.move_misplaced()
        self.create_missing()
        self.modify_in_place()
        self.masters()
        self.port_settings()
        self.late_settings()
        self.addresses()
        self.admin_states()
        return self.plan


def _sendable_port_setting(master_kind: LinkKind, setting: str) -> bool:
    table = tables.TABLES.get(master_kind)
    return table is not None and table.row(setting) is not None and setting in {r.field for r in table.port_rows}


def _in(netns) -> str:
    return f" in namespace {netns}" if netns else ""


def _fields(link: Link, settings) -> tuple[str, ...]:
    """DSL keys -> field names (``egress-qos-map`` is the field egress_qos_map)."""
    if link.options is None:
        return tuple(settings)
    by_key = {key: name for key, (name, _) in kinds.settings(type(link.options)).items()}
    return tuple(by_key.get(s, s) for s in settings)


def _port_fields(port, settings) -> tuple[str, ...]:
    if port.options is None:
        return tuple(settings)
    by_key = {key: name for key, (name, _) in kinds.settings(type(port.options)).items()}
    return tuple(by_key.get(s, s) for s in settings)


def _with_settings(o: Observed, spec: Link, settings) -> Observed:
    """``o`` after a MODIFY step set ``settings`` to the spec's values."""
    changes = {k: getattr(spec, k) for k in ("mtu", "mac", "txqueuelen") if k in settings}
    options = o.link.options
    if spec.options is not None:
        names = set(_fields(spec, settings))
        values = {f.name: getattr(options, f.name, None) for f in dataclasses.fields(spec.options)} if options else {}
        values.update({n: getattr(spec.options, n) for n in names if hasattr(spec.options, n)})
        options = type(spec.options)(**{k: v for k, v in values.items() if v is not None})
    return dataclasses.replace(o, link=dataclasses.replace(o.link, options=options, **changes))


def diff(program: Program, state: KernelState, *, prune: bool = False, missing_namespaces=()) -> LivePlan:
    """The steps that turn ``state`` into ``program`` (validated and placed)."""
    namespaces = [ns for ns in involved_namespaces(program) if ns in state.namespaces]
    return _Differ(program, state, prune, missing_namespaces).run(namespaces)
