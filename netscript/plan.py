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

Backends turn steps into commands: the bash backend renders each as a
check-then-act block, the netlink backend diffs them against the live state.
``teardown`` gives the inverse.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass

from . import kinds
from .ir.index import Index
from .ir.model import Address, AdminState, Link, LinkKind, Namespace, Port, Program


class Op(enum.Enum):
    ADD_NETNS = "add-netns"
    REQUIRE_NETNS = "require-netns"
    REQUIRE_LINK = "require-link"
    CREATE_LINK = "create-link"
    CONFIGURE_LINK = "configure-link"
    ENSLAVE = "enslave"
    CONFIGURE_PORT = "configure-port"
    CONFIGURE_LATE = "configure-late"  # settings that name ports
    ADD_ADDRESS = "add-address"
    SET_STATE = "set-state"
    # teardown
    DELETE_LINK = "delete-link"
    DELETE_NETNS = "delete-netns"


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    op: Op
    link: Link | None = None
    netns: str | None = None  # the namespace the step acts in
    master: Link | None = None  # ENSLAVE / CONFIGURE_PORT
    port: Port | None = None
    address: Address | None = None
    state: AdminState | None = None
    parent_netns: str | None = None  # CREATE_LINK: where the lower device is
    down_first: bool = False  # ENSLAVE: the master needs its ports down


@dataclass(frozen=True, slots=True)
class Plan:
    steps: tuple[Step, ...]
    program: Program


# Bond options that name a port, so they can only be set once ports are enslaved.
LATE_OPTIONS = {LinkKind.BOND: ("primary",)}


def place(program: Program, *, netns: str | None = None, prefix: str = "") -> Program:
    """Move the spec: unqualified links into ``netns``, declared namespaces renamed with ``prefix``.

    Lets one spec be built in a throwaway namespace (tests, ``--netns``) or
    several times side by side (``--netns-prefix``).
    """
    if netns is None and not prefix:
        return program

    def ns(name):
        return netns if name is None else prefix + name

    def move(link: Link) -> Link:
        parent = link.parent
        if parent is not None and parent.netns is not None:
            parent = dataclasses.replace(parent, netns=ns(parent.netns))
        elif parent is not None and link.netns is not None:
            # Resolve now: after the move, "the default namespace" means another one.
            idx_key = index.parent_key(link)
            if idx_key is not None:
                parent = dataclasses.replace(parent, netns=ns(idx_key[0]))
        return dataclasses.replace(
            link,
            netns=ns(link.netns),
            parent=parent,
            peer=move(link.peer) if link.peer else None,
        )

    index = Index.build(program)
    return dataclasses.replace(
        program,
        external_netns=program.external_netns + ((netns,) if netns else ()),
        namespaces=tuple(dataclasses.replace(n, name=prefix + n.name) for n in program.namespaces),
        links=tuple(move(link) for link in program.links),
    )


def creation_order(program: Program, index: Index) -> list[Link]:
    """Top-level links, each after the link it is stacked on (stable otherwise)."""
    ordered, done, visiting = [], set(), set()

    def visit(link: Link):
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


def lower_devices(program: Program, index: Index) -> set:
    """Keys of the links that others in the spec are stacked on (a macvlan's link, a vxlan's dev)."""
    return {key for link in program.all_links() if (key := index.parent_key(link)) is not None}


