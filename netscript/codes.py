"""The catalogue of diagnostic codes: stable, grouped by the stage that emits them.

NS1xx  reading input (files, DSL syntax)
NS2xx  validation of the IR (names, ranges, references, kernel rules)
NS3xx  planning and rendering
NS4xx  legacy shell translation
NS5xx  direct execution over netlink
NS6xx  documentation checking

Codes are never reused or renumbered: tools and people grep for them.
`netscript rules` prints this table.
"""

from __future__ import annotations

from dataclasses import dataclass

from .diagnostics import Diagnostic, Fix, Severity, Span


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str


E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741 - the table's one-letter severity column

RULES: dict[str, Rule] = {
    r.code: r
    for r in [
        # reading input
        Rule("NS101", "unreadable-file", E, "The file cannot be read (missing, a directory, permissions)."),
        Rule("NS102", "not-text", E, "The file is not UTF-8 text."),
        Rule("NS103", "syntax-error", E, "The DSL text does not parse."),
        Rule("NS104", "unknown-statement", E, "A top-level word that is neither `netns` nor a link kind."),
        Rule("NS105", "unknown-setting", E, "A setting that the link kind does not have."),
        Rule("NS106", "bad-value", E, "A value of the wrong type (not a number, not a duration, not an address)."),
        Rule("NS107", "missing-value", E, "A setting without its value."),
        Rule("NS108", "repeated-setting", W, "A setting given twice for one link; the last one wins."),
        Rule("NS109", "bare-timer", I, "A bridge timer given as a bare number: it is read as centiseconds, as `ip` does."),
        Rule("NS110", "cannot-write", E, "The output file cannot be written (no such directory, permissions); nothing was written."),
        # validation
        Rule("NS201", "bad-interface-name", E, "Interface names are 1-15 bytes, without `/`, `:` or white space, and not `.` or `..`."),
        Rule("NS202", "out-of-range", E, "A number outside the range the kernel accepts."),
        Rule("NS203", "unknown-choice", E, "A mode, runner or other keyword that does not exist."),
        Rule("NS204", "undeclared-reference", E, "A parent, port, master or namespace that is neither declared nor physical."),
        Rule("NS205", "duplicate-name", E, "Two links with one name in one namespace."),
        Rule("NS206", "two-masters", E, "A link enslaved to two masters."),
        Rule("NS207", "master-cycle", E, "Masters that enslave each other."),
        Rule("NS208", "macvlan-ipvlan-mix", E, "macvlan and ipvlan on the same parent: the kernel refuses it."),
        Rule("NS209", "team-port-up", E, "A team port declared up: teamd adds only ports that are down."),
        Rule("NS210", "bond-option-mode", E, "A bond option that the bond's mode does not use."),
        Rule("NS211", "bad-namespace-name", E, "Namespace names must be usable as a file name under /run/netns."),
        Rule("NS212", "cross-namespace-port", E, "A port in another namespace than its master."),
        Rule("NS213", "missing-required", E, "A link kind's required setting is missing (vlan id, vxlan id, veth peer)."),
        Rule("NS214", "bad-address", E, "An IP or MAC address that does not parse or does not fit."),
        Rule("NS215", "port-of-non-master", E, "Ports listed on a link kind that takes none."),
        Rule("NS216", "physical-setting", W, "A physical interface's kind settings cannot be created, only referenced."),
        Rule("NS217", "parent-loop", E, "A link that is its own parent."),
        Rule("NS218", "duplicate-namespace", W, "A namespace declared twice."),
        Rule("NS219", "timer-range", E, "A bridge STP timer outside the kernel's range (forward_delay 2-30 s, hello_time 1-10 s, max_age 6-40 s)."),
        Rule("NS220", "bond-monitor", W, "A bond with miimon 0 and no arp_interval never notices a dead link."),
        Rule("NS221", "primary-not-port", E, "A bond primary that is not one of the bond's ports."),
        Rule("NS222", "enslaved-has-address", W, "An address on a link that is enslaved: it is unreachable through the master."),
        Rule("NS223", "parent-in-other-namespace", E, "A link in the default namespace stacked on a parent in a named one: `ip` cannot create it."),
        Rule("NS224", "parent-is-port", E, "macvlan, macvtap and ipvlan cannot sit on a bridge, bond or team port: the kernel refuses (busy)."),
        Rule("NS225", "ipvlan-mode-mix", E, "ipvlans on one parent share its mode and flag: creating one switches its siblings."),
        Rule("NS226", "bond-delay-miimon", E, "A bond's updelay and downdelay count miimon intervals: they need miimon and must be multiples of it."),
        Rule("NS227", "port-of-own-parent", E, "A link enslaved to the link it is stacked on (a vxlan or macvlan whose dev is its bridge): the kernel refuses."),
        Rule("NS228", "bond-port-up", E, "A link enslaved to a bond while it is up: the bonding driver refuses (EPERM); take it down first."),
        Rule("NS229", "ambiguous-parent", W, "A parent name that is a link both in the link's own namespace and in the default one: the own one is used; name@NS or name@. says which."),
        Rule("NS230", "port-not-ethernet", E, "A link with no link-layer address (tun, ipip) as a bridge port: the bridge takes only ethernet links (EINVAL)."),
        Rule("NS231", "same-tunnel", E, "Two tunnels of one kind with the same endpoints (and key or VNI) in one namespace: the kernel refuses the second."),
        Rule("NS232", "bad-nexthop", E, "A route the kernel refuses for its nexthop: a device that is down, a gateway on no connected subnet of an up link (`Nexthop has invalid gateway`), a link-local gateway without a device."),
        Rule("NS233", "unknown-table", E, "A route or rule table that is neither a number, main, local, default nor a VRF of that namespace."),
        Rule("NS234", "duplicate-route", E, "Two routes the kernel holds as one (same table, destination and metric), two identical rules, two neighbour entries for one address on one link, or one sysctl set to two values."),
        Rule("NS235", "unknown-sysctl", E, "A sysctl key the running kernel does not have under /proc/sys."),
        Rule("NS236", "bad-route-source", E, "A route's src that is no address of its namespace (`Invalid prefsrc address`)."),
        Rule("NS237", "neighbour-without-link-layer", E, "A static neighbour on a link without a link-layer address (tun, ipip, lo): the kernel keeps another entry than the one asked for."),
        # planning and rendering
        Rule("NS301", "unsafe-value", E, "A value that cannot be written safely into a shell script."),
        Rule("NS302", "render-unsupported", W, "Something the bash backend does not render."),
    ]
}


