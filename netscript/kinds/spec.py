"""How a link kind is described: its settings, its ports, how `ip` spells it.

Each kind lives in a module of its own that defines an options dataclass (and
a port options dataclass for masters) whose fields are declared with
:func:`option`, plus one :class:`KindSpec`. Everything that walks settings
generically (the DSL reader and printer, validation, the bash and netlink
backends, read-back comparison) reads this metadata, so adding a setting is
one line.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from ..ir.model import LinkKind
from ..ir.values import Codec, Int, MACAddress

# Settings every link has; the IR keeps them as fields of Link.
COMMON_SETTINGS = {
    "mtu": Int(68, 65535),
    "mac": MACAddress(),
    "txqueuelen": Int(0, 2**32 - 1),
}


def option(
    codec: Codec,
    *,
    key: str | None = None,
    ip: str | None = None,
    kernel: str | None = None,
    create_only: bool = False,
    modes: tuple[str, ...] | None = None,
    help: str = "",
):
    """Declare one setting of a kind.

    key:         the DSL word, as iproute2 names it (defaults to the field name)
    ip:          the word `ip link` uses, when it differs from the key
                 (for teams: the dotted path in teamd.conf JSON)
    kernel:      the key in `ip -d -j link` info_data (None: not read back)
    create_only: the kernel only takes it when the link is created (or down
                 with no ports), so a change means re-creating the link
    modes:       for bonds, the modes the option applies to
    """
    meta = {
        "codec": codec,
        "key": key,
        "ip": ip,
        "kernel": kernel,
        "create_only": create_only,
        "modes": modes,
        "help": help,
    }
    return field(default=None, metadata=meta)


def settings(cls) -> dict:
    """DSL key -> (field name, metadata) for an options dataclass."""
    out = {}
    for f in fields(cls):
        if "codec" in f.metadata:
            key = f.metadata["key"] or f.name
            out[key] = (f.name, f.metadata)
    return out


@dataclass(frozen=True)
class KindSpec:
    kind: LinkKind
    options: type | None = None
    port_options: type | None = None
    ip_type: str | None = None  # `ip link add NAME type X`; None: not made by `ip link add`
    slave_type: str | None = None  # `ip link set PORT type X_slave ...`
    parent: str | None = None  # "required" / "optional" / None
    parent_key: str = "link"  # the DSL/ip word naming the lower device
    creatable: bool = True
    required: tuple[str, ...] = ()  # settings without which the kernel refuses
    help: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def is_master(self) -> bool:
        return self.port_options is not None
