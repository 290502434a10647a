"""The findings that many rules share, one function for each code.

Validation meets these facts in many places: a name is a link's, its parent's
or a port's; a value belongs to any kind's setting or port setting; a setting
can be missing, or not apply, for a reason only its kind knows (a bond's
arp_interval needs arp_ip_target, a vxlan's multicast group needs ``dev``).
Each place asks the one function here for its code, so the code, how the
finding reads and how severe it is are said once.
:data:`netscript.codes.RULES` names each of these as the function that checks
its code; the kinds' own rules (``KindSpec.checks``) report their other
findings through them.
"""

from __future__ import annotations

from .codes import diag
from .diagnostics import Diagnostic, Severity, Span
from .ir.values import Choice, Codec, MACAddress
from .names import interface_name_problem, namespace_name_problem


def interface_name(name: str, span: Span | None) -> Diagnostic | None:
    """NS201: a link's, parent's or port's name that the kernel refuses."""
    problem = interface_name_problem(name)
    return diag("NS201", problem, span) if problem else None


def namespace_name(name: str, span: Span | None, context: str = "") -> Diagnostic | None:
    """NS211: a namespace name that cannot be a file under /run/netns (``context`` says where it came from)."""
    problem = namespace_name_problem(name)
    return diag("NS211", context + problem, span) if problem else None


def setting_value(subject: str, key: str, codec: Codec, value, span: Span | None) -> Diagnostic | None:
    """A value its setting's codec refuses: an unknown choice (NS203), a bad MAC address (NS214)
    or out of range (NS202). ``subject`` says whose setting it is (``br0:``, ``br0: port eth0``)."""
    problem = codec.check(value)
    if not problem:
        return None
    message = f"{subject} {key} {problem}"
    if isinstance(codec, Choice):
        return diag("NS203", message, span)
    if isinstance(codec, MACAddress):
        return bad_address(message, span)
    return out_of_range(message, span)


def out_of_range(message: str, span: Span | None) -> Diagnostic:
    """NS202: a value the kernel refuses: out of its range, or with another setting it excludes (EINVAL)."""
    return diag("NS202", message, span)


def undeclared(message: str, span: Span | None, hint: str | None = None) -> Diagnostic:
    """NS204: a namespace, parent, port or route device that is neither declared nor physical."""
    return diag("NS204", message, span, hint=hint)


def inapplicable(message: str, span: Span | None, *, hint: str | None = None,
                 severity: Severity | None = None) -> Diagnostic:
    """NS210: an option that the link does not use: not for its mode, or outdone by another option."""
    return diag("NS210", message, span, hint=hint, severity=severity)


def missing(message: str, span: Span | None, hint: str | None = None) -> Diagnostic:
    """NS213: a setting (a kind's required one, a veth's peer, a parent) that the link needs and lacks."""
    return diag("NS213", message, span, hint=hint)


def bad_address(message: str, span: Span | None, *, hint: str | None = None,
                severity: Severity | None = None) -> Diagnostic:
    """NS214: an address that does not parse, does not fit where it is given, or has no link-layer address to be."""
    return diag("NS214", message, span, hint=hint, severity=severity)
