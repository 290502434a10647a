"""Routes the kernel would refuse are errors before anything is built, and the same spec put right is clean.

Each case is a spec (in a namespace it declares, so netscript knows all of
its links) and the `ip` commands that build it. In a fresh namespace the
last command fails, so the rule is the kernel's; `netscript check` reports
the code at the place named. Then the case's correction: its commands all
succeed and `check` says nothing, so the rule raises no false alarm.
"""

from __future__ import annotations

import subprocess

import pytest

pytestmark = pytest.mark.kernel

BASE = "netns r\nbridge br0 netns r {\n    addr 192.0.2.10/24 2001:db8::10/64\n    up\n}\n"
BASE_IP = ["link add br0 type bridge", "addr add 192.0.2.10/24 dev br0", "-6 addr add 2001:db8::10/64 dev br0 nodad",
           "link set br0 up"]

# name, spec lines after BASE, the commands after BASE_IP, code, line:col; then the corrected line and command
CASES = [
    ("gateway-off-subnet", "route 10.0.0.0/8 via 198.51.100.1 netns r", "route add 10.0.0.0/8 via 198.51.100.1",
     "NS232", "6:22", "route 10.0.0.0/8 via 192.0.2.1 netns r", "route add 10.0.0.0/8 via 192.0.2.1"),
    ("gateway-off-dev-subnet", "route 10.0.0.0/8 via 198.51.100.1 dev br0 netns r",
     "route add 10.0.0.0/8 via 198.51.100.1 dev br0", "NS232", "6:22",
     "route 10.0.0.0/8 via 198.51.100.1 dev br0 onlink netns r", "route add 10.0.0.0/8 via 198.51.100.1 dev br0 onlink"),
    ("device-down", "veth v0 netns r peer v1@r\nroute 10.1.0.0/16 dev v0 netns r",
     "link add v0 type veth peer name v1\nroute add 10.1.0.0/16 dev v0", "NS232", "7:23",
     "veth v0 netns r peer v1@r up\nroute 10.1.0.0/16 dev v0 netns r",
     "link add v0 type veth peer name v1\nlink set v0 up\nroute add 10.1.0.0/16 dev v0"),
    ("link-local-gateway-without-device", "route 2001:db8:1::/48 via fe80::1 netns r",
     "-6 route add 2001:db8:1::/48 via fe80::1", "NS232", "6:27",
     "route 2001:db8:1::/48 via fe80::1 dev br0 netns r", "-6 route add 2001:db8:1::/48 via fe80::1 dev br0"),
    ("source-not-local", "route 10.2.0.0/16 dev br0 src 192.0.2.99 netns r",
     "route add 10.2.0.0/16 dev br0 src 192.0.2.99", "NS236", "6:31",
     "route 10.2.0.0/16 dev br0 src 192.0.2.10 netns r", "route add 10.2.0.0/16 dev br0 src 192.0.2.10"),
    ("host-bits", "route 10.0.0.1/8 dev br0 netns r", "route add 10.0.0.1/8 dev br0", "NS214", "6:7",
     "route 10.0.0.0/8 dev br0 netns r", "route add 10.0.0.0/8 dev br0"),
    ("same-route-twice", "route 10.3.0.0/16 dev br0 table 100 netns r\nroute 10.3.0.0/16 via 192.0.2.1 table 100 netns r",
     "route add 10.3.0.0/16 dev br0 table 100\nroute add 10.3.0.0/16 via 192.0.2.1 table 100", "NS234", "7:7",
     "route 10.3.0.0/16 dev br0 table 100 netns r\nroute 10.3.0.0/16 via 192.0.2.1 table 100 metric 5 netns r",
     "route add 10.3.0.0/16 dev br0 table 100\nroute add 10.3.0.0/16 via 192.0.2.1 table 100 metric 5"),
    ("same-rule-twice", "rule from 10.0.0.0/8 table 100 priority 100 netns r\nrule from 10.0.0.0/8 table 100 priority 100 netns r",
     "rule add from 10.0.0.0/8 table 100 priority 100\nrule add from 10.0.0.0/8 table 100 priority 100", "NS234", "7:6",
     "rule from 10.0.0.0/8 table 100 priority 100 netns r\nrule from 10.0.0.0/8 table 101 priority 100 netns r",
     "rule add from 10.0.0.0/8 table 100 priority 100\nrule add from 10.0.0.0/8 table 101 priority 100"),
]


