"""The change requests.

Every request is built from explicit attribute names (``IFLA_LINKINFO`` and
friends, from :mod:`netscript.netlink.schema`), so what is sent is
what the tables say.

Link requests (create, set, delete: nearly all of an apply) and address
requests (replace, delete) are packed by :mod:`netscript.netlink.wire`, byte
for byte as pyroute2's ``ifinfmsg`` and ``ifaddrmsg`` would pack them, and
sent through one :class:`~.pipeline.Pipeline` on the namespace's own
rtnetlink socket, in the order they are made: while :attr:`Kernel.deferring`
is set, each is queued at once and its answer read later
(:meth:`Kernel.settle`); otherwise it is waited for, as undo does.

pyroute2 is left one job: tun/tap devices, which are made with an ioctl
(``TUNSETIFF``, ``TUNSETOWNER``, ``TUNSETPERSIST`` on /dev/net/tun), not over rtnetlink;
its ``IPRoute`` does that well. It is imported only then, so an apply
without tun/tap never pays for it. Namespaces are added and deleted with
``ip netns``, as the rendered script does, and teams (which have no
rtnetlink interface) with teamd/teamdctl, as the bash backend does.
"""

from __future__ import annotations

import dataclasses
import errno
import ipaddress
import os
import subprocess
from collections.abc import Collection
from typing import Any

from ... import kinds
from ...frontends.kernel import teams
from ...frontends.kernel.state import KernelState
from ...ir.model import Address, AdminState, Link, LinkKind
from ...netlink import rtnl, schema, wire
from .. import ipcmd
from .pipeline import Pipeline, Ticket
from .steps import ends

IFF_UP = schema.IFF_UP


class KernelError(Exception):
    """A request the kernel (or teamd, or the tun driver) refused."""

    def __init__(self, code: int | None, text: str):
        super().__init__(text)
        self.code = code
        self.text = text

    def describe(self) -> str:
        if self.code is None:
            return self.text
        return rtnl.NetlinkError(self.code, self.text).describe()


