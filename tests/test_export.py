"""`netscript export`: links made by hand read back as a spec; export -> apply -> export is stable."""

from __future__ import annotations

import pytest
from live_helpers import ip

pytestmark = pytest.mark.kernel

BY_HAND = [
    # every kind this kernel has, with settings that are not the kernel's defaults
    (
        "link add br0 type bridge stp_state 1 forward_delay 400 hello_time 300 max_age 1000 priority 4096 "
        "mcast_snooping 0 ageing_time 6000"
    ),
    "link add v0 mtu 9000 type veth peer name p0 mtu 9000",
    "link set v0 master br0",
    "link set v0 type bridge_slave cost 7 priority 12 hairpin on guard on learning off flood off isolated on",
    "link add link p0 name mv0 type macvlan mode private",
    "link add link p0 name mt0 type macvtap mode bridge",
    "link add vx0 type vxlan id 42 group 239.1.1.1 dev p0 ttl 5 nolearning local 10.0.0.1 dstport 4789",
    "link add vx1 type vxlan id 43 remote 2001:db8::2 dstport 0",
    "tuntap add mode tap tp0 user nobody group nogroup vnet_hdr multi_queue pi",
    "tuntap add mode tun tn0",
    "link set tn0 txqueuelen 100",
    "address add 192.0.2.1/24 dev br0",
    "address add 2001:db8::1/64 dev br0",
    "address add 198.51.100.7/24 dev mv0",
    "link set br0 up",
    "link set v0 up",
    "link set mv0 up",
]

EXPORTED = """\
bridge br0 stp_state on forward_delay 4s hello_time 3s max_age 10s ageing_time 60s priority 4096 mcast_snooping off {
    port v0 cost 7 priority 12 hairpin on guard on learning off flood off isolated on
    addr 192.0.2.1/24 2001:db8::1/64
    up
}

veth v0 mtu 9000 {
    peer p0 mtu 9000
    up
}

macvlan mv0 link p0 mode private {
    addr 198.51.100.7/24
    up
}

macvtap mt0 link p0 mode bridge

vxlan vx0 dev p0 id 42 local 10.0.0.1 group 239.1.1.1 dstport 4789 ttl 5 learning off

vxlan vx1 id 43 remote 2001:db8::2

tap tp0 user nobody group nogroup multi_queue on vnet_hdr on pi on

tun tn0 txqueuelen 100
"""


def build(ns: str) -> None:
    for words in BY_HAND:
        ip(ns, *words.split())


def export(cli, ns: str) -> str:
    result = cli("export", "--netns", ns)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_links_made_by_hand_export_as_the_spec_that_says_so(cli, netns):
    build(netns)
    assert export(cli, netns) == EXPORTED


def test_export_apply_export_gives_the_same_text(cli, netns, tmp_path):
    build(netns)
    first = export(cli, netns)
    spec = tmp_path / "exported.ns"
    spec.write_text(first)

    # the namespace it came from already matches it
    assert cli("plan", spec, "--netns", netns).stdout.startswith("no changes")

    fresh = netns + "-copy"
    ip_netns_add(fresh)
    applied = cli("apply", spec, "--netns", fresh)
    assert applied.exit_code == 0, applied.output
    assert export(cli, fresh) == first


def test_a_peer_in_another_namespace_is_exported_with_its_settings(cli, netns, tmp_path):
    side = netns + "-side"
    ip_netns_add(side)
    ip(netns, "link", "add", "s0", "type", "veth", "peer", "name", "s1", "netns", side)
    ip(side, "address", "add", "10.5.5.5/24", "dev", "s1")
    ip(side, "link", "set", "s1", "up")
    out = tmp_path / "now.ns"
    result = cli("export", "--netns", netns, "-o", out)
    assert result.exit_code == 0, result.output
    assert out.read_text() == (
        f"netns {side}\n\nveth s0 {{\n    peer s1 netns {side} {{\n        addr 10.5.5.5/24\n        up\n    }}\n}}\n"
    )


def test_exporting_a_namespace_that_does_not_exist_is_an_error_not_a_traceback(cli, netns):
    result = cli("export", "--netns", netns + "-absent")
    assert result.exit_code == 1
    assert f"network namespace '{netns}-absent' does not exist [NS501]" in result.stderr
    assert "Traceback" not in result.output


def ip_netns_add(name: str) -> None:
    import subprocess

    subprocess.run(["ip", "netns", "add", name], check=True)
