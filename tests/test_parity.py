"""The parity test: every setting of every kind this kernel has, drifted by hand, converges back
with each backend (the rendered script, `render --batch`, `apply`).

For each case the spec is built, then someone changes that one attribute with `ip` (the drift
commands are written out here, as a person would type them), and each backend in turn must
bring the kernel back to the spec (tests/kernelstate.py reads it with `ip -d -j`, attribute by
attribute) and a second run must then change nothing. The table must cover every setting the
kinds declare (test_every_setting_has_a_case): a setting added to a kind without a case here
fails. bond, team, vlan, ipvlan, dummy, vrf and the tunnels are the kernel lab's
(tests/kernel/test_render_lab.py, test_apply_lab.py, test_tunnels_lab.py drift their create-only
settings there).
"""

from __future__ import annotations

import subprocess

import pytest
from backend_runs import BACKENDS, Build
from kernelstate import differences

from netscript import kinds
from netscript.ir.model import LinkKind

pytestmark = pytest.mark.kernel

# kinds this machine's kernel makes; the others are the lab's
HOST_KINDS = (LinkKind.BRIDGE, LinkKind.MACVLAN, LinkKind.MACVTAP, LinkKind.VXLAN, LinkKind.TAP, LinkKind.TUN)
# settings this kernel's bridge lacks (no CONFIG_BRIDGE_VLAN_FILTERING): the lab has them
NOT_HERE = {(LinkKind.BRIDGE, "vlan_filtering")}

PARENT = "veth e0 peer e0p\n"
# (kind, setting or "port SETTING" or a common one, the spec, the drift)
CASES = [
    (LinkKind.BRIDGE, "stp_state", "bridge br0 stp_state on\n", ["link set br0 type bridge stp_state 0"]),
    (LinkKind.BRIDGE, "forward_delay", "bridge br0 forward_delay 7s\n", ["link set br0 type bridge forward_delay 900"]),
    (LinkKind.BRIDGE, "hello_time", "bridge br0 hello_time 3s\n", ["link set br0 type bridge hello_time 400"]),
    (LinkKind.BRIDGE, "max_age", "bridge br0 max_age 12s\n", ["link set br0 type bridge max_age 1500"]),
    (LinkKind.BRIDGE, "ageing_time", "bridge br0 ageing_time 100s\n", ["link set br0 type bridge ageing_time 20000"]),
    (LinkKind.BRIDGE, "priority", "bridge br0 priority 4096\n", ["link set br0 type bridge priority 8192"]),
    (LinkKind.BRIDGE, "mcast_snooping", "bridge br0 mcast_snooping off\n", ["link set br0 type bridge mcast_snooping 1"]),
    (LinkKind.BRIDGE, "mtu", "bridge br0 mtu 1400\n", ["link set br0 mtu 1300"]),
    (LinkKind.BRIDGE, "mac", "bridge br0 mac 02:00:00:00:00:0a\n", ["link set br0 address 02:00:00:00:00:0b"]),
    (LinkKind.BRIDGE, "txqueuelen", "bridge br0 txqueuelen 700\n", ["link set br0 txqueuelen 900"]),
    (LinkKind.BRIDGE, "state", "bridge br0 {\n    up\n}\n", ["link set br0 down"]),
    (LinkKind.BRIDGE, "address", "bridge br0 {\n    addr 10.1.0.1/24\n}\n", ["address del 10.1.0.1/24 dev br0"]),
    (LinkKind.BRIDGE, "ports", PARENT + "bridge br0 {\n    ports e0\n}\n", ["link set e0 nomaster"]),
    *[
        (LinkKind.BRIDGE, f"port {key}", PARENT + f"bridge br0 {{\n    port e0 {key} {a}\n}}\n",
         [f"link set e0 type bridge_slave {ip_key} {b}"])
        for key, ip_key, a, b in (
            ("cost", "cost", "7", "9"),
            ("priority", "priority", "12", "13"),
            ("hairpin", "hairpin", "on", "off"),
            ("guard", "guard", "on", "off"),
            ("learning", "learning", "off", "on"),
            ("flood", "flood", "off", "on"),
            ("isolated", "isolated", "on", "off"),
        )
    ],
    (LinkKind.MACVLAN, "mode", PARENT + "macvlan m0 link e0 mode private\n",
     ["link del m0", "link add link e0 name m0 type macvlan mode bridge"]),
    (LinkKind.MACVLAN, "parent", PARENT + "veth e1 peer e1p\nmacvlan m0 link e0\n",
     ["link del m0", "link add link e1 name m0 type macvlan"]),
    (LinkKind.MACVTAP, "mode", PARENT + "macvtap m0 link e0 mode private\n",
     ["link del m0", "link add link e0 name m0 type macvtap mode bridge"]),
    *[
        (LinkKind.VXLAN, key, f"vxlan vx0 id 42 dstport 4789 remote 192.0.2.7 {spec}\n",
         ["link del vx0", f"link add vx0 type vxlan id 42 dstport 4789 remote 192.0.2.7 {drift}"])
        for key, spec, drift in (
            ("ttl", "ttl 9", "ttl 10"),
            ("learning", "learning off", "learning"),
            ("local", "local 10.9.9.9", "local 10.9.9.8"),
        )
    ],
    (LinkKind.VXLAN, "id", "vxlan vx0 id 42 dstport 4789 remote 192.0.2.7\n",
     ["link del vx0", "link add vx0 type vxlan id 43 dstport 4789 remote 192.0.2.7"]),
    (LinkKind.VXLAN, "dstport", "vxlan vx0 id 42 dstport 4789 remote 192.0.2.7\n",
     ["link del vx0", "link add vx0 type vxlan id 42 dstport 4790 remote 192.0.2.7"]),
    (LinkKind.VXLAN, "remote", "vxlan vx0 id 42 dstport 4789 remote 192.0.2.7\n",
     ["link del vx0", "link add vx0 type vxlan id 42 dstport 4789 remote 192.0.2.8"]),
    (LinkKind.VXLAN, "group", PARENT + "vxlan vx0 id 42 dstport 4789 group 239.1.1.1 dev e0\n",
     ["link del vx0", "link add vx0 type vxlan id 42 dstport 4789 group 239.1.1.2 dev e0"]),
    *[
        (kind, key, f"{kind.value} t0 {spec}\n", ["link del t0", f"tuntap add dev t0 mode {kind.value} {drift}"])
        for kind in (LinkKind.TAP, LinkKind.TUN)
        for key, spec, drift in (
            ("user", "user nobody", "user root"),
            ("group", "group nogroup", "group root"),
            ("multi_queue", "multi_queue on", ""),
            ("vnet_hdr", "vnet_hdr on", ""),
            ("pi", "pi on", ""),
        )
    ],
    (LinkKind.VETH, "peer", "veth v0 peer v1\n", ["link del v0", "link add v0 type veth peer name v2"]),
]


