"""Carry out a live plan's steps, journalling how to undo each change as it is made.

Each step is one or more kernel operations; after each operation succeeds,
its undo goes into the :class:`~.journal.Journal`. The undo is built from
what the step saw before it ran (the step's ``live`` observation), so a
deleted link comes back with its settings, MAC, master, port settings,
addresses and state, and a moved link goes home and gets its addresses back.

Link and address requests are pipelined (:mod:`.pipeline`): sent without waiting, their
answers read every :data:`WINDOW` operations and at the end. An undo is
journalled only once its request is known to have succeeded, in the order
the operations were made. When a request fails, the ones sent after it have
been carried out or refused by the kernel all the same, so every answer
outstanding is read first: the successes among them are journalled (and so
undone with the rest), and the earliest failure is the one reported.

``checkpoint`` is called before each operation too, and stops the run by
raising (an interrupt, :mod:`.interrupt`): between two operations, where
every answer can be read and every change undone.

``faults`` lets tests make any operation fail as the kernel would: it is
called before each operation with the operation's number and may raise
:class:`~.kernel.KernelError`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from ... import kinds
from ...frontends.kernel.state import KernelState, Observed
from ...ir.model import AdminState, Link, LinkKind
from ...plan import DOWN_FIRST
from .. import ipcmd
from .journal import Journal
from .kernel import Kernel, KernelError
from .pipeline import Ticket
from .settings import dropped_when_down
from .steps import ROUTING_ACTIONS, Action, Step, fields_of, team_port_stage


class StepFailed(Exception):
    def __init__(self, number: int, step: Step, error: KernelError):
        super().__init__(error.describe())
        self.number = number
        self.step = step
        self.error = error


Faults = Callable[[int, Step, str], None]

# Operations whose answers may be outstanding at once: bounds the work sent
# after a failure, and the acks waiting in a socket's receive buffer.
WINDOW = 256


@dataclasses.dataclass(slots=True)
class Made:
    """An operation carried out, its outcome possibly not known yet."""

    number: int  # of its step, for the report
    step: Step
    tickets: list[Ticket]  # its requests still to be answered (none: already done)
    undo_text: str
    undo: Callable[[], None] | None


class Executor:
    def __init__(
        self,
        kernel: Kernel,
        state: KernelState,
        journal: Journal,
        faults: Faults | None = None,
        checkpoint: Callable[[], None] | None = None,
    ):
        self.kernel = kernel
        self.state = state  # as read before the plan: what undo restores
        self.journal = journal
        self.faults = faults
        self.checkpoint = checkpoint  # raises to stop before the next operation (a signal arrived)
        self.operations = 0
        self.number = 0  # the step being performed
        self.made: list[Made] = []  # not journalled yet: waiting for answers
        self.given_ports: set = set()  # (netns, name) of the bonds this run has enslaved a port to

    def op(self, step: Step, description: str, do: Callable[[], None], undo: Callable[[], None] | None, undo_text=""):
        if self.checkpoint is not None:
            self.checkpoint()
        try:
            if self.faults is not None:
                self.faults(self.operations, step, description)
            self.operations += 1
            do()
        except KernelError as e:
            # an earlier request may have failed unseen: that one is the failure to report
            self.kernel.take_tickets()
            self.settle()
            raise StepFailed(self.number, step, e) from None
        self.made.append(Made(self.number, step, self.kernel.take_tickets(), undo_text or f"undo {description}", undo))
        if len(self.made) >= WINDOW:
            self.settle()

    def settle(self) -> None:
        """Read every outstanding answer; journal what succeeded; raise the earliest failure."""
        answers = self.kernel.settle()
        failure = None
        for made in self.made:
            error = next((answers[t] for t in made.tickets if answers[t] is not None), None)
            if error is None:
                if made.undo is not None:
                    self.journal.record(made.undo_text, made.undo)
            elif failure is None:
                failure = StepFailed(made.number, made.step, error)
        self.made.clear()
        if failure is not None:
            raise failure

    def run(self, steps) -> None:
        self.kernel.deferring = True
        try:
            for self.number, step in enumerate(steps, 1):
                self.perform(step)
            self.settle()
        except StepFailed:
            raise
        except BaseException:
            # not a kernel refusal (a bug, ^C): still journal what was made, for whoever rolls back
            try:
                self.settle()
            except StepFailed:
                pass
            raise
        finally:
            self.kernel.deferring = False  # undo waits for each answer

    # -- one step ------------------------------------------------------------

    def perform(self, step: Step) -> None:
        k = self.kernel
        a = step.action
        if a is Action.ADD_NETNS:
            self.op(step, f"add namespace {step.name}", lambda: k.add_netns(step.name, step.new_state),
                    lambda: k.remove_netns(step.name))
        elif a is Action.CREATE:
            spec = step.wanted
            self.op(
                step,
                f"create {spec.kind.value} {spec.name}",
                lambda: k.create(spec, parent_netns=step.parent_netns, master=step.master, up=step.state is AdminState.UP),
                lambda: self.delete_created(spec),
                f"delete {spec.kind.value} {spec.name}",
            )
        elif a is Action.DELETE:
            o = step.before
            ports = self.state.ports_of(o)
            self.op(
                step,
                f"delete {o.link.kind.value} {o.name}",
                lambda: self.delete(o),
                lambda: self.restore(o, ports),
                f"recreate {o.link.kind.value} {o.name}",
            )
        elif a is Action.MOVE:
            o = step.before
            self.op(
                step,
                f"move {o.name} to {step.target_netns or 'the caller namespace'}",
                lambda: k.move(o.netns, o.name, step.target_netns),
                lambda: self.move_back(o, step.target_netns),
                f"move {o.name} back",
            )
        elif a in (Action.MODIFY, Action.SET_LATE):
            spec, o = step.wanted, step.before
            fields = _field_names(spec, step.settings)
            self.op(step, f"set {spec.name} {', '.join(step.settings)}", lambda: k.modify(spec, fields),
                    lambda: self.modify_back(o, spec, fields), f"set {spec.name} {', '.join(step.settings)} back")
        elif a is Action.RELEASE:
            o = step.before
            self.op(step, f"release {o.name}", lambda: k.set_master(o.netns, o.name, None), lambda: self.reattach(o),
                    f"enslave {o.name} to {o.master} again")
        elif a is Action.ENSLAVE:
            self.enslave(step)
        elif a is Action.SET_PORT:
            self.set_port(step)
        elif a in (Action.ADD_ADDRESS, Action.REMOVE_ADDRESS):
            netns, name, cidr = step.netns, step.name, step.cidr
            add = lambda: k.add_address(netns, name, cidr)
            remove = lambda: k.remove_address(netns, name, cidr)
            if a is Action.ADD_ADDRESS:
                self.op(step, f"add {cidr} to {name}", add, remove, f"remove {cidr} from {name}")
            else:
                self.op(step, f"remove {cidr} from {name}", remove, add, f"add {cidr} to {name} again")
        elif a in ROUTING_ACTIONS:
            from . import routing  # only now: a spec without routing never loads its modules

            routing.perform(self, step)
        elif a is Action.SET_STATE:
            o, state = step.before, step.new_state
            before = _admin_state(o)
            self.op(step, f"set {step.name} {state.value}", lambda: k.set_state(step.netns, step.name, state),
                    lambda: self.set_state_back(o, before), f"set {step.name} {before.value} again")

    def enslave(self, step: Step) -> None:
        k, o, master = self.kernel, step.before, step.master_link
        if step.down_first:
            self.op(step, f"set {o.name} down", lambda: k.set_state(o.netns, o.name, AdminState.DOWN),
                    lambda: self.set_state_back(o, AdminState.UP), f"set {o.name} up again")
        if master.kind is LinkKind.TEAM:
            staged = team_port_stage(step.membership, master)
            if staged is not None:
                self.op(step, f"stage team port {o.name}'s settings", lambda: k.run_tool(master.netns, staged), None)
            do = lambda: k.run_tool(master.netns, ipcmd.enslave(o.name, master))
            undo = lambda: k.run_tool(master.netns, ipcmd.in_netns(master.netns, "teamdctl", master.name, "port", "remove", o.name))
        else:
            do = lambda: k.set_master(o.netns, o.name, master.name)
            undo = lambda: self.reattach(o)
            mac = self.mac_to_keep(master)
            if mac is not None:
                # a bond takes its first port's MAC and, when its last port leaves, gets a random
                # one: undoing this enslavement must give it back the MAC it had before
                def undo():
                    self.reattach(o)
                    self.restore_mac(master, mac)
        self.op(step, f"enslave {o.name} to {master.name}", do, undo, f"put {o.name} back under {o.master or 'no master'}")

    def mac_to_keep(self, master: Link) -> str | None:
        """A portless bond's MAC before its first port is enslaved (None: nothing to keep)."""
        if master.kind is not LinkKind.BOND or master.key in self.given_ports:
            return None
        self.given_ports.add(master.key)
        before = self.state.get(master.netns, master.name)
        if before is None or self.state.ports_of(before):
            return None  # made by this plan (its undo deletes it), or kept its ports' MAC all along
        return before.link.mac

    def restore_mac(self, master: Link, mac: str) -> None:
        if self.kernel.exists(master.netns, master.name):
            self.kernel.set_link(master.netns, master.name, IFLA_ADDRESS=mac)

    def set_port(self, step: Step) -> None:
        k, o, master, port = self.kernel, step.before, step.master_link, step.membership
        fields = _port_field_names(port, step.settings)
        self.op(
            step,
            f"set port {o.name} {', '.join(step.settings)}",
            lambda: k.set_port(o.netns, o.name, master.kind, port.options, fields),
            (lambda: k.set_port(o.netns, o.name, master.kind, o.port_options, fields)) if o.port_options else None,
            f"set port {o.name} {', '.join(step.settings)} back",
        )

    # -- undo helpers --------------------------------------------------------

    def modify_back(self, o: Observed, spec: Link, fields) -> None:
        """Set ``o``'s settings back and, for its MTU, the MTU of the links stacked on it: the
        kernel lowers theirs with their lower device's, and does not raise it again."""
        self.kernel.modify(_as(o.link, spec), fields)
        if "mtu" not in fields:
            return
        for child in self.state.children_of(o):
            if child.link.mtu is not None and self.kernel.exists(child.netns, child.name):
                self.kernel.set_link(child.netns, child.name, IFLA_MTU=child.link.mtu)

    def set_state_back(self, o: Observed, state: AdminState) -> None:
        """Give ``o`` back its admin state and, when it comes back up, the addresses the
        kernel dropped when it went down (its IPv6 ones): a rollback restores all it changed."""
        self.kernel.set_state(o.netns, o.name, state)
        if state is AdminState.UP and o.link.state is AdminState.UP:
            self.kernel.restore_addresses(o.netns, o.name, dropped_when_down(o))

    def delete(self, o: Observed) -> None:
        self.kernel.delete(o.netns, o.name, o.link.kind)
        if o.peer is not None:
            self.kernel.forget(o.peer.netns, o.peer.name)

    def delete_created(self, link: Link) -> None:
        self.kernel.delete(link.netns, link.name, link.kind)
        if link.peer is not None:
            self.kernel.forget(link.peer.netns, link.peer.name)

    def reattach(self, o: Observed) -> None:
        """Put ``o`` back under its old master (or none) with its old port settings."""
        k = self.kernel
        if not k.exists(o.netns, o.name) or (o.master and not k.exists(o.netns, o.master)):
            return  # whichever of the two comes back last re-attaches them
        master = self.state.get(o.netns, o.master) if o.master else None
        down_first = master is not None and master.link.kind in DOWN_FIRST
        if down_first:
            # bonds and teams take only ports that are down (EPERM "Device can not be enslaved
            # while up"), as on the forward path (Step.down_first); a port up before the plan is up
            # here again (the undo of that down_first, "set up again", ran before this one)
            k.set_state(o.netns, o.name, AdminState.DOWN)
        k.set_master(o.netns, o.name, o.master)
        if master is not None and o.port_options is not None and master.link.kind is not LinkKind.TEAM:
            fields = [f.name for f in fields_of(o.port_options)]
            k.set_port(o.netns, o.name, master.link.kind, o.port_options, fields)
        if down_first and o.link.state is not None:
            # enslaving opens a bond's port whatever its state was: give it back the one it had
            k.set_state(o.netns, o.name, o.link.state)

    def restore_membership(self, o: Observed) -> None:
        """Master, port settings, addresses, then admin state, as ``o`` had them."""
        if o.master is not None:
            self.reattach(o)
        self.kernel.restore_addresses(o.netns, o.name, o.link.addresses)
        if o.link.state is AdminState.UP:
            self.kernel.set_state(o.netns, o.name, AdminState.UP)

    def restore(self, o: Observed, ports) -> None:
        """Make a deleted link again as it was (a veth with its peer), then its ports."""
        link = _recreatable(o)
        group = [o]
        if o.link.kind is LinkKind.VETH and o.peer is not None:
            peer = self.state.get(o.peer.netns, o.peer.name)
            peer_link = _recreatable(peer) if peer is not None else Link(name=o.peer.name, kind=LinkKind.VETH, netns=o.peer.netns)
            link = dataclasses.replace(link, peer=peer_link)
            if peer is not None:
                group.append(peer)
        parent_netns = o.link.parent.netns if o.link.parent is not None else o.netns
        self.kernel.create(link, parent_netns=parent_netns, master=None, up=False)
        if o.link.kind in (LinkKind.TAP, LinkKind.TUN):
            self.kernel.modify(link, ("mtu", "mac", "txqueuelen"))
        for member in group:
            self.restore_membership(member)
        for port in ports:
            self.reattach(port)

    def move_back(self, o: Observed, target) -> None:
        self.kernel.move(target, o.name, o.netns)
        self.restore_membership(o)


