"""Which links exist and where: the planner's RequireLink and CreateLink evaluated live.

- with ``prune``, links the spec does not mention are deleted before the
  first link operation (never physical ones, nor kinds netscript cannot make
  again, nor a veth whose peer the spec declares physical: deleting one end
  of a pair deletes the other);
- a link found in another namespace than the spec's is moved;
- one whose kind or create-only settings differ is deleted to be made again,
  after everything stacked on it, which the kernel would delete anyway;
- a missing one is created, its request folding in its settings, a bridge
  or VRF master and ``up`` (a stacked link's only if its lower device is up
  by then), so a bridge port costs one request, not four.
"""

from __future__ import annotations

import dataclasses

from ... import kinds
from ...frontends.kernel.state import Observed
from ...ir.model import AdminState, Link, LinkKind, Ref
from ...plan import both_ends
from . import compare
from . import steps as st
from .simulation import Simulation
from .steps import Action, Step

FOLD_MASTERS = (LinkKind.BRIDGE, LinkKind.VRF)  # ports may join these while up
# A bridge given its MTU at creation still follows its ports' MTU; set after, it keeps it.
MTU_AFTER_CREATE = (LinkKind.BRIDGE,)
NOT_FOLDED = (LinkKind.TAP, LinkKind.TUN, LinkKind.TEAM)  # made by ioctl or teamd


