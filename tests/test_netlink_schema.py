"""The attribute schema decodes what it encodes, for every setting of every kind.

Each kind's module declares its settings' rtnetlink attributes
(netscript/kinds/*.py); netscript/netlink/schema.py gathers them, the apply
backend encodes requests with them and the kernel reader decodes dumps with
them. Here every setting of every kind goes through both directions, through
the real request bytes (netscript/netlink/wire.py) and the real dump parser
(netscript/netlink/rtnl.py), and must come back as it went in. A setting added
to a kind with no attribute, or with an encoder and decoder that disagree,
fails here. (tests/test_apply_wire.py checks the bytes against pyroute2's.)
"""

from __future__ import annotations

import dataclasses
import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netscript import kinds
from netscript.ir.model import LinkKind
from netscript.ir.values import (
    Centiseconds,
    Choice,
    Flag,
    Int,
    IPAddress,
    MACAddress,
    QosMap,
    WordList,
)
from netscript.kinds.spec import setting_of
from netscript.netlink import rtnl, schema, wire
from netscript.netlink.attrs import WIRE

# Made with ioctl(TUNSETIFF), or held by teamd: no settings go out over rtnetlink.
NOT_SENT = {LinkKind.TAP, LinkKind.TUN, LinkKind.TEAM}
PORT_NAME, PORT_INDEX = "p0", 7