def plan(program: Program) -> Plan:
    """The steps that build ``program`` from nothing, each safe to repeat."""
    index = Index.build(program)
    steps: list[Step] = []
    order = creation_order(program, index)
    lower = lower_devices(program, index)

    for name in program.external_netns:
        steps.append(Step(op=Op.REQUIRE_NETNS, netns=name))
    for ns in program.namespaces:
        steps.append(Step(op=Op.ADD_NETNS, netns=ns.name))

    for link in order:
        if link.kind is LinkKind.PHYSICAL:
            steps.append(Step(op=Op.REQUIRE_LINK, link=link, netns=link.netns))
    for link in order:
        if kinds.spec(link.kind).creatable:
            parent_key = index.parent_key(link)
            steps.append(
                Step(
                    op=Op.CREATE_LINK,
                    link=link,
                    netns=link.netns,
                    parent_netns=parent_key[0] if parent_key else link.netns,
                )
            )
        for each in (link, link.peer):
            if each is not None and each.key in lower and needs_configure(each):
                steps.append(Step(op=Op.CONFIGURE_LINK, link=each, netns=each.netns))
    for link in order:
        for each in (link, link.peer):
            if each is not None and each.key not in lower and needs_configure(each):
                steps.append(Step(op=Op.CONFIGURE_LINK, link=each, netns=each.netns))

    for master in order:
        spec = kinds.spec(master.kind)
        if not spec.is_master:
            continue
        down_first = master.kind in (LinkKind.BOND, LinkKind.TEAM)
        for port in master.ports:
            port_link = index.get(master.netns, port.name)
            steps.append(
                Step(
                    op=Op.ENSLAVE,
                    link=port_link,
                    netns=master.netns,
                    master=master,
                    port=port,
                    down_first=down_first,
                )
            )
        for port in master.ports:
            if master.kind is LinkKind.TEAM:
                # teamd applies a port's options only when the port is added (a later
                # `teamdctl port config update` only stores them, and fails without
                # `prio`), so the backends stage them as part of ENSLAVE instead.
                continue
            if port.options is not None and any(
                getattr(port.options, f.name) is not None for f in dataclasses.fields(port.options)
            ):
                steps.append(
                    Step(
                        op=Op.CONFIGURE_PORT,
                        link=index.get(master.netns, port.name),
                        netns=master.netns,
                        master=master,
                        port=port,
                    )
                )
        late = LATE_OPTIONS.get(master.kind, ())
        if any(getattr(master.options, k, None) is not None for k in late):
            steps.append(Step(op=Op.CONFIGURE_LATE, link=master, netns=master.netns))

    steps += state_steps(order, AdminState.DOWN)
    for link in order:
        for each in (link, link.peer):
            if each is None:
                continue
            for addr in each.addresses:
                steps.append(Step(op=Op.ADD_ADDRESS, link=each, netns=each.netns, address=addr))
    steps += state_steps(order, AdminState.UP)

    return Plan(steps=tuple(steps), program=program)


def state_steps(order: list[Link], state: AdminState) -> list[Step]:
    """SET_STATE for the links (and veth peers) the spec wants in ``state``, in creation order."""
    return [
        Step(op=Op.SET_STATE, link=each, netns=each.netns, state=state)
        for link in order
        for each in (link, link.peer)
        if each is not None and each.state is state
    ]


def needs_configure(link: Link) -> bool:
    """Whether the link has settings to converge after creation."""
    if link.mtu is not None or link.mac is not None or link.txqueuelen is not None:
        return True
    return bool(mutable_options(link))


def mutable_options(link: Link) -> list[tuple[str, object, dict]]:
    """Kind settings that can change in place (not create-only, not port-naming)."""
    from .ir.model import option_items

    late = LATE_OPTIONS.get(link.kind, ())
    return [
        (k, v, m)
        for k, v, m in option_items(link.options)
        if not m.create_only and k not in late
    ]


def teardown(program: Program) -> Plan:
    """Steps that remove what ``plan`` creates, in reverse; physical links are left alone."""
    index = Index.build(program)
    steps: list[Step] = [Step(op=Op.REQUIRE_NETNS, netns=name) for name in program.external_netns]
    for link in reversed(creation_order(program, index)):
        if kinds.spec(link.kind).creatable:
            steps.append(Step(op=Op.DELETE_LINK, link=link, netns=link.netns))
    for ns in reversed(program.namespaces):
        steps.append(Step(op=Op.DELETE_NETNS, netns=ns.name))
    return Plan(steps=tuple(steps), program=program)


__all__ = ["Namespace", "Op", "Plan", "Step", "creation_order", "lower_devices", "place", "plan", "teardown"]