class LinkStructure(Simulation):
    def delete_tree(self, o: Observed, reason: str, differences=()) -> bool:
        """Delete ``o`` after everything stacked on it; a veth takes its peer along.

        False when it may not be deleted: its veth peer is a link the spec declares
        physical (reported once, as NS508).
        """
        if (o.netns, o.name) not in self.sim:
            return True
        group = [o]
        if o.link.kind is LinkKind.VETH and o.peer is not None:
            peer = self.sim.get((o.peer.netns, o.peer.name))
            if peer is not None:
                group.append(peer)
        physical = [m for m in group if self.physical_in_spec(m)]
        if physical:
            if (o.netns, o.name) not in self.kept:
                self.kept.add((o.netns, o.name))
                self.problem(
                    "NS508",
                    f"{o.name} cannot be deleted{_in(o.netns)} ({reason}): its veth peer {physical[0].name} "
                    "goes with it, and the spec declares that one physical",
                    self.index.get(physical[0].netns, physical[0].name),
                    hint=f"rename {o.name} in the spec, or leave the pair alone",
                )
            return False
        for member in group:
            for child in self.children(member):
                self.delete_tree(child, f"stacked on {member.name}, which goes")
        if o.in_use:
            reason += "; in use: a process holds it open and loses it"
        self.emit(
            Step(
                action=Action.DELETE,
                netns=o.netns,
                name=o.name,
                live=o,
                commands=st.delete_commands(o.link),
                disrupts=True,
                reason=reason,
                differences=tuple(differences),
            )
        )
        for member in group:
            self.sim.pop((member.netns, member.name), None)
            for port in self.ports(member):
                self.sim[(port.netns, port.name)] = dataclasses.replace(port, master=None, port_options=None)
        return True

    def prune_unmentioned(self, namespaces) -> None:
        for netns in namespaces:
            for o in [o for o in self.sim.values() if o.netns == netns]:
                if (o.netns, o.name) in self.spec_keys or (o.netns, o.name) not in self.sim:
                    continue
                if not o.known or o.link.kind is LinkKind.PHYSICAL:
                    continue  # never delete what netscript cannot make again
                if o.link.kind is LinkKind.VETH and o.peer is not None and self.physical_in_spec(o.peer):
                    continue  # a veth standing in for a physical link: deleting this end deletes that one
                if self.wanted_elsewhere(o):
                    continue  # the spec wants it in another namespace: it will be moved
                self.delete_tree(o, "not in the spec")

    def physical_in_spec(self, o) -> bool:
        """Whether the spec declares ``o`` (an Observed or a Ref) as an existing (physical) link."""
        link = self.index.get(o.netns, o.name)
        return link is not None and link.kind is LinkKind.PHYSICAL

    def wanted_elsewhere(self, o: Observed) -> bool:
        """Whether the spec wants ``o`` in another namespace, where evaluating its RequireLink or CreateLink moves it."""
        return any(
            link.name == o.name and link.netns != o.netns and self.live(link.key) is None and self.find_elsewhere(link) is o
            for link in self.program.all_links()
        )

    def require(self, link: Link) -> None:
        """RequireLink: an existing link found in another namespace is moved; a missing one is reported."""
        self.move_if_elsewhere(link)
        if self.live(link.key) is None:
            self.problem(
                "NS502", f"{link.name} does not exist{_in(link.netns)}; the spec uses it as an existing interface", link
            )

    def ensure(self, link: Link) -> None:
        """CreateLink: make ``link`` (and a veth's peer) exist as the spec describes it.

        An end of another kind, or with other create-only settings, lower device
        or peer, is deleted to be made again; an end found in another namespace
        is moved; what is missing then is created.
        """
        for each in both_ends(link):
            self.recreate_if_differing(each)
        for each in both_ends(link):
            self.move_if_elsewhere(each)
        self.create_if_missing(link)

    def recreate_if_differing(self, each: Link) -> None:
        o = self.live(each.key)
        if o is None or each.kind is LinkKind.PHYSICAL:
            return
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
                return
            self.delete_tree(o, f"to recreate: it is a {o.link.kind.value}, the spec says {each.kind.value}")
            return
        reasons = compare.option_differences(each, o, create_only=True)
        parent = compare.parent_difference(each, self.index.parent_key(each), o)
        if parent is not None:
            reasons.append(parent)
        peer = compare.peer_difference(each, self.peer_name(each), o)
        if peer is not None:
            reasons.append(peer)
        if reasons:
            why = ", ".join(f"{d.attribute} {st._show(d.actual)} -> {st._show(d.wanted)}" for d in reasons)
            self.delete_tree(o, f"to recreate: {why}", reasons)

    def move_if_elsewhere(self, link: Link) -> None:
        if self.live(link.key) is not None:
            return
        found = self.find_elsewhere(link)
        if found is None:
            return
        self.emit(
            Step(
                action=Action.MOVE,
                netns=found.netns,
                name=found.name,
                spec=link,
                live=found,
                target_netns=link.netns,
                commands=st.move_commands(found.netns, found.name, link.netns),
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
        """A link of the live state named as ``link`` in another namespace, where the spec does not want one."""
        for key in self.read_by_name.get(link.name, ()):
            o = self.sim.get(key)
            if o is None or key[0] == link.netns or key in self.spec_keys:
                continue
            if not compare.kind_matches(link, o):
                continue
            if link.kind is LinkKind.VETH and compare.peer_difference(link, self.peer_name(link), o) is not None:
                continue
            return o
        return None

    def create_if_missing(self, link: Link) -> None:
        if link.kind is LinkKind.VETH and link.peer is not None:
            near_there = self.live(link.key) is not None
            far_there = self.live(link.peer.key) is not None
            if near_there and far_there:
                return
            for key in (link.key, link.peer.key):  # half a pair: its far end is out of reach
                o = self.live(key)
                if o is not None and not self.delete_tree(o, "to recreate: its peer is not where the spec says"):
                    return
        elif self.live(link.key) is not None:
            return
        self.create(link)

    def create(self, link: Link) -> None:
        parent_key = self.index.parent_key(link)
        near, far = st.ends(link)
        folded = link.kind not in NOT_FOLDED
        master = self.foldable_master(near) if folded else None
        up = near.state is AdminState.UP and folded and self.lower_is_up(parent_key)
        # A veth peer's `up` is not folded, though its header could carry it: the kernel opens
        # the peer before it joins the pair, and a veth without its peer refuses to open
        # (ENOTCONN, as `ip link add a type veth peer name b up` gets). Its SetState follows.
        self.emit(
            Step(
                action=Action.CREATE,
                netns=link.netns,
                name=link.name,
                spec=link,
                master=master,
                state=AdminState.UP if up else None,
                parent_netns=parent_key[0] if parent_key else link.netns,
                commands=st.create_commands(link, parent_key[0] if parent_key else link.netns, master, up),
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
                info_kind=kinds.spec(end.kind).netlink_kind,
            )
            self.sim[end.key] = predicted
            self.created.add(end.key)

    def lower_is_up(self, parent_key) -> bool:
        """Whether a stacked link may be created up: its lower device is up by then.

        A vlan refuses to open on a lower device that is down (ENETDOWN, unless
        loose_binding), and the lower device's own ``up`` may be a later step (admin
        state is set last, lower devices first). If it is not up yet, the link is
        created down and its SetState brings it up after its lower device's.
        """
        if parent_key is None:
            return True
        lower = self.live(parent_key)
        return lower is not None and lower.link.state is AdminState.UP

    def foldable_master(self, end: Link) -> Link | None:
        master = self.index.master(end)
        if master is None or master.kind not in FOLD_MASTERS:
            return None
        return master if self.live(master.key) is not None else None


def _in(netns) -> str:
    return f" in namespace {netns}" if netns else ""
