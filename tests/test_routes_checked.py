"""`ip route`, `ip rule`, sysctl and /proc/sys/net writes in documents and scripts: read by the spec's own reader.

What a spec gets for a route (host bits, an unknown word with its did-you-mean,
a link-local gateway without a device, an unknown sysctl key), a document gets
at the same word; what ip takes but netscript does not model stays quiet.
"""

from __future__ import annotations

from netscript.backends.dsl import print_program
from netscript.frontends import dsl

DOC = """\
# Routing

```
ip route add 10.0.0.1/8 via 192.0.2.1
ip route add 10.0.0.0/8 vai 192.0.2.1
ip route add default via 192.0.2.254 metric 100
ip rule add from 10.0.0.0/8 lokup 100
ip -6 route add 2001:db8::/32 via fe80::1
sysctl -w net.ipv4.ip_forwardd=1
echo 1 > /proc/sys/net/ipv4/ip_forward
ip route add 10.2.0.0/16 dev eth0 initcwnd 10
ip route add 10.1.1.0/30 encap mpls 200/300 via 10.1.1.1 dev eth0
ip route show
```
"""


def test_each_mistake_is_found_at_its_word(cli, tmp_path):
    doc = tmp_path / "routing.md"
    doc.write_text(DOC)
    result = cli("check", doc)
    assert result.exit_code == 1
    found = [line for line in result.output.splitlines() if line.startswith(str(doc))]
    assert [line[len(str(doc)) + 1 :].split(": error: ")[0] for line in found] == ["4:14", "5:25", "7:29", "8:1", "9:1"]
    assert "has host bits set: the network is 10.0.0.0/8 [NS214]" in found[0]
    assert "route has no setting 'vai' [NS403]" in found[1] and "did you mean 'via'?" in result.output
    assert "rule has no setting 'lokup' [NS403]" in found[2]
    assert "needs a device (Egress device not specified) [NS232]" in found[3]
    assert "no sysctl net.ipv4.ip_forwardd" in found[4] and "did you mean 'net.ipv4.ip_forward'?" in result.output


def test_a_clean_routing_document_has_no_findings(cli, tmp_path):
    doc = tmp_path / "clean.md"
    doc.write_text("```\nip route add default via 192.0.2.254 dev eth0\nip -6 rule add from 2001:db8::/32 table 10 "
                   "priority 100\nsysctl -w net.ipv6.conf.all.forwarding=1\n"
                   "echo 1 > /proc/sys/net/ipv4/conf/eth0/proxy_arp\n```\n")
    result = cli("check", doc)
    assert result.exit_code == 0, result.output


def test_translate_to_dsl_carries_routes_rules_and_sysctls(cli, tmp_path):
    script = tmp_path / "up.sh"
    script.write_text("#!/bin/sh\nbrctl addbr br0\nip addr add 192.0.2.1/24 dev br0\nip link set br0 up\n"
                      "ip route add default via 192.0.2.254\nip rule add from 10.0.0.0/8 table 100\n"
                      "sysctl -w net.ipv4.ip_forward=1\n")
    result = cli("translate", script, "--to", "dsl")
    assert result.exit_code == 0, result.output
    spec = result.stdout
    program, problems = dsl.parse(spec)
    assert problems == []
    assert [r.dst for r in program.routes] == ["default"] and program.routes[0].nexthops[0].via == "192.0.2.254"
    assert [(r.src, r.table) for r in program.rules] == [("10.0.0.0/8", 100)]
    assert [(s.key, s.value) for s in program.sysctls] == [("net.ipv4.ip_forward", "1")]
    assert print_program(program) == spec


def test_a_document_judges_only_what_it_shows(cli, tmp_path):
    """A namespace a document makes may get addresses it does not show (a DHCP client, an earlier
    page): a gateway is not judged there; a link the document makes and never brings up is."""
    doc = tmp_path / "ns.md"
    doc.write_text("```\nip netns add ns1\nip -n ns1 link add v0 type veth peer name v1\nip -n ns1 link set v0 up\n"
                   "ip netns exec ns1 dhclient v0\nip -n ns1 route add 10.0.0.0/8 via 192.0.2.1\n"
                   "ip -n ns2 route add default via 10.9.0.1\nip -n ns1 route add 10.1.0.0/16 dev v1\n```\n")
    result = cli("check", doc)
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert len(errors) == 1 and errors[0].startswith(f"{doc}:8:1: error: route 10.1.0.0/16: v1 is not up"), result.output


def test_ip_neigh_and_arp_are_read_by_the_spec_s_neighbour_reader(cli, tmp_path):
    doc = tmp_path / "neigh.md"
    doc.write_text("```\nip link add v0 type veth peer name v1\nip link set v0 up\n"
                   "ip neigh add 192.0.2.300 lladdr 02:00:00:00:00:07 dev v0\n"
                   "ip neigh replace 192.0.2.7 lladr 02:00:00:00:00:07 dev v0\n"
                   "ip neigh add 192.0.2.8 lladdr 02:00:00:00:00:08 dev v0 nud reachable\n"
                   "ip neigh show dev v0\n```\n")
    result = cli("check", doc)
    assert result.exit_code == 1
    errors = [line[len(str(doc)) + 1 :] for line in result.output.splitlines() if ": error: " in line]
    assert [e.split(": error: ")[0] for e in errors] == ["4:14", "5:28"], result.output
    assert "'192.0.2.300' is not an IP address [NS214]" in errors[0] and "did you mean 'lladdr'?" in result.output


def test_translate_to_dsl_carries_static_neighbours(cli, tmp_path):
    script = tmp_path / "up.sh"
    script.write_text("#!/bin/sh\nbrctl addbr br0\nip addr add 192.0.2.1/24 dev br0\nip link set br0 up\n"
                      "arp -s 192.0.2.7 02:00:00:00:00:07\nip -6 neigh replace 2001:db8::7 lladdr 2:0:0:0:0:7 dev br0\n"
                      "arp -i br0 -s 192.0.2.8 02:00:00:00:00:08\narp -d 192.0.2.8\n")
    result = cli("translate", script, "--to", "dsl")
    assert result.exit_code == 0, result.output
    program, problems = dsl.parse(result.stdout)
    assert problems == []
    assert [(n.address, n.lladdr, n.dev) for n in program.neighbours] == [
        ("192.0.2.7", "02:00:00:00:00:07", "br0"), ("2001:db8::7", "02:00:00:00:00:07", "br0")]
    assert print_program(program) == result.stdout
