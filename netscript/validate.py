"""Validation: every rule the kernel (or common sense) would enforce, all at once.

``validate(program)`` never raises and never stops at the first problem: it
returns every finding as a diagnostic with a stable code, so a user fixes a
spec in one pass. Nothing reaches a shell or the kernel before this is clean.
"""

from __future__ import annotations

import ipaddress

from . import collector, findings, kinds, link_rules
from .codes import diag
from .diagnostics import Diagnostic, Severity, Span
from .ir.index import Index, Key
from .ir.model import Link, LinkKind, Program, option_items
from .kinds.spec import COMMON_SETTINGS, KindSpec, applies
from .names import interface_name_problem, namespace_name_problem  # noqa: F401  (where callers have asked for them)


def placement_problems(program: Program, *, netns: str | None, prefix: str) -> list[Diagnostic]:
    """NS211 for the namespace names ``--netns`` and ``--netns-prefix`` made (``program`` is placed).

    The same rule as a declared namespace's name: these become files under
    /run/netns and lock names, so ``../../tmp/x`` must never get that far.
    """
    out = []
    if netns is not None:
        out.append(findings.namespace_name(netns, None, "--netns: "))
    if prefix:
        for ns in program.namespaces:
            out.append(findings.namespace_name(ns.name, None, f"--netns-prefix {prefix!r} makes namespace {ns.name!r}: "))
    return [d for d in out if d is not None]


def validate(program: Program) -> list[Diagnostic]:
    with collector.paused():
        return _Validator(program).run()


