"""Kinds with no settings of their own: dummy, and physical interfaces.

A ``physical`` link is one that exists already (a NIC, or anything made
outside the spec): netscript sets its MTU, MAC, state and addresses but never
creates or deletes it.
"""

from ..ir.model import LinkKind
from .spec import KindSpec, Networkd

DUMMY = KindSpec(
    kind=LinkKind.DUMMY, ip_type="dummy", networkd=Networkd("dummy"), help="Dummy link (needs the `dummy` module)."
)

PHYSICAL = KindSpec(
    kind=LinkKind.PHYSICAL,
    creatable=False,
    help="An existing interface, referenced by name and never created or deleted.",
)
