"""What a live plan is made of: steps, each with the `ip` command that would do the same.

A :class:`Step` is one change to one link (or namespace): what to do, the
attribute differences that call for it, whether it disrupts traffic, and the
equivalent ``ip`` commands, built with the bash backend's own
:mod:`~netscript.backends.ipcmd` so both backends speak the same words.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from ...ir.model import AdminState, Link, LinkKind, Port
from .. import ipcmd

if TYPE_CHECKING:
    from ...frontends.kernel.state import Observed

T = TypeVar("T")


class Action(enum.Enum):
    ADD_NETNS = "add-netns"
    DELETE = "delete"
    MOVE = "move"
    CREATE = "create"
    MODIFY = "modify"
    RELEASE = "release"
    ENSLAVE = "enslave"
    SET_PORT = "set-port"
    SET_LATE = "set-late"  # settings that name ports (a bond's primary)
    ADD_ADDRESS = "add-address"
    REMOVE_ADDRESS = "remove-address"
    SET_STATE = "set-state"
    # routes, rules, neighbours and sysctls (:mod:`.routing`): ``name`` is the item in ip's words
    SET_SYSCTL = "set-sysctl"
    ADD_ROUTE = "add-route"
    REPLACE_ROUTE = "replace-route"
    DELETE_ROUTE = "delete-route"
    ADD_RULE = "add-rule"
    DELETE_RULE = "delete-rule"
    ADD_NEIGHBOUR = "add-neighbour"
    REPLACE_NEIGHBOUR = "replace-neighbour"
    DELETE_NEIGHBOUR = "delete-neighbour"


# How `netscript plan` marks each action.
SIGILS = {
    Action.ADD_NETNS: "+",
    Action.CREATE: "+",
    Action.ADD_ADDRESS: "+",
    Action.DELETE: "-",
    Action.REMOVE_ADDRESS: "-",
    Action.RELEASE: "-",
    Action.ADD_ROUTE: "+",
    Action.ADD_RULE: "+",
    Action.DELETE_ROUTE: "-",
    Action.DELETE_RULE: "-",
    Action.ADD_NEIGHBOUR: "+",
    Action.DELETE_NEIGHBOUR: "-",
}

ROUTING_ACTIONS = frozenset({Action.SET_SYSCTL, Action.ADD_ROUTE, Action.REPLACE_ROUTE, Action.DELETE_ROUTE,
                             Action.ADD_RULE, Action.DELETE_RULE, Action.ADD_NEIGHBOUR, Action.REPLACE_NEIGHBOUR,
                             Action.DELETE_NEIGHBOUR})  # fmt: skip


@dataclass(frozen=True, slots=True)
class Difference:
    """One attribute of one link that is not as the spec says."""

    netns: str | None
    link: str
    attribute: str
    wanted: object
    actual: object

    def __str__(self) -> str:
        where = f"{self.link}@{self.netns}" if self.netns else self.link
        return f"{where}: {self.attribute}: wanted {_show(self.wanted)}, actual {_show(self.actual)}"

    def as_dict(self) -> dict:
        return {
            "netns": self.netns,
            "link": self.link,
            "attribute": self.attribute,
            "wanted": _show(self.wanted),
            "actual": _show(self.actual),
        }


def _show(value) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, tuple):
        return ",".join(_show(v) for v in value) or "(none)"
    return str(value)


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    action: Action
    netns: str | None
    name: str  # the link (or namespace) acted on
    spec: Link | None = None  # the link as the spec wants it
    live: Observed | None = None  # the link before the step (None: not there)
    differences: tuple[Difference, ...] = ()
    commands: tuple[tuple[str, ...], ...] = ()
    disrupts: bool = False
    reason: str = ""  # why, in words ("to recreate: id 10 -> 20")
    # action-specific
    master: Link | None = None  # CREATE (folded) / ENSLAVE / SET_PORT
    master_name: str | None = None  # RELEASE: the old master
    port: Port | None = None
    address: str | None = None
    state: AdminState | None = None  # SET_STATE; CREATE: folded admin state
    target_netns: str | None = None  # MOVE
    parent_netns: str | None = None  # CREATE: where the lower device is
    down_first: bool = False  # ENSLAVE: bond and team ports must be down
    settings: tuple[str, ...] = ()  # MODIFY / SET_PORT / SET_LATE: the settings to change
    item: object | None = None  # ROUTING_ACTIONS: the Route, Rule, Neighbour or Sysctl to make (or delete)
    replaced: object | None = None  # REPLACE_ROUTE, REPLACE_NEIGHBOUR: the live one; SET_SYSCTL: the value read
    table: int | None = None  # routes and rules: the table's number (a VRF's resolved)

    # What an action's steps always carry, for whoever acts on it: the spec (CREATE, MODIFY,
    # SET_LATE, MOVE, SET_STATE, addresses), the live link (all but ADD_NETNS and CREATE), the
    # master and port (ENSLAVE, SET_PORT), the address, the state (SET_STATE). Asking a step
    # for one it lacks is a planner bug.

    @property
    def wanted(self) -> Link:
        return self._needs(self.spec, "spec")

    @property
    def before(self) -> Observed:
        return self._needs(self.live, "live link")

    @property
    def master_link(self) -> Link:
        return self._needs(self.master, "master")

    @property
    def membership(self) -> Port:
        return self._needs(self.port, "port")

    @property
    def cidr(self) -> str:
        return self._needs(self.address, "address")

    @property
    def new_state(self) -> AdminState:
        return self._needs(self.state, "state")

    def _needs(self, value: T | None, what: str) -> T:
        if value is None:
            raise ValueError(f"planner bug: a {self.action.value} step on {self.name} without its {what}")
        return value

    @property
    def title(self) -> str:
        """``create bridge br0``, ``modify br0 (mtu, stp_state)``..."""
        kind = self.spec or (self.live.link if self.live is not None else None)
        kind_word = f"{kind.kind.value} " if kind is not None else ""
        if self.action is Action.ADD_NETNS:
            return f"add namespace {self.name}"
        if self.action in ROUTING_ACTIONS:
            verb = {Action.SET_SYSCTL: "set sysctl"}.get(self.action, self.action.value.replace("-", " "))
            return f"{verb} {self.name}"
        if self.action in (Action.CREATE, Action.DELETE):
            extra = f" ({self.reason})" if self.reason else ""
            peer = getattr(self.live, "peer", None)
            if self.action is Action.DELETE and peer is not None:
                extra = f" and its peer {peer.name}" + extra  # the kernel deletes both ends
            return f"{self.action.value} {kind_word}{self.name}{extra}"
        if self.action is Action.MOVE:
            return f"move {self.name} to {_ns(self.target_netns)}"
        if self.action is Action.ENSLAVE:
            return f"enslave {self.name} to {self.master_link.name}"
        if self.action is Action.RELEASE:
            return f"release {self.name} from {self.master_name}"
        if self.action in (Action.ADD_ADDRESS, Action.REMOVE_ADDRESS):
            verb = "add" if self.action is Action.ADD_ADDRESS else "remove"
            return f"{verb} {self.address} {'to' if verb == 'add' else 'from'} {self.name}"
        if self.action is Action.SET_STATE:
            return f"set {self.name} {self.new_state.value}"
        label = {Action.MODIFY: "modify", Action.SET_PORT: "set port", Action.SET_LATE: "modify"}[self.action]
        return f"{label} {self.name} ({', '.join(self.settings)})"

    def as_dict(self) -> dict:
        return {
            "action": self.action.value,
            "netns": self.netns,
            "link": self.name,
            "title": self.title,
            "disrupts": self.disrupts,
            "differences": [d.as_dict() for d in self.differences],
            "ip": [" ".join(c) for c in self.commands],
        }


def _ns(netns) -> str:
    return f"namespace {netns}" if netns else "the caller's namespace"


# -- the equivalent ip commands ------------------------------------------


def fields_of(options: object) -> tuple[dataclasses.Field, ...]:
    """The fields of a kind's or a port's options, a dataclass instance (which IR types only as ``object``)."""
    if not dataclasses.is_dataclass(options):
        raise TypeError(f"not an options dataclass: {options!r}")  # as dataclasses.fields() would
    return dataclasses.fields(options)


def _only(link: Link, settings) -> Link:
    """``link`` with only ``settings`` (common ones and kind options) kept, for `ip link set`."""
    keep = set(settings)
    options = link.options
    if options is not None:
        values = {f.name: getattr(options, f.name) for f in fields_of(options) if f.name in keep}
        options = type(options)(**values) if any(v is not None for v in values.values()) else None
    return dataclasses.replace(
        link,
        options=options,
        mtu=link.mtu if "mtu" in keep else None,
        mac=link.mac if "mac" in keep else None,
        txqueuelen=link.txqueuelen if "txqueuelen" in keep else None,
    )


Commands = tuple[tuple[str, ...], ...]  # a step's `ip` commands, each as its words


def _as_tuples(build: Callable[..., list[list[str]]]) -> Callable[..., Commands]:
    """The commands ``build`` makes, as tuples, which a (frozen) Step keeps: made so once, here."""

    @functools.wraps(build)
    def commands(*args, **kwargs) -> Commands:
        return tuple(tuple(c) for c in build(*args, **kwargs))

    return commands


def ends(link: Link) -> tuple[Link, Link | None]:
    """(the end a create request names, the veth peer made with it); (link, None) for other kinds.

    Like `ip`, create from the end in the caller's namespace when there is
    one: a request can put the peer in any namespace but the caller's.
    """
    if link.kind is not LinkKind.VETH or link.peer is None:
        return link, None
    if link.netns and link.peer.netns is None:
        return link.peer, dataclasses.replace(link, peer=None)
    return link, link.peer


@_as_tuples
def create_commands(link: Link, parent_netns, master: Link | None, up: bool) -> list[list[str]]:
    """`ip link add` with everything the netlink request folds in: settings, master, up.

    ``master`` and ``up`` concern the end the request names (see :func:`ends`).
    """
    commands = [list(c) for c in ipcmd.create(link, parent_netns)]
    if link.kind in (LinkKind.TAP, LinkKind.TUN, LinkKind.TEAM):
        return commands  # made by ioctl or teamd: settings follow in steps of their own
    first = commands[0]
    near, far = ends(link)
    extra = ipcmd.common_words(dataclasses.replace(near, mtu=None) if near.kind is LinkKind.BRIDGE else near)
    if master is not None:
        extra += ["master", master.name]
    if up:
        extra += ["up"]
    at = first.index("type")
    first[at:at] = extra
    if far is not None:
        first += ipcmd.common_words(far)
    else:
        first += ipcmd.kind_words(_mutable(link))
    return commands


def _mutable(link: Link):
    from ...plan import mutable_options

    return mutable_options(link)


@_as_tuples
def modify_commands(link: Link, settings) -> list[list[str]]:
    words = ipcmd.configure(_only(link, settings))
    return [words] if words else []


@_as_tuples
def late_commands(link: Link, settings) -> list[list[str]]:
    return [ipcmd.configure_late(_only(link, settings))]


@_as_tuples
def port_commands(port: Port, master: Link, settings) -> list[list[str]]:
    options = port.options
    if options is not None:
        values = {f.name: getattr(options, f.name) for f in fields_of(options) if f.name in settings}
        options = type(options)(**values)
    return [ipcmd.configure_port(dataclasses.replace(port, options=options), master)]


@_as_tuples
def enslave_commands(port: Port, master: Link, down_first: bool) -> list[list[str]]:
    out = [ipcmd.set_down(master.netns, port.name)] if down_first else []
    staged = team_port_stage(port, master)
    return out + ([staged] if staged else []) + [ipcmd.enslave(port.name, master)]


def team_port_stage(port: Port, master: Link) -> list[str] | None:
    """teamd applies a port's settings when the port is added: they go into its config first."""
    if master.kind is not LinkKind.TEAM or port.options is None:
        return None
    if not any(getattr(port.options, f.name) is not None for f in fields_of(port.options)):
        return None
    return ipcmd.in_netns(
        master.netns, "teamdctl", master.name, "port", "config", "update", port.name, ipcmd.team_port_config(port)
    )


@_as_tuples
def release_commands(netns, name: str) -> list[list[str]]:
    return [ipcmd.ip(netns, "link", "set", "dev", name, "nomaster")]


@_as_tuples
def move_commands(netns, name: str, target) -> list[list[str]]:
    where = target if target is not None else str(os.getpid())  # `ip` takes a pid for a nameless one
    return [ipcmd.ip(netns, "link", "set", "dev", name, "netns", where)]


@_as_tuples
def delete_commands(link: Link) -> list[list[str]]:
    return [list(c) for c in ipcmd.delete(link)]


@_as_tuples
def address_commands(link: Link, cidr: str, add: bool) -> list[list[str]]:
    if add:
        return [ipcmd.add_address(link, cidr)]
    return [ipcmd.ip(link.netns, "address", "del", cidr, "dev", link.name)]


@_as_tuples
def state_commands(link: Link, state: AdminState) -> list[list[str]]:
    return [ipcmd.set_state(link, state)]


@_as_tuples
def netns_commands(name: str, loopback: AdminState) -> list[list[str]]:
    return ipcmd.add_netns(name, loopback)

