"""pyroute2 as the oracle for the netlink backend's wire format (netscript packs link and address requests itself)."""

from __future__ import annotations

_registered = False


def register_ipvlan() -> None:
    """Teach pyroute2 0.9.7 the ipvlan flags attribute it lacks (pyroute2's own plugin hook)."""
    global _registered
    if _registered:
        return
    from pyroute2.netlink import nla
    from pyroute2.netlink.rtnl.ifinfmsg import ifinfmsg

    class ipvlan(nla):
        prefix = "IFLA_"
        nla_map = (("IFLA_IPVLAN_UNSPEC", "none"), ("IFLA_IPVLAN_MODE", "uint16"), ("IFLA_IPVLAN_FLAGS", "uint16"))

    ifinfmsg.ifinfo.register_link_kind(module={"ipvlan": ipvlan})
    _registered = True


def pyroute2_bytes(msg_type, msg_flags, sequence, ifname, flags=0, change=0, **attrs) -> bytes:
    """The request pyroute2's ifinfmsg makes of the same description (as IPRoute.link() fills it)."""
    from pyroute2.netlink.rtnl.ifinfmsg import ifinfmsg

    register_ipvlan()
    message = ifinfmsg()
    message["header"]["type"], message["header"]["flags"] = msg_type, msg_flags
    message["header"]["sequence_number"] = sequence
    message["flags"], message["change"] = flags, change
    if "IFLA_ADDRESS" in attrs:
        attrs["IFLA_ADDRESS"] = attrs["IFLA_ADDRESS"].lower()
    message["attrs"] = [("IFLA_IFNAME", ifname), *attrs.items()]
    message.encode()
    return bytes(message.data)


def pyroute2_address_bytes(command, sequence, index, address, prefixlen) -> bytes:
    """The request IPRoute.addr(command, index=, address=, prefixlen=) sends, made by pyroute2's own code.

    The same argument filters and NetlinkRequest as IPRoute.addr(), on a stand-in for the socket
    (only its sequence numbers, port and echo setting are read); the port is 0, as netscript's is.
    """
    from types import SimpleNamespace

    from pyroute2.iproute.linux import get_arguments_processor, get_dump_filter
    from pyroute2.netlink.nlsocket import NetlinkRequest
    from pyroute2.netlink.rtnl import RTM_DELADDR, RTM_NEWADDR
    from pyroute2.netlink.rtnl.ifaddrmsg import ifaddrmsg

    # IPRoute.addr()'s command_map, for the commands netscript sends
    command_map = {"replace": (RTM_NEWADDR, "replace"), "del": (RTM_DELADDR, "req")}
    _, query = get_dump_filter("addr", command, dict(index=index, address=address, prefixlen=prefixlen))
    arguments = get_arguments_processor("addr", command, query)
    sock = SimpleNamespace(addr_pool=SimpleNamespace(alloc=lambda: sequence), status={"nlm_echo": False},
                           epid=0, marshal=None)
    request = NetlinkRequest(sock, ifaddrmsg(), command, command_map, None, arguments)
    request.msg["header"]["pid"] = 0  # pyroute2 puts its process id here; the kernel ignores it
    request.msg.encode()
    return bytes(request.msg.data)
