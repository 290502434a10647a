"""The catalogue of diagnostic codes: stable, grouped by the stage that emits them.

NS1xx  reading input (files, DSL syntax)
NS2xx  validation of the IR (names, ranges, references, kernel rules)
NS3xx  planning and rendering
NS4xx  legacy shell translation
NS5xx  direct execution over netlink
NS6xx  documentation checking
NS7xx  boot-time configuration (systemd-networkd, netplan)

Every code of every stage is in this one table, so it is complete whatever
was imported. Codes are never reused or renumbered: tools and people grep
for them. `netscript rules` prints this table.
"""

from __future__ import annotations

from dataclasses import dataclass

from .diagnostics import Diagnostic, Fix, Severity, Span


@dataclass(frozen=True, slots=True)
class Rule:
    """One code: what it is called, how severe, what it means, and the one function that checks it.

    ``check`` ("module:qualified.name") is named for every rule of validation
    (NS2xx) and of documentation (NS6xx but what --run reports): each such code
    is reported by that function and no other, which tests/test_rule_registry.py
    holds to. Codes that a reader, a backend or a run reports where it meets
    the problem (a word it cannot read, a step the kernel refused) have none.
    A ``retired`` code is no longer reported and never given to another problem.
    """

    code: str
    name: str
    severity: Severity
    summary: str
    check: str | None = None
    retired: bool = False


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
        Rule("NS201", "bad-interface-name", E, "Interface names are 1-15 bytes, without `/`, `:` or white space, and not `.` or `..`.", check="netscript.findings:interface_name"),
        Rule("NS202", "out-of-range", E, "A number outside the range the kernel accepts.", check="netscript.findings:out_of_range"),
        Rule("NS203", "unknown-choice", E, "A mode, runner or other keyword that does not exist.", check="netscript.findings:setting_value"),
        Rule("NS204", "undeclared-reference", E, "A parent, port, master or namespace that is neither declared nor physical.", check="netscript.findings:undeclared"),
        Rule("NS205", "duplicate-name", E, "Two links with one name in one namespace.", check="netscript.link_rules:created_twice"),
        Rule("NS206", "two-masters", E, "A link enslaved to two masters.", check="netscript.link_rules:second_master"),
        Rule("NS207", "master-cycle", E, "Masters that enslave each other.", check="netscript.validate:_Validator.check_cycles"),
        Rule("NS208", "macvlan-ipvlan-mix", E, "macvlan and ipvlan on the same parent: the kernel refuses it.", check="netscript.link_rules:macvlan_ipvlan_mix"),
        Rule("NS209", "team-port-up", E, "A link added to a team while it is up: teamd adds only ports that are down.", check="netscript.link_rules:port_up"),
        Rule("NS210", "bond-option-mode", E, "A bond option that the bond's mode does not use.", check="netscript.findings:inapplicable"),
        Rule("NS211", "bad-namespace-name", E, "Namespace names must be usable as a file name under /run/netns.", check="netscript.findings:namespace_name"),
        Rule("NS212", "cross-namespace-port", E, "A port in another namespace than its master.", check="netscript.validate:_Validator.check_membership"),
        Rule("NS213", "missing-required", E, "A link kind's required setting is missing (vlan id, vxlan id, veth peer).", check="netscript.findings:missing"),
        Rule("NS214", "bad-address", E, "An IP or MAC address that does not parse or does not fit.", check="netscript.findings:bad_address"),
        Rule("NS215", "port-of-non-master", E, "Ports listed on a link kind that takes none.", check="netscript.validate:_Validator.check_membership"),
        Rule("NS216", "physical-setting", W, "A physical interface's kind settings cannot be created, only referenced. No longer reported: the DSL reads such a setting as one the kind does not have (NS105).", retired=True),
        Rule("NS217", "parent-loop", E, "A link that is its own parent.", check="netscript.validate:_Validator.check_parent"),
        Rule("NS218", "duplicate-namespace", W, "A namespace declared twice.", check="netscript.validate:_Validator.check_namespaces"),
        Rule("NS219", "timer-range", E, "A bridge STP timer outside the kernel's range (forward_delay 2-30 s, hello_time 1-10 s, max_age 6-40 s).", check="netscript.kinds.bridge:check_forward_delay"),
        Rule("NS220", "bond-monitor", W, "A bond with miimon 0 and no arp_interval never notices a dead link.", check="netscript.kinds.bond:check_bond"),
        Rule("NS221", "primary-not-port", E, "A bond primary that is not one of the bond's ports.", check="netscript.kinds.bond:check_bond"),
        Rule("NS222", "enslaved-has-address", W, "An address on a link that is enslaved: it is unreachable through the master.", check="netscript.validate:_Validator.check_membership"),
        Rule("NS223", "parent-in-other-namespace", E, "A link in the default namespace stacked on a parent in a named one: `ip` cannot create it.", check="netscript.validate:_Validator.check_parent"),
        Rule("NS224", "parent-is-port", E, "macvlan, macvtap and ipvlan cannot sit on a bridge, bond or team port: the kernel refuses (busy).", check="netscript.link_rules:parent_is_port"),
        Rule("NS225", "ipvlan-mode-mix", E, "ipvlans on one parent share its mode and flag: creating one switches its siblings.", check="netscript.validate:_Validator.check_ipvlan_siblings"),
        Rule("NS226", "bond-delay-miimon", E, "A bond's updelay and downdelay count miimon intervals: they need miimon and must be multiples of it.", check="netscript.kinds.bond:check_delays"),
        Rule("NS227", "port-of-own-parent", E, "A link enslaved to the link it is stacked on (a vxlan or macvlan whose dev is its bridge): the kernel refuses.", check="netscript.validate:_Validator.check_link"),
        Rule("NS228", "bond-port-up", E, "A link enslaved to a bond while it is up: the bonding driver refuses (EPERM); take it down first.", check="netscript.link_rules:port_up"),
        Rule("NS229", "ambiguous-parent", W, "A parent name that is a link both in the link's own namespace and in the default one: the own one is used; name@NS or name@. says which.", check="netscript.validate:_Validator.check_parent"),
        Rule("NS230", "port-not-ethernet", E, "A link with no link-layer address (tun, ipip) as a bridge port: the bridge takes only ethernet links (EINVAL).", check="netscript.validate:_Validator.check_membership"),
        Rule("NS231", "same-tunnel", E, "Two tunnels of one kind with the same endpoints (and key or VNI) in one namespace: the kernel refuses the second.", check="netscript.validate:_Validator.check_tunnel_identities"),
        Rule("NS232", "bad-nexthop", E, "A route the kernel refuses for its nexthop: a device that is down, a gateway on no connected subnet of an up link (`Nexthop has invalid gateway`), a link-local gateway without a device.", check="netscript.routing.checks:RoutingChecks.nexthop"),
        Rule("NS233", "unknown-table", E, "A route or rule table that is neither a number, main, local, default nor a VRF of that namespace.", check="netscript.routing.checks:RoutingChecks.table"),
        Rule("NS234", "duplicate-route", E, "Two routes the kernel holds as one (same table, destination and metric), two identical rules, two neighbour entries for one address on one link, or one sysctl set to two values.", check="netscript.routing.checks:RoutingChecks.run"),
        Rule("NS235", "unknown-sysctl", E, "A sysctl key the running kernel does not have under /proc/sys.", check="netscript.routing.checks:RoutingChecks.run"),
        Rule("NS236", "bad-route-source", E, "A route's src that is no address of its namespace (`Invalid prefsrc address`).", check="netscript.routing.checks:RoutingChecks.source"),
        Rule("NS237", "neighbour-without-link-layer", E, "A static neighbour on a link without a link-layer address (tun, ipip, lo): the kernel keeps another entry than the one asked for.", check="netscript.routing.checks:RoutingChecks.neighbour"),
        # planning and rendering
        Rule("NS301", "unsafe-value", E, "A value that cannot be written safely into a shell script."),
        Rule("NS302", "render-unsupported", W, "Something the bash backend does not render."),
        # legacy shell translation
        Rule("NS401", "legacy-command", W, "A legacy command (brctl, vconfig, ifenslave, tunctl, teamd, bonding sysfs, ifconfig, route, arp) with a modern equivalent; `netscript translate` rewrites it."),
        Rule("NS402", "legacy-kept", W, "A legacy command left as written: its output is parsed, its status tested, or it has no faithful modern equivalent."),
        Rule("NS403", "unknown-subcommand", E, "A subcommand or option the legacy tool does not have."),
        Rule("NS404", "wrong-arguments", E, "A legacy command with missing or extra arguments."),
        Rule("NS405", "bad-legacy-value", E, "A value the tool or the kernel refuses (out of range, not a number, unknown keyword): the command fails."),
        Rule("NS406", "lossy-translation", W, "The modern command approximates the old one (a team option bonding lacks, a value the old tool truncated)."),
        Rule("NS407", "run-time-conversion", I, "A value that needs converting (seconds to centiseconds, on/off to 1/0) is only known at run time; the translation converts it there."),
        Rule("NS408", "tool-check", W, "The script checks that a legacy tool exists; the translated script no longer needs it."),
        Rule("NS409", "not-straight-line", E, "Only a straight-line script (no if, loops, functions, pipelines) can become a declarative spec."),
        Rule("NS410", "not-expressible", W, "A command whose effect a spec cannot express (a route, a query, another program)."),
        Rule("NS411", "unparsed-region", W, "Shell text the parser could not read; it is left untouched."),
        Rule("NS412", "bad-teamd-config", E, "A teamd JSON configuration that teamd.conf(5) does not allow."),
        Rule("NS413", "ip-octal", W, "A number with a leading 0 or 0x, which ip reads as octal or hex."),
        Rule("NS414", "unknown-variable", E, "A straight-line script uses a variable it does not set, so a spec cannot know its value."),
        Rule("NS415", "no-bond-equivalent", W, "A team setting bonding cannot express (runner random, nsna_ping...): the command is left as written."),
        # direct execution over netlink
        Rule("NS501", "missing-namespace", E, "A namespace the spec builds in (--netns) does not exist."),
        Rule("NS502", "missing-interface", E, "An interface the spec uses as existing (physical) is not there."),
        Rule("NS503", "step-failed", E, "The kernel (or teamd) refused a step; everything done before it was undone."),
        Rule("NS504", "verify-mismatch", E, "After applying, the kernel's state differs from the spec; the apply was undone."),
        Rule("NS505", "disruptive-step", E, "--no-disrupt refuses a step that disrupts traffic (delete, recreate, move, down...)."),
        Rule("NS506", "default-route", E, "The plan would delete, move, take down or enslave the interface carrying the default route; --force allows it."),
        Rule("NS507", "rollback-incomplete", E, "An undo failed while rolling back: the namespace may not be as it was."),
        Rule("NS508", "kind-conflict", E, "A link of another kind has the spec's name; only --prune replaces it, and never a physical one."),
        Rule("NS509", "cannot-read", E, "The live state could not be read (not root, or netlink refused the dump)."),
        Rule("NS510", "not-expressible", E, "A setting the netlink backend cannot send (no netlink attribute is known for it)."),
        Rule("NS511", "not-exported", W, "export met a link it can only describe as an existing (physical) one."),
        Rule("NS513", "locked", E, "The apply lock could not be taken: held past --wait, or the lock path is not a private regular file."),
        Rule("NS512", "interrupted", E, "SIGINT, SIGTERM or SIGHUP stopped the apply; the changes made were undone."),
        # documentation checking
        Rule("NS601", "deleted-link", E, "A command uses a link that the snippet deleted earlier (enslaving to a deleted master, setting a deleted link).", check="netscript.docs.simulate:_Model.uses"),
        Rule("NS602", "impossible-master", E, "Enslaving to a master that could never exist: a name the kernel refuses, or a link of a kind that takes no ports.", check="netscript.docs.simulate:_Model.on_Enslave"),
        Rule("NS603", "veth-peer-same-name", E, "A veth whose peer has the veth's own name: the kernel refuses the pair.", check="netscript.docs.simulate:_Model.on_CreateLink"),
        Rule("NS604", "timer-in-seconds", W, "A bridge timer given to `ip` as if it were seconds: `ip link ... type bridge` takes centiseconds.", check="netscript.docs.units:timer_traps"),
        Rule("NS605", "run-failed", E, "With --run: a command failed in the throwaway namespace; the kernel's message says why."),
        Rule("NS606", "run-skipped", I, "With --run: a snippet (or a branch of it) not run: it names namespaces or has placeholders, or needs a tool, a link kind or a master that is not there, or what an earlier failed command was to make."),
        Rule("NS607", "sysfs-not-written", E, "`echo VALUE /sys/class/net/...` without `>`: echo prints the path instead of writing the value.", check="netscript.docs.commands:_sysfs_without_redirect"),
        # boot-time configuration (systemd-networkd, netplan)
        Rule("NS701", "networkd-namespace", E, "networkd configures the namespace it runs in: a link in another namespace cannot be said."),
        Rule("NS702", "networkd-kind", E, "A link kind networkd cannot make (team: use --team-as-bond)."),
        Rule("NS703", "networkd-setting", E, "A setting networkd has no key for."),
        Rule("NS704", "networkd-port-setting", E, "A port setting networkd has no key for."),
        Rule("NS705", "netplan-kind", E, "A link kind netplan cannot make (macvlan, veth, dummy, tap, geneve, team...)."),
        Rule("NS706", "netplan-setting", E, "A setting netplan has no key for, or a link netplan needs more of (a GRE tunnel's local)."),
    ]
}


def rule(code: str) -> Rule:
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
