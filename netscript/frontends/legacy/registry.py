"""The tools netscript reads in shell scripts: one line per tool, name -> module.

Each module has ``parse(CommandLine) -> Parsed`` and ``LEGACY`` (False for
the modern iproute2 commands, which are read but never rewritten); a module
that shares a command name with other uses (``echo``) also has
``accepts(CommandLine) -> bool``.
"""

from . import (
    arp,
    brctl,
    ifconfig,
    ifenslave,
    iproute,
    route,
    sysctl,
    sysfs_bonding,
    teamd,
    teamdctl,
    tunctl,
    vconfig,
)

TOOLS = {
    "brctl": brctl,
    "vconfig": vconfig,
    "ifenslave": ifenslave,
    "tunctl": tunctl,
    "teamd": teamd,
    "teamdctl": teamdctl,
    "ifconfig": ifconfig,
    "route": route,
    "arp": arp,
    "echo": sysfs_bonding,
    "printf": sysfs_bonding,
    "ip": iproute,
    "bridge": iproute,
    "sysctl": sysctl,
}
# Command names more than one reader is about, each taking the lines it `accepts`.
ALSO = {"echo": (sysctl,), "printf": (sysctl,)}

LEGACY_TOOLS = tuple(name for name, module in TOOLS.items() if module.LEGACY and module is not sysfs_bonding)


def accepts(module, line) -> bool:
    """Whether ``module`` is about this command line (``echo`` only when it writes bonding sysfs)."""
    check = getattr(module, "accepts", None)
    return True if check is None else check(line)


def module_for(line):
    """The reader of this command line (``echo``'s: bonding sysfs or a sysctl), or None."""
    for module in (TOOLS.get(line.tool), *ALSO.get(line.tool, ())):
        if module is not None and accepts(module, line):
            return module
    return None


def parse_line(line):
    """Parse one command line with its tool's parser; None when no tool here knows it."""
    module = module_for(line)
    return module.parse(line) if module is not None else None
