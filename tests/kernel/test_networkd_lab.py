"""`render --to networkd` for the kinds only the lab kernel has: bond, vlan, ipvlan, dummy, vrf,
geneve, gretap, ipip. As tests/test_networkd.py does on the host: Debian's real systemd-networkd
builds the rendered files in a fresh namespace, the result passes apply's own verification and
exports the same as what `netscript apply` builds from the spec in another namespace.
Run with ``bash tests/kernel/run``; skipped elsewhere.
"""

from __future__ import annotations

import pytest
from networkd_helpers import networkd, wait_until

from netscript.backends.netlink.session import verify
from netscript.frontends import load
from netscript.plan import place

from .test_render_lab import cli, make_stand_ins

SPECS = {
    "bond-vlan": """
physical e0
physical e1
physical e2 {
    up
}

bond bond0 mode active-backup miimon 100 updelay 200 primary e1 {
    ports e0 e1
    addr 192.0.2.1/24
    up
}

vlan bond0.7 link bond0 id 7 {
    addr 192.0.2.65/26
    up
}

vlan vl5 link e2 id 5 protocol 802.1ad gvrp on {
    up
}
""",
    "ipvlan-dummy-vrf": """
physical e0 {
    up
}

ipvlan ipl2 link e0 mode l2 flag private {
    addr 10.6.0.2/24
    up
}

dummy dm0 mtu 9000 {
    addr 10.7.0.1/24
    up
}

vrf blue table 100 {
    ports dm0
    up
}
""",
    "tunnels": """
physical e0 {
    up
}

geneve gnv0 id 5000 remote 192.0.2.1 ttl 64 {
    up
}

gretap gt0 remote 192.0.2.3 local 192.0.2.2 key 7 ttl 10 dev e0 {
    up
}

ipip t0 remote 192.0.2.5 ttl 30 {
    addr 10.8.0.1/30
    up
}
""",
}


@pytest.mark.parametrize("name", SPECS)
def test_the_real_networkd_builds_what_apply_builds(name, spec_ns, make_netns, tmp_path):
    ns = spec_ns
    spec = tmp_path / f"{name}.ns"
    spec.write_text(SPECS[name].lstrip())
    program = place(load(str(spec)).program, netns=ns)
    conf = tmp_path / "network"
    rendered = cli("render", spec, "--to", "networkd", "-o", conf)
    assert rendered.exit_code == 0, rendered.output
    make_stand_ins(program, ns)
    with networkd(ns, conf, tmp_path / "networkd.log") as proc:
        left = wait_until(lambda: verify(program), proc, limit=60)
    assert left == [], f"{left}\n--- networkd's log:\n{(tmp_path / 'networkd.log').read_text()}"

    other = make_netns()
    make_stand_ins(place(load(str(spec)).program, netns=other), other)
    applied = cli("apply", spec, "--netns", other)
    assert applied.exit_code == 0, applied.output
    exports = [sorted(cli("export", "--netns", n).stdout.strip().split("\n\n")) for n in (ns, other)]
    assert exports[0] == exports[1]
