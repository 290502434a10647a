"""pyroute2 as the oracle for the netlink backend's wire format (netscript packs requests itself)."""

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
