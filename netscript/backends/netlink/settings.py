"""What changes links in place: the planner's ConfigureLink, Enslave, ConfigurePort,
ConfigureLate, SetState and AddAddress evaluated live.

Each compares the spec with the simulated state the operations before it
leave (:mod:`.simulation`) and emits a step only for what differs; the
planner's order is the one the kernel needs (a lower device's settings
before what is stacked on it, per-port settings after enslaving, which
resets them, links taken down before addresses, up last).
"""

from __future__ import annotations

import dataclasses
import ipaddress

from ... import kinds
from ...frontends.kernel.state import Observed
from ...ir.make import replacing
from ...ir.model import Address, AdminState, Link, LinkKind, Port
from ...netlink import schema
from ...plan import Enslave, both_ends
from . import compare
from . import steps as st
from .simulation import Simulation
from .steps import Action, Step

# a SetState copies the link it changes in the simulation: hundreds in a plan
_replace_observed = replacing(Observed)
_replace_link = replacing(Link)


class LinkSettings(Simulation):
    def modify_in_place(self, each: Link) -> None:
        """Set what differs of ``each``'s own settings (MTU, MAC, queue length, kind options).

        A lower device's are set as soon as it exists, before the links stacked
        on it are made: they inherit its MTU, and the kernel refuses one that
        asks for more than its lower device has. A second call finds nothing.
        """
        o = self.live(each.key)
        if o is None or not compare.kind_matches(each, o):
            return
        diffs = compare.common_differences(each, o)
        if each.kind is not LinkKind.TEAM:  # a team's settings are all create-only
            diffs += compare.option_differences(each, o, create_only=False)
        if not diffs:
            return
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
                commands=st.modify_commands(each, _fields(each, settings)),
                disrupts="mac" in settings and self.existed(each.key),
            )
        )
        self.sim[each.key] = _with_settings(o, each, settings)

    def release_unwanted(self) -> None:
        """With ``--prune``, before the ports are enslaved: each master lets go of the ports the spec does not give it."""
        for master in self.order:
            if not kinds.spec(master.kind).is_master or (live_master := self.live(master.key)) is None:
                continue
            wanted = [p.name for p in master.ports]
            for held in self.ports(live_master):
                if held.name in wanted:
                    continue
                self.emit(
                    Step(
                        action=Action.RELEASE,
                        netns=held.netns,
                        name=held.name,
                        live=held,
                        master_name=master.name,
                        commands=st.release_commands(held.netns, held.name),
                        disrupts=True,
                    )
                )
                self.sim[(held.netns, held.name)] = dataclasses.replace(held, master=None, port_options=None)

    def enslave(self, operation: Enslave) -> None:
        """Enslave: the port's master is not the spec's -> enslave it (taken down first, for a bond or team)."""
        port, master = operation.port, operation.master
        key = (master.netns, port.name)
        o = self.live(key)
        port_link = self.index.get(*key)
        if self.live(master.key) is None or o is None or port_link is None:
            return
        d = compare.master_difference(port_link, master, o)
        if d is None:
            if master.kind is LinkKind.TEAM:
                self.team_port_settings(port, master, port_link, o)
            return
        down_first = operation.down_first and o.link.state is AdminState.UP
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
                commands=st.enslave_commands(port, master, down_first),
                disrupts=self.existed(key),
            )
        )
        self.sim[key] = dataclasses.replace(
            went_down(o) if down_first else o,
            master=master.name,
            # a team port's settings are staged with it; other masters start from defaults
            port_options=port.options if master.kind is LinkKind.TEAM else None,
        )

    def configure_port(self, port: Port, master: Link) -> None:
        """ConfigurePort: the port's settings under its master that differ."""
        key = (master.netns, port.name)
        o = self.live(key)
        port_link = self.index.get(*key)
        if o is None or port_link is None or o.master != master.name:
            return
        diffs = compare.port_differences(port, master, port_link, o)
        if not diffs:
            return
        settings = tuple(d.attribute.removeprefix("port ") for d in diffs)
        unsendable = [s for s in settings if not _sendable_port_setting(master.kind, s)]
        if unsendable:
            self.problem(
                "NS510",
                f"{port.name}: {master.kind.value} port setting {', '.join(unsendable)} cannot be sent "
                "over netlink (no netlink attribute is known for it)",
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
                commands=st.port_commands(port, master, _port_fields(port, settings)),
            )
        )
        self.sim[key] = dataclasses.replace(o, port_options=port.options)

    def team_port_settings(self, port: Port, master: Link, port_link: Link, o: Observed) -> None:
        """A port already in its team whose settings differ: teamd takes them only when the port is added."""
        diffs = compare.port_differences(port, master, port_link, o)
        if diffs:
            settings = ", ".join(d.attribute.removeprefix("port ") for d in diffs)
            self.problem(
                "NS510",
                f"{port.name}: teamd takes a port's settings ({settings}) only when the port is added",
                port_link,
                hint=f"remove it from the team (teamdctl {master.name} port remove {port.name}) and apply again",
            )

    def late_settings(self, link: Link) -> None:
        """ConfigureLate: settings that name ports (a bond's primary), once the ports are enslaved."""
        o = self.live(link.key)
        if o is None or not compare.kind_matches(link, o):
            return
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
                    commands=st.late_commands(link, settings),
                )
            )

    def prune_addresses(self) -> None:
        """With ``--prune``, before the addresses are added: the ones the spec does not state come off its links.

        One the spec wants on another link is left to that link's AddAddress, which moves it.
        """
        wanted = {(each.netns, a.cidr) for link in self.order for each in both_ends(link) for a in each.addresses}
        for link in self.order:
            for each in both_ends(link):
                o = self.live(each.key)
                if o is None:
                    continue
                _, extra = compare.address_differences(each, o, prune=True)
                for cidr in extra:
                    if not any(_same_interface(cidr, c) for netns, c in wanted if netns == each.netns):
                        self.remove_address(each, o, cidr)

    def add_address(self, link: Link, address: Address) -> None:
        """AddAddress: missing on the link -> added, taken first off another link of its namespace that holds it."""
        for o in [o for o in self.sim.values() if o.netns == link.netns and o.name != link.name]:
            held = next((a for a in o.link.addresses if _same_interface(a.cidr, address.cidr)), None)
            if held is not None:
                self.remove_address(o.link, o, held.cidr, reason=f"to move it to {link.name}")
        o = self.live(link.key)
        if o is None:
            return
        missing, _ = compare.address_differences(dataclasses.replace(link, addresses=(address,)), o, prune=False)
        for cidr in missing:
            self.emit(self.address_step(Action.ADD_ADDRESS, link, o, cidr))

    def remove_address(self, link: Link, o: Observed, cidr: str, reason: str = "") -> None:
        self.emit(dataclasses.replace(self.address_step(Action.REMOVE_ADDRESS, link, o, cidr), reason=reason))
        kept = tuple(a for a in o.link.addresses if a.cidr != cidr)
        self.sim[(o.netns, o.name)] = dataclasses.replace(o, link=dataclasses.replace(o.link, addresses=kept))

    def address_step(self, action: Action, link: Link, o: Observed, cidr: str) -> Step:
        add = action is Action.ADD_ADDRESS
        return Step(
            action=action,
            netns=link.netns,
            name=link.name,
            spec=link,
            live=o,
            address=cidr,
            commands=st.address_commands(link, cidr, add),
            disrupts=not add,
        )

    def admin_state(self, link: Link, state: AdminState) -> None:
        """SetState: ``down`` before the addresses (the kernel drops IPv6 addresses when a link goes
        down), ``up`` after them, lower devices first."""
        o = self.live(link.key)
        if o is None:
            return
        d = compare.state_difference(link, o)
        if d is None:
            return
        self.emit(
            Step(
                action=Action.SET_STATE,
                netns=link.netns,
                name=link.name,
                spec=link,
                live=o,
                state=state,
                differences=(d,),
                commands=st.state_commands(link, state),
                disrupts=state is AdminState.DOWN and self.existed(link.key),
            )
        )
        if state is AdminState.DOWN:
            self.sim[link.key] = went_down(o)
        else:
            self.sim[link.key] = _replace_observed(o, link=_replace_link(o.link, state=state))


