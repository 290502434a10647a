"""The netlink backend's logic without a kernel: attribute tables, diff, guard, journal, export view."""

from __future__ import annotations

import dataclasses
import struct

import pytest
from pyroute2_oracle import register_ipvlan

from netscript import kinds
from netscript.backends.dsl import print_program
from netscript.backends.netlink import guard
from netscript.backends.netlink.diff import diff
from netscript.backends.netlink.execute import Executor
from netscript.backends.netlink.journal import Journal
from netscript.backends.netlink.steps import Action, Step
from netscript.frontends.dsl import parse
from netscript.frontends.kernel import program as export_view
from netscript.frontends.kernel.state import KernelState, Observed
from netscript.ir.model import Address, AdminState, Link, LinkKind, Ref
from netscript.kinds import bond
from netscript.kinds.spec import defaults
from netscript.netlink import schema
from netscript.placement import place

# -- the attribute tables against pyroute2's -------------------------------


def _numbers(nla_class) -> dict[str, int]:
    out = {}
    for i, row in enumerate(nla_class.nla_map):
        if isinstance(row[0], int):
            out[row[1]] = row[0]
        else:
            out[row[0]] = i
    return out


def _pyroute2_data_class(info_kind):
    from pyroute2.netlink.rtnl.ifinfmsg import ifinfmsg

    register_ipvlan()  # ipvlan's flags attribute, which pyroute2 0.9.7 lacks
    return ifinfmsg.ifinfo.data_map[info_kind]


@pytest.mark.parametrize(
    "kind", [k for k, t in schema.TABLES.items() if t.rows and k not in (LinkKind.TAP, LinkKind.TUN)]
)
def test_every_row_names_the_attribute_pyroute2_sends_under_that_number(kind):
    table = schema.TABLES[kind]
    numbers = _numbers(_pyroute2_data_class(table.info_kind))
    # pyroute2 skips a name it does not know without a word: each must be there
    assert {row.nla: numbers.get(row.nla) for row in table.rows} == {row.nla: row.number for row in table.rows}


@pytest.mark.parametrize(
    "kind", [k for k, t in schema.TABLES.items() if (t.rows or t.extra) and k not in (LinkKind.TAP, LinkKind.TUN)]
)
def test_every_attribute_a_kind_declares_is_pyroute2s_under_that_number(kind):
    """The kinds' own attributes (a VLAN's flags, a vxlan's v6 group, a bond port's prio) too."""
    from pyroute2.netlink.rtnl.ifinfmsg import ifinfmsg

    spec = kinds.spec(kind)
    table = schema.TABLES[kind]
    data = _numbers(_pyroute2_data_class(table.info_kind))
    declared = [r.attr for r in table.rows] + list(spec.netlink_attrs) + ([spec.parent_attr] if spec.parent_attr else [])
    # nested ones (a QoS mapping) live one level down, in a chain of their own
    declared = [a for a in declared if a.name in data or not a.name.endswith("_MAPPING")]
    assert {a.name: data.get(a.name) for a in declared} == {a.name: a.number for a in declared}
    if spec.port_options is not None and table.port_rows:
        port = _numbers(getattr(ifinfmsg.ifinfo, f"{table.info_kind}_slave_data"))
        declared = [r.attr for r in table.port_rows]  # the ones sent (a bond port's prio is only read)
        assert {a.name: port.get(a.name) for a in declared} == {a.name: a.number for a in declared}


def test_the_links_own_attributes_are_pyroute2s():
    from pyroute2.netlink.rtnl.ifinfmsg import ifinfmsg

    top = _numbers(ifinfmsg)
    assert [top[n] for n in ("IFLA_ADDRESS", "IFLA_IFNAME", "IFLA_MTU", "IFLA_LINK", "IFLA_MASTER", "IFLA_TXQLEN")] == [
        schema.IFLA_ADDRESS,
        schema.IFLA_IFNAME,
        schema.IFLA_MTU,
        schema.IFLA_LINK,
        schema.IFLA_MASTER,
        schema.IFLA_TXQLEN,
    ]


def _encoded_attributes(info_kind, attrs) -> dict[int, bytes]:
    """{number: payload} of the NLAs pyroute2 puts on the wire for IFLA_INFO_DATA ``attrs``."""
    data = _pyroute2_data_class(info_kind)()
    data["attrs"] = attrs
    data.encode()
    raw, out, at = bytes(data.data), {}, 4  # past the container's own header
    while at + 4 <= len(raw):
        length, number = struct.unpack_from("HH", raw, at)
        out[number] = raw[at + 4 : at + length]
        at += (length + 3) & ~3
    return out