def values_of(codec, field: str) -> list:
    """A few values of a setting's type, its ends included."""
    if field == "group":  # a multicast group; a unicast one is a remote
        return ["239.1.1.9", "ff05::9"]
    if isinstance(codec, Flag):
        return [True, False]
    if isinstance(codec, Centiseconds):
        return [codec.low_cs, codec.high_cs]
    if isinstance(codec, Int):
        return [codec.low, codec.high, (codec.low + codec.high) // 2]
    if isinstance(codec, Choice):
        return list(codec.choices)
    if isinstance(codec, IPAddress):
        return [a for a in ("192.0.2.9", "2001:db8::9") if codec.version in (None, int((a.count(":") and 6) or 4))]
    if isinstance(codec, MACAddress):
        return ["02:00:5e:10:00:01"]
    if isinstance(codec, QosMap):
        return [((1, 2), (3, 7))]
    if isinstance(codec, WordList):
        return [("192.0.2.1", "198.51.100.2")]
    return [PORT_NAME]  # a Word names a port (a bond's primary)


def cases(options_cls) -> list[dict]:
    """One {field: value} per value of each setting."""
    out = []
    for (name, meta) in kinds.settings(options_cls).values():
        for value in values_of(meta.codec, name):
            out.append({name: value})
    return out


def through_the_wire(info_kind: str, pairs: list, *, slave: bool = False) -> dict:
    """Encode (name, value) pairs as a link request, parse the bytes back as a dump would."""
    data_attr = "IFLA_INFO_SLAVE_DATA" if slave else "IFLA_INFO_DATA"
    body = wire.link_body("x0", IFLA_LINKINFO={"attrs": [(data_attr, {"attrs": pairs})]})
    top = rtnl.attributes(body, 16, len(body))
    info = rtnl.nested(top[schema.IFLA_LINKINFO])
    number = schema.IFLA_INFO_SLAVE_DATA if slave else schema.IFLA_INFO_DATA
    return {k: bytes(v) for k, v in rtnl.nested(info[number]).items()}


SENT = [k for k, spec in kinds.KINDS.items() if k not in NOT_SENT and spec.options is not None]


@pytest.mark.parametrize("kind", SENT, ids=lambda k: k.value)
def test_every_setting_of_a_kind_comes_back_as_it_went_out(kind):
    spec = kinds.spec(kind)
    for values in cases(spec.options):
        pairs = schema.encode(kind, values, lambda name: PORT_INDEX)
        assert pairs, f"{kind.value} {values}: nothing is sent"
        data = through_the_wire(spec.netlink_kind, pairs)
        read = schema.decode(kind, data, lambda index: PORT_NAME if index == PORT_INDEX else None)
        for field, value in values.items():
            assert schema.same_value(field, value, read.get(field)), (kind.value, field, value, read.get(field))


@pytest.mark.parametrize("kind", [k for k in SENT if kinds.spec(k).port_options is not None], ids=lambda k: k.value)
def test_every_port_setting_comes_back_as_it_went_out(kind):
    spec = kinds.spec(kind)
    table = schema.TABLES[kind]
    for values in cases(spec.port_options):
        field, value = next(iter(values.items()))
        row = next((r for r in table.port_rows if r.field == field), None)
        if row is None:
            continue  # not sent over rtnetlink (a bond port's prio goes through sysfs): read only
        data = through_the_wire(spec.netlink_kind, [(row.nla, row.to_kernel(value))], slave=True)
        assert schema.decode_port(kind, data)[field] == value


def test_every_setting_is_read_back():
    """A setting with no attribute and no decoder would be invisible to plan, verify and export."""
    for kind in SENT:
        spec = kinds.spec(kind)
        for values in cases(spec.options):
            data = through_the_wire(spec.netlink_kind, schema.encode(kind, values, lambda name: PORT_INDEX))
            assert set(values) <= set(schema.decode(kind, data, lambda index: PORT_NAME)), (kind.value, values)


@pytest.mark.parametrize("attr", [a for a in schema.all_attributes() if isinstance(a.wire, str)], ids=lambda a: a.name)
@given(data=st.data())
def test_each_plain_attribute_decodes_what_it_encodes(attr, data):
    if attr.words:
        value = data.draw(st.sampled_from([w for _, w in attr.words]))
    else:
        value = data.draw({
            "u8": st.integers(0, 2**8 - 1), "u16": st.integers(0, 2**16 - 1), "u32": st.integers(0, 2**32 - 1),
            "s32": st.integers(-(2**31), 2**31 - 1), "be16": st.integers(0, 2**16 - 1),
            "be32": st.integers(0, 2**32 - 1), "bool8": st.booleans(), "bool32": st.booleans(),
            "flag": st.booleans(), "ip4": st.ip_addresses(v=4).map(str), "ip6": st.ip_addresses(v=6).map(str), "bytes": st.binary(max_size=16),
            "mac": st.binary(min_size=6, max_size=6).map(lambda b: ":".join(f"{x:02x}" for x in b)),
        }[attr.wire])
    if attr.wire in ("ip4", "ip6"):  # the kernel's spelling of an address may differ from Python's
        assert ipaddress.ip_address(attr.decode(attr.encode(value))) == ipaddress.ip_address(value)
    else:
        assert attr.decode(attr.encode(value)) == value


def test_the_wire_types_cover_every_attribute():
    for attr in schema.all_attributes():
        assert attr.wire in WIRE or not isinstance(attr.wire, str), attr


def test_every_kind_the_kernel_reports_is_told_apart():
    """Kinds that share an IFLA_INFO_KIND (tun and tap) each say which is theirs."""
    by_info: dict = {}
    for spec in kinds.KINDS.values():
        if spec.netlink_kind is not None:
            by_info.setdefault(spec.netlink_kind, []).append(spec)
    for info, specs in by_info.items():
        if len(specs) > 1:
            assert all(s.matches is not None for s in specs), info


def test_options_dataclasses_carry_only_declared_settings():
    for spec in kinds.KINDS.values():
        for cls in (spec.options, spec.port_options):
            if cls is not None:
                assert all(setting_of(f) is not None for f in dataclasses.fields(cls)), cls


@pytest.mark.parametrize("kind", [k for k, s in kinds.KINDS.items() if s.netlink_kind is not None])
def test_the_kinds_of_an_info_kind_are_found_without_loading_every_kind(kind):
    info_kind = kinds.spec(kind).netlink_kind
    every = tuple(s for s in kinds.KINDS.values() if s.netlink_kind == info_kind)
    assert schema.specs_of(info_kind) == every
    assert schema.known(info_kind) and not schema.known("no-such-kind")


def test_the_reader_and_the_encoder_load_no_kind_before_one_is_met():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import netscript.frontends.kernel, netscript.netlink.wire, netscript.backends.netlink.session\n"
        "print(sorted(m for m in sys.modules if m.startswith('netscript.kinds.') and m != 'netscript.kinds.spec'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=__file__.rsplit("/", 2)[0])
    assert out.stdout.strip() == "[]"