# The stages that declare codes of their own, each in one module. A code is
# found whatever was imported before it is asked for: the first look-up of a
# code not in the table loads them all.
STAGE_RULES = (
    "netscript.frontends.legacy.rules",
    "netscript.backends.netlink.codes",
    "netscript.docs.rules",
    "netscript.backends.networkd",
    "netscript.backends.netplan",
)


def load_stages() -> None:
    import importlib

    for module in STAGE_RULES:
        importlib.import_module(module)


def rule(code: str) -> Rule:
    if code not in RULES:
        load_stages()
    return RULES[code]


def diag(
    code: str,
    message: str,
    span: Span | None = None,
    *,
    hint: str | None = None,
    fix: Fix | None = None,
    severity: Severity | None = None,
) -> Diagnostic:
    """Make a diagnostic with the code's registered severity unless told otherwise."""
    return Diagnostic(
        code=code,
        severity=severity or rule(code).severity,
        message=message,
        span=span,
        hint=hint,
        fix=fix,
    )


def register(*rules: Rule) -> None:
    """Let a later stage (legacy translation, doc checking...) add its own codes."""
    for r in rules:
        if r.code in RULES and RULES[r.code] != r:
            raise ValueError(f"diagnostic code {r.code} registered twice")
        RULES[r.code] = r
