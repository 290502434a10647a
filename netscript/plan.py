"""The planner: a validated Program -> an ordered, deterministic list of steps.

Order (each stage in declaration order, dependencies first):

1. namespaces;
2. existing (physical) links are required to be there;
3. links are created, lower devices before the links stacked on them; a
   lower device's own settings (MTU, MAC, kind options) converge right after
   it is created, before the links stacked on it: those inherit its MTU (a
   macvlan takes its lower device's, a vxlan 50 bytes less), and one that
   asks for a raised MTU is refused until its lower device has it;
4. every other link's settings converge;
5. ports: taken down when the master needs it (bond, team), then enslaved,
   then their per-port options;
6. settings that name ports (a bond's ``primary``);
7. links the spec wants ``down`` are taken down: the kernel drops a link's
   IPv6 addresses when it goes down, so this comes before the addresses;
8. addresses;
9. ``up``, lower devices first, so it comes last.

Each step is one typed operation (:class:`CreateLink`, :class:`Enslave`, ...)
holding only what that operation needs; a backend tells them apart with
``match``. These operations are the one list of what to do, in the one order,
for every backend: the bash backend renders each as a check-then-act block
(its guard as shell tests, :mod:`.backends.guards`); ``apply`` and ``plan``
evaluate each against the live state they read (:mod:`.backends.netlink.diff`)
and turn it into zero or more live steps. :func:`stage` says which of the
stages above an operation belongs to, for the live work no operation names
(pruning what the spec leaves out), which goes at the start of its stage.
``teardown`` gives the inverse.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from . import kinds
from .diagnostics import Span
from .ir.index import Index, Key
from .ir.model import DEFAULT_LOOPBACK, Address, AdminState, Link, LinkKind, Namespace, Port, Program, option_items
from .kinds.spec import Setting

if TYPE_CHECKING:
    from .routing.plan import RoutingOperation

# -- the operations: one class each, holding only what that operation needs ----------------
# Each acts in the namespace of the link it names (a port's: its master's).


@dataclass(frozen=True, slots=True, kw_only=True)
class RequireNetns:
    """A namespace the spec builds in but does not own must exist."""

    netns: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AddNetns:
    netns: str
    loopback: AdminState = DEFAULT_LOOPBACK  # lo's state once the namespace is added


@dataclass(frozen=True, slots=True, kw_only=True)
class RequireLink:
    """An existing (physical) link must be there."""

    link: Link


@dataclass(frozen=True, slots=True, kw_only=True)
class CreateLink:
    """Create ``link`` (and a veth's peer) with its create-only settings."""

    link: Link
    parent_netns: str | None  # where its lower device is (None: the namespace the script runs in)


@dataclass(frozen=True, slots=True, kw_only=True)
class ConfigureLink:
    """Converge the settings that change in place: MTU, MAC, queue length, kind settings."""

    link: Link


@dataclass(frozen=True, slots=True, kw_only=True)
class Enslave:
    port: Port
    master: Link
    down_first: bool  # the master takes only ports that are down (bond, team)
    port_declared: Span | None  # where the port's own link is declared, for messages


@dataclass(frozen=True, slots=True, kw_only=True)
class ConfigurePort:
    """A port's settings under its master."""

    port: Port
    master: Link


@dataclass(frozen=True, slots=True, kw_only=True)
class ConfigureLate:
    """Settings that name ports (a bond's primary), once the ports are enslaved."""

    link: Link


@dataclass(frozen=True, slots=True, kw_only=True)
class AddAddress:
    link: Link
    address: Address


@dataclass(frozen=True, slots=True, kw_only=True)
class SetState:
    link: Link
    state: AdminState


@dataclass(frozen=True, slots=True, kw_only=True)
class DeleteLink:
    link: Link


@dataclass(frozen=True, slots=True, kw_only=True)
class DeleteNetns:
    netns: str


LinkOperation: TypeAlias = (
    RequireNetns
    | AddNetns
    | RequireLink
    | CreateLink
    | ConfigureLink
    | Enslave
    | ConfigurePort
    | ConfigureLate
    | AddAddress
    | SetState
    | DeleteLink
    | DeleteNetns
)
if TYPE_CHECKING:
    Operation: TypeAlias = LinkOperation | RoutingOperation
else:  # at run time a name only: the routing operations are loaded for a program that has routing
    Operation = LinkOperation


@dataclass(frozen=True, slots=True)
class Plan:
    steps: tuple[Operation, ...]
    program: Program


class Stage(enum.IntEnum):
    """The plan's stages, in the order :func:`plan` goes through them."""

    NAMESPACES = 1  # namespaces, and their own sysctls
    LINKS = 2  # required, created, and their own settings
    PORTS = 3  # enslaved, per-port settings, settings that name ports
    LINK_SYSCTLS = 4  # a link's own sysctls, once it exists
    DOWN = 5
    ADDRESSES = 6
    UP = 7
    ROUTING = 8  # neighbours, routes and rules, once their links are up
    TEARDOWN = 9


def stage(operation: Operation) -> Stage:
    """The stage ``operation`` belongs to (see the module's docstring)."""
    match operation:
        case RequireNetns() | AddNetns():
            return Stage.NAMESPACES
        case RequireLink() | CreateLink() | ConfigureLink():
            return Stage.LINKS
        case Enslave() | ConfigurePort() | ConfigureLate():
            return Stage.PORTS
        case SetState(state=AdminState.DOWN):
            return Stage.DOWN
        case AddAddress():
            return Stage.ADDRESSES
        case SetState():
            return Stage.UP
        case DeleteLink() | DeleteNetns():
            return Stage.TEARDOWN
    from .routing.plan import stage as routing_stage  # only a program with routing has these

    return routing_stage(operation)


# Masters that take only ports that are down.
DOWN_FIRST = (LinkKind.BOND, LinkKind.TEAM)

# Bond options that name a port, so they can only be set once ports are enslaved.
LATE_OPTIONS = {LinkKind.BOND: ("primary",)}


def creation_order(program: Program, index: Index) -> list[Link]:
    """Top-level links, each after the link it is stacked on (stable otherwise)."""
    ordered: list[Link] = []
    done: set[Key] = set()
    visiting: set[Key] = set()

    def visit(link: Link) -> None:
        if link.key in done or link.key in visiting:
            return
        visiting.add(link.key)
        parent = index.parent(link)
        if parent is not None:
            owner = index.peer_of.get(parent.key, parent)
            visit(owner)
        visiting.discard(link.key)
        done.add(link.key)
        ordered.append(link)

    for link in program.links:
        visit(link)
    return ordered


def lower_devices(program: Program, index: Index) -> set[Key]:
    """Keys of the links that others in the spec are stacked on (a macvlan's link, a vxlan's dev)."""
    return {key for link in program.all_links() if (key := index.parent_key(link)) is not None}


def both_ends(link: Link) -> tuple[Link, ...]:
    """The link, then its veth peer if it has one."""
    return (link,) if link.peer is None else (link, link.peer)


def plan(program: Program, index: Index | None = None) -> Plan:
    """The steps that build ``program`` (a validated one) from nothing, each safe to repeat.

    ``index``: the program's, when the caller has built it already (apply's differ has).
    """
    index = Index.build(program) if index is None else index
    steps: list[Operation] = []
    order = creation_order(program, index)
    lower = lower_devices(program, index)

    for name in program.external_netns:
        steps.append(RequireNetns(netns=name))
    for ns in program.namespaces:
        steps.append(AddNetns(netns=ns.name, loopback=ns.loopback))
    routing = _routing(program)
    if routing:
        steps += routing.namespace_steps(program)

    for link in order:
        if link.kind is LinkKind.PHYSICAL:
            steps.append(RequireLink(link=link))
    for link in order:
        if kinds.spec(link.kind).creatable:
            parent_key = index.parent_key(link)
            steps.append(CreateLink(link=link, parent_netns=parent_key[0] if parent_key else link.netns))
        for each in both_ends(link):
            if each.key in lower and needs_configure(each):
                steps.append(ConfigureLink(link=each))
    for link in order:
        for each in both_ends(link):
            if each.key not in lower and needs_configure(each):
                steps.append(ConfigureLink(link=each))

    for master in order:
        spec = kinds.spec(master.kind)
        if not spec.is_master:
            continue
        down_first = master.kind in DOWN_FIRST
        for port in master.ports:
            port_link = index.get(master.netns, port.name)
            declared = port_link.span if port_link is not None else None
            steps.append(Enslave(port=port, master=master, down_first=down_first, port_declared=declared))
        for port in master.ports:
            if master.kind is LinkKind.TEAM:
                # teamd applies a port's options only when the port is added (a later
                # `teamdctl port config update` only stores them, and fails without
                # `prio`), so the backends stage them as part of Enslave instead.
                continue
            if option_items(port.options):
                steps.append(ConfigurePort(port=port, master=master))
        late = LATE_OPTIONS.get(master.kind, ())
        if any(getattr(master.options, k, None) is not None for k in late):
            steps.append(ConfigureLate(link=master))

    if routing:
        steps += routing.link_steps(program)
    steps += state_steps(order, AdminState.DOWN)
    for link in order:
        for each in both_ends(link):
            for addr in each.addresses:
                steps.append(AddAddress(link=each, address=addr))
    steps += state_steps(order, AdminState.UP)
    if routing:
        steps += routing.up_steps(program, index)

    return Plan(steps=tuple(steps), program=program)


def _routing(program: Program):
    """The planner of routes, rules, sysctls and neighbours, for a program that has any (else None)."""
    if program.has_routing:
        from .routing import plan as routing_plan

        return routing_plan
    return None


def state_steps(order: list[Link], state: AdminState) -> list[Operation]:
    """SetState for the links (and veth peers) the spec wants in ``state``, in creation order."""
    return [SetState(link=each, state=state) for link in order for each in both_ends(link) if each.state is state]


def needs_configure(link: Link) -> bool:
    """Whether the link has settings to converge after creation."""
    if link.mtu is not None or link.mac is not None or link.txqueuelen is not None:
        return True
    return bool(mutable_options(link))


def mutable_options(link: Link) -> list[tuple[str, Any, Setting]]:
    """Kind settings that can change in place (not create-only, not port-naming)."""
    late = LATE_OPTIONS.get(link.kind, ())
    return [(k, v, m) for k, v, m in option_items(link.options) if not m.create_only and k not in late]


def teardown(program: Program) -> Plan:
    """Steps that remove what ``plan`` creates, in reverse; physical links are left alone."""
    index = Index.build(program)
    steps: list[Operation] = [RequireNetns(netns=name) for name in program.external_netns]
    routing = _routing(program)
    if routing:
        steps += routing.teardown_steps(program, index)
    for link in reversed(creation_order(program, index)):
        if kinds.spec(link.kind).creatable:
            steps.append(DeleteLink(link=link))
    for ns in reversed(program.namespaces):
        steps.append(DeleteNetns(netns=ns.name))
    return Plan(steps=tuple(steps), program=program)


__all__ = [
    "AddAddress",
    "AddNetns",
    "ConfigureLate",
    "ConfigureLink",
    "ConfigurePort",
    "CreateLink",
    "DeleteLink",
    "DeleteNetns",
    "Enslave",
    "Namespace",
    "Operation",
    "Plan",
    "RequireLink",
    "RequireNetns",
    "SetState",
    "Stage",
    "both_ends",
    "creation_order",
    "lower_devices",
    "plan",
    "stage",
    "teardown",
]