def test_every_setting_has_a_case():
    for kind in HOST_KINDS:
        spec = kinds.spec(kind)
        covered = {case[1] for case in CASES if case[0] is kind}
        wanted = {f for _, (f, _) in kinds.settings(spec.options).items()} if spec.options else set()
        wanted |= {f"port {key}" for key in kinds.settings(spec.port_options)} if spec.port_options else set()
        assert wanted - covered - {key for k, key in NOT_HERE if k is kind} == set(), kind.value


@pytest.mark.parametrize("kind, setting, text, drift", CASES, ids=[f"{c[0].value}-{c[1]}" for c in CASES])
def test_a_drifted_setting_converges_with_every_backend(cli, netns, tmp_path, kind, setting, text, drift):
    spec = tmp_path / "spec.ns"
    spec.write_text(text)
    builds = [Build(cli, backend, spec, netns, tmp_path) for backend in BACKENDS]
    status, output = builds[-1].run()  # built once (by apply), then drifted before each backend
    assert status == 0, output
    program = builds[-1].program
    for build in builds:
        batch = "".join(line + "\n" for line in drift)
        subprocess.run(["ip", "-n", netns, "-batch", "-"], input=batch, text=True, check=True, capture_output=True)
        assert differences(program) != [], f"the drift ({drift}) changed nothing the oracle sees"
        status, output = build.run()
        assert status == 0, f"{build.backend}: {output}"
        assert differences(program) == [], f"{build.backend} left {differences(program)}\n{output}"
        status, output = build.run()
        assert status == 0 and differences(program) == [], f"{build.backend}, second run: {output}"