def _run(netns: str, commands: list[str]) -> list[subprocess.CompletedProcess]:
    return [subprocess.run(["ip", "-n", netns, *c.split()], capture_output=True, text=True, check=False) for c in commands]


@pytest.mark.parametrize("name,spec,commands,code,where,fixed,fixed_commands", CASES, ids=[c[0] for c in CASES])
def test_a_route_the_kernel_refuses_is_an_error(cli, netns, tmp_path, name, spec, commands, code, where, fixed,
                                               fixed_commands):
    results = _run(netns, BASE_IP + commands.splitlines())
    assert all(r.returncode == 0 for r in results[:-1]), [r.stderr for r in results]
    assert results[-1].returncode != 0, f"the kernel took {name}: the rule would be ours alone"
    path = tmp_path / f"{name}.ns"
    path.write_text(BASE + spec + "\n")
    result = cli("check", path)
    assert result.exit_code == 1
    assert f"{path}:{where}: error: " in result.output and f"[{code}]" in result.output, result.output


@pytest.mark.parametrize("name,spec,commands,code,where,fixed,fixed_commands", CASES, ids=[c[0] for c in CASES])
def test_the_same_route_put_right_is_clean(cli, netns, tmp_path, name, spec, commands, code, where, fixed,
                                          fixed_commands):
    results = _run(netns, BASE_IP + fixed_commands.splitlines())
    assert all(r.returncode == 0 for r in results), [(r.args, r.stderr) for r in results]
    path = tmp_path / f"{name}.ns"
    path.write_text(BASE + fixed + "\n")
    result = cli("check", path)
    assert result.exit_code == 0, result.output


def test_an_unknown_sysctl_is_what_sysctl_refuses(cli, netns, tmp_path):
    refused = subprocess.run(["ip", "netns", "exec", netns, "sysctl", "-w", "net.ipv4.ip_forwarding=1"],
                             capture_output=True, text=True, check=False)
    assert refused.returncode != 0
    path = tmp_path / "s.ns"
    path.write_text("sysctl net.ipv4.ip_forwarding 1\nsysctl net.ipv4.ip_forward 1\n")
    result = cli("check", path)
    assert result.exit_code == 1
    assert f"{path}:1:8: error: the kernel has no sysctl net.ipv4.ip_forwarding" in result.output
    assert "did you mean 'net.ipv4.ip_forward'?" in result.output
    assert result.output.count("error:") == 1, result.output


@pytest.mark.parametrize("link,make,lladdr,code", [
    ("t0", "tuntap add t0 mode tun", "02:00:00:00:00:07", "NS237"),
    ("v0", "link add v0 type veth peer name v1", "02:00:00:00:00:07", None),
    ("v0", "link add v0 type veth peer name v1", "01:00:5e:00:00:07", None),  # a multicast cluster's entry
])
def test_a_neighbour_is_an_error_where_the_kernel_keeps_another_entry(cli, netns, tmp_path, link, make, lladdr, code):
    results = _run(netns, [make, f"link set {link} up",
                           f"neigh replace 192.0.2.7 lladdr {lladdr} dev {link} nud permanent"])
    assert all(r.returncode == 0 for r in results), "the kernel refuses none of these"
    shown = subprocess.run(["ip", "-n", netns, "-j", "neigh", "show", "dev", link], capture_output=True, text=True,
                           check=True).stdout
    kept_as_asked = '"dst":"192.0.2.7"' in shown and f'"lladdr":"{lladdr}"' in shown
    assert kept_as_asked == (code is None), shown
    declared = "tun t0" if link == "t0" else "veth v0 peer v1@r"
    path = tmp_path / "n.ns"
    path.write_text(f"netns r\n{declared} netns r {{ up }}\nneigh 192.0.2.7 lladdr {lladdr} dev {link} netns r\n")
    result = cli("check", path)
    if code is None:
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code == 1 and f"{path}:3:46: error: " in result.output and f"[{code}]" in result.output