class Kernel:
    """Sends change requests; knows each link's ifindex, which requests need."""

    def __init__(self, state: KernelState):
        self._ipr: dict[str | None, Any] = {}  # namespace -> pyroute2 IPRoute, for tun/tap only
        self._sockets: dict[str | None, rtnl.RtnlSocket] = {}
        self.indexes = {(o.netns, o.name): o.index for o in state.all()}
        self.sent = 0  # change requests sent, for tests and the report
        self.pipeline = Pipeline(self.socket)
        self.deferring = False  # link and address requests: send and move on (True) or wait for each answer
        self._tickets: list[Ticket] = []  # requests sent deferred since take_tickets()

    # -- plumbing ------------------------------------------------------------

    def ipr(self, netns: str | None):
        """The namespace's pyroute2 ``IPRoute``, made (and pyroute2 imported) for the first tun/tap."""
        if netns not in self._ipr:
            from pyroute2 import IPRoute

            self._ipr[netns] = IPRoute(netns=netns, ext_ack=True) if netns else IPRoute(ext_ack=True)
        return self._ipr[netns]

    def close(self) -> None:
        self.pipeline.close()  # sends what is still queued
        for ipr in self._ipr.values():
            ipr.close()
        for sock in self._sockets.values():
            sock.close()
        self._ipr.clear()
        self._sockets.clear()

    def socket(self, netns: str | None) -> rtnl.RtnlSocket:
        """The namespace's rtnetlink socket: every link and address request, and lookups by name."""
        if netns not in self._sockets:
            self._sockets[netns] = rtnl.RtnlSocket(netns)
        return self._sockets[netns]

    def take_tickets(self) -> list[Ticket]:
        """The requests sent deferred since the last call, to match with :meth:`settle`'s answers."""
        tickets, self._tickets = self._tickets, []
        return tickets

    def settle(self) -> dict[Ticket, KernelError | None]:
        """ticket -> None (done) or KernelError, for every request sent deferred."""
        return {ticket: _kernel_error(error) for ticket, error in self.pipeline.settle().items()}

    def index(self, netns: str | None, name: str) -> int:
        """The ifindex of a link, from the state read or one kernel-side lookup by name."""
        key = (netns, name)
        if key not in self.indexes:
            self.pipeline.drain(netns)  # answers still due on the socket would be taken for the lookup's
            try:
                reply = self.socket(netns).request(rtnl.RTM_GETLINK, rtnl.link_get_request(name))
            except rtnl.NamespaceMissing as e:  # deleted since the state was read
                raise KernelError(errno.ENOENT, str(e)) from None
            except rtnl.NetlinkError as e:
                raise KernelError(e.code, f"{name}: {e.describe()}") from None
            assert reply is not None  # a RTM_GETLINK is answered with the link (or refused)
            self.indexes[key] = rtnl.IFINFO.unpack_from(reply, 16)[2]
        return self.indexes[key]

    def exists(self, netns: str | None, name: str) -> bool:
        try:
            self.index(netns, name)
        except KernelError:
            return False
        return True

    def forget(self, netns: str | None, name: str) -> None:
        self.indexes.pop((netns, name), None)

    def _link(self, netns: str | None, command: str, **kw: Any) -> None:
        """One link request ("add", "set" or "del")."""
        self._send(netns, _link_request(command, **kw))

    def send(self, netns: str | None, request: Request, *, wait: bool = False) -> None:
        """A request packed elsewhere (routes and rules: netlink/routes.py); ``wait``: its answer now, deferring or not."""
        if not wait:
            return self._send(netns, request)
        deferring, self.deferring = self.deferring, False
        try:
            self._send(netns, request)
        finally:
            self.deferring = deferring

    def _send(self, netns: str | None, request: Request) -> None:
        """One request, deferred or waited for (see :attr:`deferring`)."""
        self.sent += 1
        try:
            ticket = self.pipeline.send(netns, *request)  # opens the namespace's socket on first use
        except rtnl.NamespaceMissing as e:  # deleted since the state was read
            raise KernelError(errno.ENOENT, str(e)) from None
        except OSError as e:
            raise KernelError(e.errno, e.strerror or str(e)) from None
        if self.deferring:
            self._tickets.append(ticket)
            return
        error = _kernel_error(self.pipeline.wait(ticket))
        if error is not None:
            raise error

    def _tuntap(self, netns: str | None, **kwargs: object) -> None:
        """Make a tun/tap device with pyroute2 (an ioctl, not a netlink request), waiting for it."""
        from pyroute2.netlink.exceptions import NetlinkError

        self.pipeline.flush()  # not through the pipeline: the requests queued so far go first
        self.sent += 1
        try:
            self.ipr(netns).link("add", **kwargs)
        except NetlinkError as e:
            code = e.code if isinstance(e.code, int) else None
            text = e.args[1] if len(e.args) > 1 else str(e)
            raise KernelError(code, text) from None
        except OSError as e:
            raise KernelError(e.errno, e.strerror or str(e)) from None

    # -- attributes ----------------------------------------------------------

    def option_attrs(self, link: Link, fields: Collection[str] | None = None) -> list[tuple[str, Any]]:
        """(attribute name, value) for the kind settings the spec sets (or only ``fields``)."""
        options = link.options
        if options is None or link.kind not in schema.TABLES or not dataclasses.is_dataclass(options):
            return []  # (a kind's options are always a dataclass instance)
        values = {}
        for name in (f.name for f in dataclasses.fields(options) if getattr(options, f.name) is not None):
            if fields is None or name in fields:
                values[name] = getattr(options, name)
        return schema.encode(link.kind, values, lambda port: self.index(link.netns, port))

    @staticmethod
    def common_attrs(link: Link) -> dict[str, int | str]:
        out: dict[str, int | str] = {}
        if link.mtu is not None:
            out["IFLA_MTU"] = link.mtu
        if link.mac is not None:
            out["IFLA_ADDRESS"] = link.mac
        if link.txqueuelen is not None:
            out["IFLA_TXQLEN"] = link.txqueuelen
        return out

    @staticmethod
    def linkinfo(kind_word: str, data: list[tuple[str, Any]], *, slave: bool = False) -> dict[str, list]:
        """IFLA_LINKINFO: the kind (IFLA_INFO_KIND, or a port's master kind) and its settings."""
        attrs: list[tuple[str, object]] = [("IFLA_INFO_SLAVE_KIND" if slave else "IFLA_INFO_KIND", kind_word)]
        if data:
            attrs.append(("IFLA_INFO_SLAVE_DATA" if slave else "IFLA_INFO_DATA", {"attrs": data}))
        return {"attrs": attrs}

    # -- links ---------------------------------------------------------------

    def create(self, link: Link, *, parent_netns: str | None, master: Link | None, up: bool) -> None:
        """Create ``link`` (a veth with its peer) with its settings, master and state folded in."""
        if link.kind in (LinkKind.TAP, LinkKind.TUN):
            return self.create_tuntap(link)
        if link.kind is LinkKind.TEAM:
            return self.run_tool(link.netns, ipcmd.create(link, parent_netns)[0])
        spec = kinds.spec(link.kind)
        request_ns = parent_netns if link.parent is not None else link.netns
        near, far = ends(link)
        kw: dict[str, Any] = dict(ifname=near.name, **self.common_attrs(near))
        if near.kind is LinkKind.BRIDGE:
            kw.pop("IFLA_MTU", None)  # set after creation, or ports would override it (see diff.MTU_AFTER_CREATE)
        if up:
            kw.update(flags=IFF_UP, change=IFF_UP)
        if master is not None:
            kw["IFLA_MASTER"] = self.index(master.netns, master.name)
        data = self.option_attrs(link)
        # what `ip link add` always sends, so that both make the same link
        data += schema.encode(link.kind, {k: v for k, v in spec.create_with.items() if getattr(link.options, k, None) is None}, None)
        fds = []
        try:
            if far is not None:
                request_ns = near.netns
                peer: list[tuple[str, object]] = [("IFLA_IFNAME", far.name), *self.common_attrs(far).items()]
                if far.netns != near.netns:
                    fds.append(rtnl.open_namespace(far.netns))
                    peer.append(("IFLA_NET_NS_FD", fds[-1]))
                data = [("VETH_INFO_PEER", {"attrs": peer})]
            elif link.parent is not None:
                parent_index = self.index(parent_netns, link.parent.name)
                if spec.parent_attr is not None:
                    data.append((spec.parent_attr.name, parent_index))
                else:
                    kw["IFLA_LINK"] = parent_index
            if far is None and link.netns != request_ns:
                fds.append(rtnl.open_namespace(link.netns))
                kw["IFLA_NET_NS_FD"] = fds[-1]
            kw["IFLA_LINKINFO"] = self.linkinfo(schema.TABLES[link.kind].info_kind, data)
            self._link(request_ns, "add", **kw)
        finally:
            if fds:
                self.pipeline.flush()  # the kernel opens the fd when the request arrives
            for fd in fds:
                os.close(fd)

    def create_tuntap(self, link: Link) -> None:
        import grp
        import pwd

        opts = link.options
        kw: dict[str, object] = {"ifname": link.name, "kind": "tuntap", "mode": link.kind.value}
        user, group = getattr(opts, "user", None), getattr(opts, "group", None)
        if user is not None:
            kw["uid"] = int(user) if user.isdigit() else pwd.getpwnam(user).pw_uid
        if group is not None:
            kw["gid"] = int(group) if group.isdigit() else grp.getgrnam(group).gr_gid
        kw["ifr"] = {
            "no_pi": not getattr(opts, "pi", False),
            "one_queue": False,
            "vnet_hdr": bool(getattr(opts, "vnet_hdr", False)),
            "multi_queue": bool(getattr(opts, "multi_queue", False)),
        }
        self._tuntap(link.netns, **kw)

    def delete(self, netns: str | None, name: str, kind: LinkKind | None = None) -> None:
        if kind is LinkKind.TEAM:
            self.run_tool(netns, ipcmd.delete(Link(name=name, kind=kind, netns=netns))[0])
        else:
            self._link(netns, "del", ifname=name)
        self.forget(netns, name)

    def set_link(self, netns: str | None, name: str, **kw: Any) -> None:
        # by name: the kernel finds the link itself (index 0 and IFLA_IFNAME), no lookup first
        self._link(netns, "set", ifname=name, **kw)

    def modify(self, link: Link, fields: Collection[str]) -> None:
        """Set MTU/MAC/queue length and kind settings named in ``fields`` to ``link``'s values."""
        kw: dict[str, object] = {k: v for k, v in self.common_attrs(link).items() if _COMMON[k] in fields}
        data = self.option_attrs(link, fields) if link.kind is not LinkKind.PHYSICAL else []
        if data:  # (only a kind in schema.TABLES has settings to send)
            kw["IFLA_LINKINFO"] = self.linkinfo(schema.TABLES[link.kind].info_kind, data)
        if kw:
            self.set_link(link.netns, link.name, **kw)

    def set_master(self, netns: str | None, name: str, master: str | None) -> None:
        self.set_link(netns, name, IFLA_MASTER=self.index(netns, master) if master else 0)

    def set_state(self, netns: str | None, name: str, state: AdminState) -> None:
        self.set_link(netns, name, flags=IFF_UP if state is AdminState.UP else 0, change=IFF_UP)

    def set_port(
        self, netns: str | None, name: str, master_kind: LinkKind, options: object, fields: Collection[str]
    ) -> None:
        """Per-port settings (``ip link set dev PORT type bridge_slave ...``)."""
        table = schema.TABLES[master_kind]
        data = [
            (row.nla, row.to_kernel(getattr(options, row.field)))
            for row in table.port_rows
            if row.field in fields and getattr(options, row.field, None) is not None
        ]
        if data:
            self.set_link(netns, name, IFLA_LINKINFO=self.linkinfo(table.info_kind, data, slave=True))

    def move(self, netns: str | None, name: str, target: str | None) -> None:
        fd = rtnl.open_namespace(target)
        try:
            self.set_link(netns, name, IFLA_NET_NS_FD=fd)
        finally:
            self.pipeline.flush()  # the kernel opens the fd when the request arrives
            os.close(fd)
        self.forget(netns, name)

    # -- addresses and namespaces -------------------------------------------

    def add_address(self, netns: str | None, name: str, cidr: str) -> None:
        """``ip address replace CIDR dev NAME``: adding an address the link has already is no error."""
        self._send(netns, _address_request("replace", self.index(netns, name), cidr))

    def remove_address(self, netns: str | None, name: str, cidr: str) -> None:
        self._send(netns, _address_request("del", self.index(netns, name), cidr))

    def restore_addresses(self, netns: str | None, name: str, addresses: tuple[Address, ...]) -> None:
        for a in addresses:
            self.add_address(netns, name, a.cidr)

    def add_netns(self, name: str, loopback: AdminState) -> None:
        # `ip netns add`, as the rendered script does: pyroute2's netns.create() asks a helper
        # process that must answer within 2 s, and under load it sometimes did not
        self.pipeline.flush()
        self.sent += 1
        self._netns_tool("add", name)
        if loopback is AdminState.UP:  # ip netns add leaves lo down; undo is deleting the namespace
            self.set_state(name, "lo", AdminState.UP)

    def remove_netns(self, name: str) -> None:
        # the namespace's sockets go first: a socket inside it would keep it alive, unnamed
        self.pipeline.drain(name)  # its answers, kept for settle()
        sock = self._sockets.pop(name, None)
        if sock is not None:
            sock.close()
        ipr = self._ipr.pop(name, None)
        if ipr is not None:
            ipr.close()
        self.sent += 1
        self._netns_tool("delete", name)

    def _netns_tool(self, verb: str, name: str) -> None:
        try:
            done = subprocess.run(["ip", "netns", verb, name], capture_output=True, text=True, timeout=60, check=False)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise KernelError(None, f"cannot {verb} namespace {name}: {e}") from None
        if done.returncode != 0:
            text = done.stderr.strip().splitlines()
            raise KernelError(None, f"cannot {verb} namespace {name}: {text[-1] if text else done.returncode}")

    # -- teams ---------------------------------------------------------------

    def run_tool(self, netns: str | None, words: ipcmd.Words) -> None:
        """Run teamd/teamdctl (words from ipcmd); a failure becomes a KernelError with its output."""
        self.pipeline.flush()  # teamd acts on the links the requests queued so far make
        self.sent += 1
        try:
            done = subprocess.run(list(words), capture_output=True, text=True, timeout=30, check=False)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise KernelError(None, f"{words[0] if words[0] != 'ip' else words[4]}: {e}") from None
        teams.forget()
        if done.returncode != 0:
            text = (done.stderr or done.stdout).strip().splitlines()
            tool = words[4] if words[:3] == ["ip", "netns", "exec"] else words[0]
            raise KernelError(None, f"{tool} failed: {text[-1] if text else 'exit status ' + str(done.returncode)}")