def test_a_bonds_ad_actor_system_goes_out_as_the_six_bytes_the_kernel_wants():
    # pyroute2 declares the attribute 'hex' (a raw string): the MAC's text would go out as 17
    # bytes and the kernel refuse the bond with ERANGE
    attrs = schema.encode(LinkKind.BOND, {"ad_actor_system": "02:00:00:00:0a:01"}, index_of=None)
    sent = _encoded_attributes("bond", attrs)
    assert sent[bond.AD_ACTOR_SYSTEM.number] == bytes([2, 0, 0, 0, 10, 1])
    # and reads back as the spec wrote it
    read = schema.decode(LinkKind.BOND, {bond.AD_ACTOR_SYSTEM.number: sent[bond.AD_ACTOR_SYSTEM.number]}, None)
    assert read == {"ad_actor_system": "02:00:00:00:0a:01"}


def test_rows_translate_words_both_ways():
    mode = schema.TABLES[LinkKind.BOND].row("mode")
    assert [mode.to_kernel(m) for m in ("balance-rr", "active-backup", "802.3ad")] == [0, 1, 4]
    assert mode.to_ir(b"\x04") == "802.3ad"
    assert schema.TABLES[LinkKind.MACVLAN].row("mode").to_kernel("bridge") == 4
    assert schema.TABLES[LinkKind.BRIDGE].row("stp_state").to_kernel(True) == 1


# -- diffing a made-up state ----------------------------------------------


def observed(name, kind, netns="t", index=1, **kw) -> Observed:
    link_fields = {k: kw.pop(k) for k in list(kw) if k in ("options", "parent", "mtu", "state", "addresses")}
    link_fields.setdefault("state", AdminState.DOWN)
    info_kind = kw.pop("info_kind", None if kind is LinkKind.PHYSICAL else kind.value)
    return Observed(link=Link(name=name, kind=kind, netns=netns, **link_fields), index=index, info_kind=info_kind, **kw)


def state(*links) -> KernelState:
    s = KernelState()
    for o in links:
        s.namespaces.setdefault(o.netns, {})[o.name] = o
    return s


def spec(text: str):
    program, problems = parse(text, "t.ns")
    assert problems == []
    return place(program, netns="t")


def titles(plan):
    return [s.title for s in plan.steps]


def test_prune_never_deletes_a_physical_link_or_one_of_a_kind_netscript_cannot_make():
    live = state(
        observed("eth0", LinkKind.PHYSICAL, index=2),
        observed("wg0", LinkKind.PHYSICAL, index=3, info_kind="wireguard"),
        observed("extra0", LinkKind.BRIDGE, index=4),
    )
    plan = diff(spec("bridge br0\n"), live, prune=True)
    assert titles(plan) == ["delete bridge extra0 (not in the spec)", "create bridge br0"]


def test_the_differ_indexes_the_spec_once_for_the_planner_and_itself(monkeypatch):
    from netscript.ir.index import Index

    program, built = spec("bridge br0 {\n    ports v0\n    up\n}\nveth v0 peer v1\n"), []
    real = Index.build
    monkeypatch.setattr(Index, "build", classmethod(lambda cls, p: built.append(p) or real(p)))
    plan = diff(program, state())
    assert titles(plan)[:2] == ["create bridge br0", "create veth v0"]
    assert built == [program]


def test_a_recreated_parent_takes_what_is_stacked_on_it_down_first_and_up_after():
    live = state(
        observed("vx0", LinkKind.VXLAN, index=2, options=kinds.spec(LinkKind.VXLAN).options(id=7)),
        observed("mv0", LinkKind.MACVLAN, index=3, parent=Ref(name="vx0", netns="t")),
    )
    plan = diff(spec("vxlan vx0 id 42\nmacvlan mv0 link vx0\n"), live)
    assert titles(plan) == [
        "delete macvlan mv0 (stacked on vx0, which goes)",
        "delete vxlan vx0 (to recreate: id 7 -> 42)",
        "create vxlan vx0",
        "create macvlan mv0",
    ]
    assert [s.disrupts for s in plan.steps] == [True, True, False, False]


def test_a_link_in_the_wrong_namespace_is_moved_not_made_again():
    live = state(
        observed("x0", LinkKind.VETH, index=2, peer=Ref(name="x1", netns="t")),
        observed("x1", LinkKind.VETH, index=3, peer=Ref(name="x0", netns="t")),
    )
    live.namespaces["side"] = {}
    plan = diff(spec("netns side\nveth x0 peer x1@side\n"), live, prune=True)
    assert titles(plan) == ["move x1 to namespace side"]
    assert plan.steps[0].commands == (("ip", "-n", "t", "link", "set", "dev", "x1", "netns", "side"),)