class _Validator:
    def __init__(self, program: Program) -> None:
        self.program = program
        self.index = Index.build(program)
        self.out: list[Diagnostic] = []
        self.namespaces = {ns.name for ns in program.namespaces} | set(program.external_netns)

    def add(
        self, code: str, message: str, span: Span | None, *, hint: str | None = None, severity: Severity | None = None
    ) -> None:
        self.out.append(diag(code, message, span, hint=hint, severity=severity))

    def found(self, finding: Diagnostic | None) -> bool:
        """Keep the finding of a rule from :mod:`.link_rules`; True when there is one."""
        if finding is not None:
            self.out.append(finding)
        return finding is not None

    def run(self) -> list[Diagnostic]:
        self.check_namespaces()
        seen: dict = {}
        for link in self.program.all_links():
            self.check_link(link)
            key = link.key
            first = seen.get(key)
            if first is None:
                seen[key] = link
            else:
                self.found(link_rules.created_twice(link, first))
        self.check_membership()
        self.check_parent_sharing()
        self.check_tunnel_identities()
        if self.program.has_routing:
            from .routing.checks import RoutingChecks

            RoutingChecks(self.program, self.index, self.add, self.found, self.known_namespace).run()
        return self.out

    def check_tunnel_identities(self) -> None:
        """Two tunnels of a kind with the same endpoints in one namespace: the kernel keeps one
        per identity and refuses the second (EEXIST for ip tunnels, EBUSY for geneve)."""
        seen: dict = {}
        for link in self.program.all_links():
            spec = kinds.spec(link.kind)
            if not spec.identity:
                continue
            if spec.fallback_device and all(getattr(link.options, name, None) is None for name in spec.identity):
                words = [f"`{name}`" for name in spec.identity]
                self.found(findings.missing(f"{link.kind.value} {link.name} needs {', '.join(words[:-1])} or {words[-1]}: "
                                            f"with none it is {spec.fallback_device}, which the kernel makes in every namespace",
                                            link.span))
                continue
            identity = (link.netns, link.kind, self.index.parent_key(link),
                        *(spec.effective(link.options, name) for name in spec.identity))
            if identity in seen:
                first = seen[identity]
                same = ", ".join(spec.identity)
                self.add("NS231", f"{link.kind.value} {link.name} has the same {same} as {first.name}: "
                         f"the kernel takes one {link.kind.value} per {same}", link.span,
                         hint=f"give one of them another {' or '.join(spec.identity)}")
            else:
                seen[identity] = link

    # -- namespaces ------------------------------------------------------

    def check_namespaces(self) -> None:
        seen = set()
        for ns in self.program.namespaces:
            self.found(findings.namespace_name(ns.name, ns.span))
            if ns.name in seen:
                self.add("NS218", f"namespace {ns.name} is declared twice", ns.span)
            seen.add(ns.name)

    def known_namespace(self, name: str | None, span: Span | None, what: str = "link") -> None:
        if name is not None and name not in self.namespaces:
            self.found(findings.undeclared(f"namespace {name!r} is not declared", span,
                                           hint=f"add `netns {name}` before the {what} that uses it"))

    # -- one link --------------------------------------------------------

    def check_link(self, link: Link) -> None:
        spec = kinds.spec(link.kind)
        self.found(findings.interface_name(link.name, link.span))
        if link.netns is not None:  # (its span is looked up only then)
            self.known_namespace(link.netns, link.setting_span("netns"))

        for key, value, meta in option_items(link.options):
            self.found(findings.setting_value(f"{link.name}:", key, meta.codec, value, link.setting_span(key)))
        for key, codec in COMMON_SETTINGS.items():
            value = getattr(link, key)
            if value is not None:
                self.found(findings.setting_value(f"{link.name}:", key, codec, value, link.setting_span(key)))

        for addr in link.addresses:
            try:
                iface = ipaddress.ip_interface(addr.cidr)
            except ValueError:
                self.found(findings.bad_address(f"{link.name}: {addr.cidr!r} is not an address with a prefix length",
                                                addr.span, hint="write it as 192.0.2.1/24 or 2001:db8::1/64"))
                continue
            if "/" not in addr.cidr:
                self.found(findings.bad_address(
                    f"{link.name}: {addr.cidr} has no prefix length; `ip` would assume /{iface.network.prefixlen}",
                    addr.span,
                    severity=Severity.WARNING,
                    hint=f"write {addr.cidr}/{iface.network.prefixlen} if that is meant",
                ))

        for key in spec.required:
            if getattr(link.options, key, None) is None:
                self.found(findings.missing(f"{link.kind.value} {link.name} needs `{key}`", link.span))
        if link.kind is LinkKind.VETH and link.peer is None and link.key not in self.index.peer_of:
            self.found(findings.missing(f"veth {link.name} needs a peer: veth {link.name} peer NAME", link.span))
        self.check_peer_shape(link)

        if link.mac is not None and not spec.link_layer_address:
            self.found(findings.bad_address(f"{link.kind.value} {link.name} has no link-layer address to set",
                                            link.setting_span("mac")))

        self.check_parent(link, spec)
        if link.parent is not None:
            master = self.index.master(link)
            if master is not None and self.index.parent_key(link) == master.key:
                self.add("NS227", f"{link.name} cannot be a port of {master.name}, the link it is stacked on "
                         "(the kernel refuses: device busy)", link.parent.span)
        if link.options is not None:
            self.check_selected_options(link)
        for check in spec.checks:
            self.out.extend(check(link))

    def check_peer_shape(self, link: Link) -> None:
        # Not a rule of the network but of the IR's shape, which the DSL's syntax keeps and a
        # Program built by hand may not: so it is the syntax error the DSL would have reported.
        if link.peer is not None and link.peer.peer is not None:
            self.add("NS103", f"the peer {link.peer.name} cannot have a peer of its own", link.peer.peer.span)

    def check_parent(self, link: Link, spec: KindSpec) -> None:
        if spec.parent == "required" and link.parent is None:
            self.found(findings.missing(f"{link.kind.value} {link.name} needs a parent: `{spec.parent_key} NAME`", link.span))
        if link.parent is None:
            return
        if not spec.parent:
            return
        if self.found(findings.interface_name(link.parent.name, link.parent.span)):
            return
        if link.parent.netns is not None:
            self.known_namespace(link.parent.netns, link.parent.span)
        own = link.parent.netns == link.netns or (link.parent.netns is None and not link.parent.default_netns)
        if link.parent.name == link.name and own:
            self.add("NS217", f"{link.name} cannot be its own parent", link.parent.span)
            return
        key = self.index.parent_key(link)
        bare = link.parent.netns is None and not link.parent.default_netns
        if bare and link.netns is not None and key == (link.netns, link.parent.name) and (
            None, link.parent.name) in self.index.links:
            self.add(
                "NS229",
                f"{link.name}: parent {link.parent.name} is the one in namespace {link.netns}; "
                f"there is a {link.parent.name} in the default namespace too",
                link.parent.span,
                hint=f"write {link.parent.name}@{link.netns} to say so, or {link.parent.name}@. for the default "
                "namespace's",
            )
        if key is not None and link.netns is None and key[0] is not None:
            self.add(
                "NS223",
                f"{link.name} is in the default namespace but its parent {link.parent} is in namespace {key[0]}",
                link.parent.span,
                hint="put the link in a named namespace too (netns NAME)",
            )
        if key is None:
            self.found(findings.undeclared(f"{link.name}: parent {link.parent} is not declared", link.parent.span,
                                           hint=f"declare it (`physical {link.parent.name}` for an existing interface)"))

    def check_selected_options(self, link: Link) -> None:
        """NS210: an option that the link's mode, runner or link watcher does not read.

        One rule for every kind, from the options' own declaration
        (``modes``/``selected_by`` in :mod:`netscript.kinds`), with the
        kernel's default when the selector is not written.
        """
        spec = kinds.spec(link.kind)
        for key, _value, meta in option_items(link.options):
            if applies(meta, link.options, spec.options):
                continue
            selector = meta.selected_by
            chosen = spec.effective(link.options, selector)
            written = getattr(link.options, selector, None) is not None
            self.found(findings.inapplicable(
                f"{link.kind.value} {link.name}: {key} does not apply to {selector} {chosen}"
                + ("" if written else f" (the default {selector})"),
                link.setting_span(key),
                hint=f"{key} applies to {selector} {', '.join(meta.modes or ())}",
            ))

    # -- membership ------------------------------------------------------

    def check_membership(self) -> None:
        masters_of: dict = {}
        for master in self.program.links:
            spec = kinds.spec(master.kind)
            if master.ports and not spec.is_master:
                self.add("NS215", f"a {master.kind.value} has no ports", master.ports[0].span)
                continue
            for port in master.ports:
                if self.found(findings.interface_name(port.name, port.span)):
                    continue
                key = (master.netns, port.name)
                for opt, value, meta in option_items(port.options):
                    self.found(findings.setting_value(f"{master.name}: port {port.name}", opt, meta.codec, value, port.span))
                if key not in self.index.links:
                    elsewhere = [k[0] for k in self.index.links if k[1] == port.name]
                    if elsewhere:
                        where = elsewhere[0] or "the default namespace"
                        self.add(
                            "NS212",
                            f"port {port.name} is in {where}, not in {master.name}'s namespace",
                            port.span,
                        )
                    else:
                        self.found(findings.undeclared(f"{master.name}: port {port.name} is not declared", port.span,
                                                       hint=f"declare it (`physical {port.name}` for an existing interface)"))
                elif spec.ethernet_ports and not kinds.spec(self.index.links[key].kind).link_layer_address:
                    port_kind = self.index.links[key].kind.value
                    self.add("NS230", f"{port_kind} {port.name} cannot be a port of {master.kind.value} {master.name}: "
                             "it has no ethernet address (the kernel refuses: invalid argument)", port.span)
                masters_of.setdefault(key, []).append((master, port))
        for key, entries in masters_of.items():
            if len(entries) > 1:
                first = entries[0][0].name
                for master, port in entries[1:]:
                    self.found(link_rules.second_master(port.name, port.span, master.name, first))
            port_link = self.index.links.get(key)
            # A VRF's ports keep their addresses (that is what a VRF is for).
            if port_link is not None and port_link.addresses and entries[0][0].kind is not LinkKind.VRF:
                self.add(
                    "NS222",
                    f"{port_link.name} has an address but is a port of {entries[0][0].name}",
                    port_link.addresses[0].span,
                    hint="put the address on the master",
                )
        self.check_cycles()

    def check_cycles(self) -> None:
        reported = set()
        for link in self.program.links:
            seen = [link.key]
            cur = link
            while True:
                master = self.index.master(cur)
                if master is None:
                    break
                if master.key in seen:
                    cycle = tuple(sorted(seen))
                    if cycle not in reported:
                        reported.add(cycle)
                        names = " -> ".join(k[1] for k in seen[seen.index(master.key):] + [master.key])
                        self.add("NS207", f"masters enslave each other: {names}", link.span)
                    break
                seen.append(master.key)
                cur = master

    def check_parent_sharing(self) -> None:
        by_parent: dict = {}
        for link in self.program.all_links():
            if link.kind in (LinkKind.MACVLAN, LinkKind.MACVTAP, LinkKind.IPVLAN):
                key = self.index.parent_key(link)
                if key:
                    by_parent.setdefault(key, []).append(link)
        for key, children in by_parent.items():
            # one finding of each for a parent, at the first link that meets it
            master = self.index.master_of.get(key)
            for child in children:
                span = child.parent.span if child.parent is not None and child.parent.span else child.span
                if self.found(link_rules.parent_is_port(child, key[1], master.name if master else None, span)):
                    break
            for n, child in enumerate(children):
                if self.found(link_rules.macvlan_ipvlan_mix(child, key[1], children[:n], child.span)):
                    break
            self.check_ipvlan_siblings(key, [c for c in children if c.kind is LinkKind.IPVLAN])

    def check_ipvlan_siblings(self, parent_key: Key, siblings: list[Link]) -> None:
        # The kernel keeps the mode and flag per parent: each `ip link add ... type ipvlan`
        # sets them for every ipvlan already on it (no mode written means l3; a mode without
        # a flag means bridge), so siblings that disagree can never all be as written.
        def effective(link: Link) -> tuple[str, str]:
            spec = kinds.spec(link.kind)
            return (spec.effective(link.options, "mode"), spec.effective(link.options, "flag"))

        if not siblings:
            return
        first, *others = siblings
        for other in others:
            if effective(other) != effective(first):
                self.add(
                    "NS225",
                    f"ipvlan {other.name} ({' '.join(effective(other))}) and {first.name} ({' '.join(effective(first))}) "
                    f"share parent {parent_key[1]}, which has one ipvlan mode and flag for all its ipvlans",
                    other.setting_span("mode"),
                    hint=f"give every ipvlan on {parent_key[1]} the same mode and flag",
                )