def went_down(o: Observed) -> Observed:
    """``o`` after it is taken down: the kernel drops its IPv6 addresses then (unless the
    sysctl keep_addr_on_down says otherwise, when adding them again changes nothing)."""
    if o.link.state is not AdminState.UP:
        return o
    kept = tuple(a for a in o.link.addresses if ":" not in a.cidr)
    return _replace_observed(o, link=_replace_link(o.link, state=AdminState.DOWN, addresses=kept), link_local=())


def dropped_when_down(o: Observed) -> tuple:
    """The addresses of ``o`` the kernel drops when it goes down (its IPv6 ones)."""
    return tuple(a for a in o.link.addresses if ":" in a.cidr)


def _sendable_port_setting(master_kind: LinkKind, setting: str) -> bool:
    table = schema.TABLES.get(master_kind)
    return table is not None and table.row(setting) is not None and setting in {r.field for r in table.port_rows}


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
        values = {f.name: getattr(options, f.name, None) for f in st.fields_of(spec.options)} if options else {}
        values.update({n: getattr(spec.options, n) for n in names if hasattr(spec.options, n)})
        options = type(spec.options)(**{k: v for k, v in values.items() if v is not None})
    return dataclasses.replace(o, link=dataclasses.replace(o.link, options=options, **changes))


def _same_interface(a: str, b: str) -> bool:
    return ipaddress.ip_interface(a).ip == ipaddress.ip_interface(b).ip