def test_a_missing_existing_interface_is_a_problem_not_a_step():
    plan = diff(spec("physical eth9\nbridge br0 {\n    ports eth9\n}\n"), state())
    assert [d.code for d in plan.problems] == ["NS502"]
    assert "eth9 does not exist in namespace t" in plan.problems[0].message


def test_creating_folds_master_and_up_into_the_request_but_not_a_bridge_mtu():
    plan = diff(spec("bridge br0 mtu 1400 {\n    ports v0\n    up\n}\nveth v0 peer p0 {\n    up\n}\n"), state())
    commands = [" ".join(c) for s in plan.steps for c in s.commands]
    assert commands == [
        "ip -n t link add name br0 up type bridge",
        "ip -n t link add name v0 master br0 up type veth peer name p0",
        "ip -n t link set dev br0 mtu 1400",
    ]


def test_a_stacked_link_is_created_up_only_once_its_lower_device_is_up():
    text = "physical e0 {\n    up\n}\nvlan v5 link e0 id 5 {\n    up\n}\n"
    # e0 down: a vlan cannot open on it (ENETDOWN), so it is made down and set up after e0
    plan = diff(spec(text), state(observed("e0", LinkKind.PHYSICAL, index=2)))
    assert [" ".join(c) for s in plan.steps for c in s.commands] == [
        "ip -n t link add link e0 name v5 type vlan id 5",
        "ip -n t link set dev e0 up",
        "ip -n t link set dev v5 up",
    ]
    # e0 already up: one request
    plan = diff(spec(text), state(observed("e0", LinkKind.PHYSICAL, index=2, state=AdminState.UP)))
    assert [" ".join(c) for s in plan.steps for c in s.commands] == ["ip -n t link add link e0 name v5 up type vlan id 5"]
    # a lower device created up earlier in the plan counts as up
    plan = diff(spec("bond b0 {\n    up\n}\nvlan b0.5 link b0 id 5 {\n    up\n}\n"), state())
    assert [s.title for s in plan.steps] == ["create bond b0", "create vlan b0.5"]
    assert all(s.state is AdminState.UP for s in plan.steps)


def test_guard_refuses_cutting_the_default_route_and_its_lower_devices_unless_forced():
    live = state(
        observed("low0", LinkKind.VETH, index=2, state=AdminState.UP, peer=Ref(name="low1", netns="t")),
        observed("low1", LinkKind.VETH, index=3, state=AdminState.UP, peer=Ref(name="low0", netns="t")),
        observed("mv0", LinkKind.MACVLAN, index=4, state=AdminState.UP, parent=Ref(name="low0", netns="t")),
    )
    live._carriers["t"] = {"mv0"}  # what the route dump would say
    plan = diff(spec("veth low0 peer low1 {\n    down\n}\nmacvlan mv0 link low0\n"), live)
    assert titles(plan) == ["set low0 down"]
    refused = guard.refusals(plan.steps, live, no_disrupt=False, force=False)
    assert [d.code for d in refused] == ["NS506"]
    assert guard.refusals(plan.steps, live, no_disrupt=False, force=True) == []
    assert [d.code for d in guard.refusals(plan.steps, live, no_disrupt=True, force=True)] == ["NS505"]


def test_addresses_are_added_and_only_removed_when_pruning():
    live = state(observed("br0", LinkKind.BRIDGE, index=2, addresses=(Address(cidr="198.51.100.9/24"),)))
    text = "bridge br0 {\n    addr 192.0.2.1/24\n}\n"
    assert titles(diff(spec(text), live)) == ["add 192.0.2.1/24 to br0"]
    pruned = diff(spec(text), live, prune=True)
    assert titles(pruned) == ["remove 198.51.100.9/24 from br0", "add 192.0.2.1/24 to br0"]
    assert [s.action for s in pruned.steps] == [Action.REMOVE_ADDRESS, Action.ADD_ADDRESS]


# -- the journal -----------------------------------------------------------


def test_rolling_back_undoes_newest_first_and_goes_on_past_a_failing_undo():
    done = []
    journal = Journal()
    journal.record("first", lambda: done.append(1))
    journal.record("second", lambda: (_ for _ in ()).throw(OSError(16, "busy")))
    journal.record("third", lambda: done.append(3))
    problems = journal.roll_back()
    assert done == [3, 1]
    assert problems == ["second: [Errno 16] busy"]
    assert len(journal) == 0



class _Recorder:
    """A kernel that notes what it is asked to do (every link exists, every request succeeds)."""

    def __init__(self):
        self.calls = []

    def exists(self, netns, name):
        return True

    def take_tickets(self):
        return []

    def settle(self):
        return {}

    def __getattr__(self, name):
        return lambda *args, **kw: self.calls.append((name, *args, *kw.values()))


