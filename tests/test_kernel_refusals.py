"""Specs the kernel would refuse are errors before anything is built.

Each case is a spec and the `ip` commands that would build it. The commands
run in a fresh namespace and one of them must fail (so the rule is the
kernel's, not ours), and `netscript check` must report the case's code at
the place named, so a script never stops half way through a namespace.
"""

from __future__ import annotations

import subprocess

import pytest

pytestmark = pytest.mark.kernel

CASES = [
    (
        "vxlan-group-needs-dev",
        "vxlan vx0 id 42 group 239.1.1.1 dstport 4789\n",
        ["link add vx0 type vxlan id 42 group 239.1.1.1 dstport 4789"],
        "NS213", "1:23",
    ),
    (
        "vxlan-mixed-families",
        "vxlan vx0 id 42 local 2001:db8::1 remote 192.0.2.1 dstport 4789\n",
        ["link add vx0 type vxlan id 42 local 2001:db8::1 remote 192.0.2.1 dstport 4789"],
        "NS214", "1:23",
    ),
    (
        "mac-on-a-tun",
        "tun tn0 mac 02:00:00:00:00:01\n",
        ["tuntap add mode tun tn0", "link set dev tn0 address 02:00:00:00:00:01"],
        "NS214", "1:13",
    ),
    (
        "vxlan-port-of-its-own-dev",
        "bridge br0 {\n    ports vx0\n}\nvxlan vx0 id 5 group 239.1.1.1 dev br0 dstport 4789\n",
        ["link add br0 type bridge", "link add vx0 type vxlan id 5 group 239.1.1.1 dev br0 dstport 4789",
         "link set vx0 master br0"],
        "NS227", "4:36",
    ),
    (
        "macvlan-port-of-its-parent",
        "bridge br0 {\n    ports m0\n}\nmacvlan m0 link br0 mode bridge\n",
        ["link add br0 type bridge", "link add link br0 name m0 type macvlan mode bridge", "link set m0 master br0"],
        "NS227", "4:17",
    ),
    (
        "tun-as-a-bridge-port",
        "tun tn0\nbridge br0 {\n    ports tn0\n}\n",
        ["tuntap add mode tun tn0", "link add br0 type bridge", "link set tn0 master br0"],
        "NS230", "3:11",
    ),
]


@pytest.mark.parametrize("name,spec,commands,code,where", CASES, ids=[c[0] for c in CASES])
def test_what_the_kernel_refuses_check_reports(cli, netns, tmp_path, name, spec, commands, code, where):
    results = [subprocess.run(["ip", "-n", netns, *c.split()], capture_output=True, text=True, check=False)
               for c in commands]
    assert any(r.returncode != 0 for r in results), f"the kernel took {name}: the rule would be ours alone"
    path = tmp_path / f"{name}.ns"
    path.write_text(spec)
    result = cli("check", path)
    assert result.exit_code == 1
    assert f"{path}:{where}: error: " in result.output and f"[{code}]" in result.output, result.output


def test_a_macvlan_on_a_bridge_port_in_a_document(cli, netns, tmp_path):
    commands = ["link add br0 type bridge", "link add eth1 type veth peer name eth1p", "link set dev eth1 master br0",
                "link add link eth1 name mv0 type macvlan mode bridge"]
    results = [subprocess.run(["ip", "-n", netns, *c.split()], capture_output=True, text=True, check=False)
               for c in commands]
    assert [r.returncode for r in results[:3]] == [0, 0, 0] and results[3].returncode != 0, results[3].stderr
    doc = tmp_path / "howto.md"
    doc.write_text("```\n" + "".join(f"# ip {c}\n" for c in commands) + "```\n")
    result = cli("check", doc)
    assert result.exit_code == 1
    assert f"{doc}:5:3: error: macvlan mv0 sits on eth1, which is a port of br0" in result.output, result.output
