"""The live kernel as a frontend: network namespaces -> IR.

    from netscript.frontends import kernel
    state = kernel.read(["lab"])          # one dump of links, addresses, routes per namespace
    program = kernel.export(state, "lab") # the namespace as a spec (what `netscript export` prints)

:mod:`.rtnl` talks netlink (no pyroute2 on the read path: see its docstring),
:mod:`.snapshot` decodes one namespace, :mod:`.tables` maps each kind's
settings to attributes, :mod:`.state` builds IR links across namespaces and
:mod:`.program` turns them into a spec.
"""

from ...netlink.rtnl import NamespaceMissing, NetlinkError  # noqa: F401
from .program import export  # noqa: F401
from .state import KernelState, Observed, read  # noqa: F401