def test_undo_puts_a_bonds_old_port_back_down_then_gives_it_its_state_back():
    # bonding refuses a port that is up (EPERM): down, enslave, then up as it was
    bond = observed("bond0", LinkKind.BOND, index=2, state=AdminState.UP)
    port = observed("e0", LinkKind.PHYSICAL, index=3, state=AdminState.UP, master="bond0")
    kernel = _Recorder()
    Executor(kernel, state(bond, port), Journal()).reattach(port)
    assert kernel.calls == [
        ("set_state", "t", "e0", AdminState.DOWN),
        ("set_master", "t", "e0", "bond0"),
        ("set_state", "t", "e0", AdminState.UP),
    ]


def test_undoing_a_portless_bonds_first_port_gives_the_bond_its_mac_back():
    # the bond takes e0's MAC, then a random one when e0 leaves: only its first port's undo restores it
    bond = dataclasses.replace(observed("bond0", LinkKind.BOND, index=2), link=Link(
        name="bond0", kind=LinkKind.BOND, netns="t", mac="02:00:00:00:09:09", state=AdminState.DOWN))
    e0, e1 = (observed(n, LinkKind.PHYSICAL, index=i) for n, i in (("e0", 3), ("e1", 4)))
    kernel, journal = _Recorder(), Journal()
    executor = Executor(kernel, state(bond, e0, e1), journal)
    for o in (e0, e1):
        executor.enslave(Step(action=Action.ENSLAVE, netns="t", name=o.name, live=o, master=bond.link))
    executor.settle()
    kernel.calls.clear()
    assert journal.roll_back() == []
    assert kernel.calls == [
        ("set_master", "t", "e1", None),
        ("set_master", "t", "e0", None),
        ("set_link", "t", "bond0", "02:00:00:00:09:09"),
    ]


# -- what export leaves out -------------------------------------------------


def test_export_leaves_out_kernel_defaults_and_writes_a_veth_pair_once():
    bridge_options = kinds.spec(LinkKind.BRIDGE).options
    live = state(
        observed("br0", LinkKind.BRIDGE, index=2, mtu=9000, state=AdminState.UP,  # follows its port
                 options=bridge_options(**{**defaults(bridge_options), "stp_state": True})),
        observed("p0", LinkKind.VETH, index=3, mtu=1500, peer=Ref(name="v0", netns="t")),
        observed("v0", LinkKind.VETH, index=4, mtu=9000, peer=Ref(name="p0", netns="t"), master="br0"),
        observed("wg0", LinkKind.PHYSICAL, index=5, mtu=1420, info_kind="wireguard"),
    )
    program = export_view.export(live, "t")
    assert print_program(program) == (
        "bridge br0 stp_state on {\n    ports v0\n    up\n}\n\n"
        "veth v0 mtu 9000 peer p0\n\n"
        "physical wg0 mtu 1420\n"
    )
    assert [o.text for o in program.opaque] == ["wireguard wg0"]


def test_team_ports_get_their_settings_staged_before_teamd_adds_them():
    live = state(
        observed("t0", LinkKind.TEAM, index=2),
        observed("eth3", LinkKind.PHYSICAL, index=3, state=AdminState.UP),
    )
    plan = diff(spec("physical eth3\nteam t0 {\n    port eth3 prio 10\n}\n"), live)
    assert [" ".join(c) for s in plan.steps for c in s.commands] == [
        "ip -n t link set dev eth3 down",
        'ip netns exec t teamdctl t0 port config update eth3 {"prio":10}',
        "ip netns exec t teamdctl t0 port add eth3",
    ]


def test_changing_a_team_members_settings_is_refused_with_the_way_out():
    team = kinds.spec(LinkKind.TEAM)
    live = state(
        observed("t0", LinkKind.TEAM, index=2),
        observed("eth3", LinkKind.PHYSICAL, index=3, master="t0", port_options=team.port_options(prio=5)),
    )
    plan = diff(spec("physical eth3\nteam t0 {\n    port eth3 prio 10\n}\n"), live)
    assert plan.steps == []
    assert [(d.code, d.hint) for d in plan.problems] == [
        ("NS510", "remove it from the team (teamdctl t0 port remove eth3) and apply again")
    ]


def test_a_bridge_timer_a_centisecond_off_after_the_kernels_jiffies_is_no_difference():
    bridge = kinds.spec(LinkKind.BRIDGE).options
    live = state(observed("br0", LinkKind.BRIDGE, index=2, options=bridge(forward_delay=249, max_age=2000)))
    assert titles(diff(spec("bridge br0 forward_delay 2.5s\n"), live)) == []
    assert titles(diff(spec("bridge br0 forward_delay 2.6s\n"), live)) == ["modify br0 (forward_delay)"]