_COMMON = {"IFLA_MTU": "mtu", "IFLA_ADDRESS": "mac", "IFLA_TXQLEN": "txqueuelen"}

# A request for the pipeline: its message type, flags and body (the header is added when it is sent).
Request = tuple[int, int, bytes]

_ASKED = rtnl.NLM_F_REQUEST | rtnl.NLM_F_ACK

# the type and flags pyroute2's IPRoute.link() gives each command (and `ip link` too)
_LINK_COMMANDS = {
    "add": (rtnl.RTM_NEWLINK, _ASKED | rtnl.NLM_F_CREATE | rtnl.NLM_F_EXCL),
    "set": (rtnl.RTM_NEWLINK, _ASKED),
    "del": (rtnl.RTM_DELLINK, _ASKED),
}

# and those its IPRoute.addr() gives (`ip address replace` / `del` too)
_ADDRESS_COMMANDS = {
    "replace": (rtnl.RTM_NEWADDR, _ASKED | rtnl.NLM_F_REPLACE | rtnl.NLM_F_CREATE),
    "del": (rtnl.RTM_DELADDR, _ASKED),
}


def _link_request(command: str, *, ifname: str, **attrs: Any) -> Request:
    """(type, flags, body) of ``ip link add/set/del`` on the link named ``ifname``.

    The link is named, not indexed (index 0 and IFLA_IFNAME), so no lookup comes first.
    """
    msg_type, flags = _LINK_COMMANDS[command]
    return msg_type, flags, wire.link_body(ifname, **attrs)


def _address_request(command: str, index: int, cidr: str) -> Request:
    """(type, flags, body) of ``ip address replace/del CIDR`` on link ``index``.

    Unlike a link, an address request must name its link by index (ifaddrmsg has no name).
    """
    msg_type, flags = _ADDRESS_COMMANDS[command]
    interface = ipaddress.ip_interface(cidr)
    return msg_type, flags, wire.address_body(index, interface.ip, interface.network.prefixlen)


def _kernel_error(error: rtnl.NetlinkError | None) -> KernelError | None:
    return None if error is None else KernelError(error.code, error.text)