def _recreatable(o: Observed) -> Link:
    """The link as a create request should describe it: settings that differ from the kernel's defaults."""
    kind = o.link.kind
    options = o.link.options
    if options is not None:
        options = kinds.spec(kind).chosen(options)
        mode = getattr(o.link.options, "mode", None)
        if kind is LinkKind.BOND and options is not None and mode:
            options = dataclasses.replace(options, mode=mode)
    return dataclasses.replace(o.link, options=options, addresses=(), state=None, ports=())


def _admin_state(o: Observed) -> AdminState:
    """A live link's admin state, which the reader always knows (up or down)."""
    if o.link.state is None:
        raise ValueError(f"{o.name}: read without its admin state")
    return o.link.state


def _as(live: Link, spec: Link) -> Link:
    """The live values in the shape of the spec's link (for setting them back)."""
    options = live.options if live.options is not None and spec.options is not None and type(live.options) is type(spec.options) else None
    return dataclasses.replace(spec, options=options, mtu=live.mtu, mac=live.mac, txqueuelen=live.txqueuelen)


def _field_names(link: Link, settings) -> tuple[str, ...]:
    if link.options is None:
        return tuple(settings)
    by_key = {key: name for key, (name, _) in kinds.settings(type(link.options)).items()}
    return tuple(by_key.get(s, s) for s in settings)


def _port_field_names(port, settings) -> tuple[str, ...]:
    if port.options is None:
        return tuple(settings)
    by_key = {key: name for key, (name, _) in kinds.settings(type(port.options)).items()}
    return tuple(by_key.get(s, s) for s in settings)
