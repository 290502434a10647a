"""The tools netscript reads in shell scripts: one line per tool, name -> module.

Each module has ``parse(CommandLine) -> Parsed`` and ``LEGACY`` (False for
the modern iproute2 commands, which are read but never rewritten); a module
that shares a command name with other uses (``echo``) also has
``accepts(CommandLine) -> bool``.

A module is imported the first time a script uses its tool: a script of
brctl commands does not pay for the ifconfig or teamd readers.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from types import ModuleType

# tool -> its module in this package
_MODULES = {
    "brctl": "brctl",
    "vconfig": "vconfig",
    "ifenslave": "ifenslave",
    "tunctl": "tunctl",
    "teamd": "teamd",
    "teamdctl": "teamdctl",
    "ifconfig": "ifconfig",
    "route": "route",
    "arp": "arp",
    "echo": "sysfs_bonding",
    "printf": "sysfs_bonding",
    "ip": "iproute",
    "bridge": "iproute",
    "sysctl": "sysctl",
}
# Command names more than one reader is about, each taking the lines it `accepts`.
_ALSO = {"echo": ("sysctl",), "printf": ("sysctl",)}

# The tools whose commands are rewritten, known without importing their modules (each
# module says it too, as LEGACY; tests/legacy/test_parsers.py holds the two together).
# echo and printf are rewritten only when they write bonding sysfs files, so they are not here.
LEGACY_TOOLS = ("brctl", "vconfig", "ifenslave", "tunctl", "teamd", "teamdctl", "ifconfig", "route", "arp")


def _module(name: str) -> ModuleType:
    return importlib.import_module(f"{__package__}.{name}")


class _Tools(Mapping[str, ModuleType]):
    """tool -> its module, imported on first use."""

    def __getitem__(self, tool: str) -> ModuleType:
        return _module(_MODULES[tool])

    def __contains__(self, tool: object) -> bool:
        return tool in _MODULES

    def __iter__(self) -> Iterator[str]:
        return iter(_MODULES)

    def __len__(self) -> int:
        return len(_MODULES)


TOOLS: Mapping[str, ModuleType] = _Tools()


def also(tool: str) -> tuple[ModuleType, ...]:
    """The other readers of command name ``tool`` (``echo``: sysctl as well as bonding sysfs)."""
    return tuple(_module(name) for name in _ALSO.get(tool, ()))


def accepts(module, line) -> bool:
    """Whether ``module`` is about this command line (``echo`` only when it writes bonding sysfs)."""
    check = getattr(module, "accepts", None)
    return True if check is None else check(line)


def module_for(line):
    """The reader of this command line (``echo``'s: bonding sysfs or a sysctl), or None."""
    for module in (TOOLS.get(line.tool), *also(line.tool)):
        if module is not None and accepts(module, line):
            return module
    return None


def parse_line(line):
    """Parse one command line with its tool's parser; None when no tool here knows it."""
    module = module_for(line)
    return module.parse(line) if module is not None else None
