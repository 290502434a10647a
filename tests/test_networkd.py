"""`netscript render --to networkd`: the files, what networkd cannot say, and the real networkd.

The real test: render a spec's networkd files, let Debian's own systemd-networkd build them in a
fresh namespace (tests/networkd_helpers.py), then compare the namespace with the spec using the
comparison `apply` verifies with (netscript.backends.netlink.session.verify), and with what
`netscript apply` builds from the same spec in another namespace (`netscript export` of both,
which must say the same). Kinds this kernel lacks go through the kernel lab.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from networkd_helpers import NETWORKD, networkd, stand_ins, wait_until

from netscript.backends.netlink.session import verify
from netscript.frontends import load
from netscript.placement import place

needs_networkd = pytest.mark.skipif(
    not os.path.exists(NETWORKD), reason="needs systemd-networkd (Debian package systemd)"
)

# Specs of the kinds this kernel has, every setting networkd has a key for; e0/e1 are stand-ins
# (veth pairs made before networkd starts).
SPECS = {
    "bridge": """
physical e0 {
    up
}

physical e1

bridge br0 stp_state on forward_delay 4s hello_time 3s max_age 12s ageing_time 100s priority 4096 mcast_snooping off mtu 1400 {
    ports e1
    port vp0 cost 7 priority 12 guard on hairpin on learning off flood off isolated on
    addr 10.1.0.1/24 2001:db8:1::1/64
    up
}

bridge br1 priority 100 {
    down
}

veth vp0 peer vp1 mac 02:00:00:00:01:01 {
    up
}
""",
    "stacked": """
physical e0 {
    up
}

macvlan mv0 link e0 mode bridge {
    addr 10.2.0.1/24
    up
}

macvlan mv1 link e0 mode private mtu 1300

macvtap mt0 link e0 mode vepa {
    up
}

vxlan vx0 id 42 remote 192.0.2.7 dstport 4789 ttl 9 learning off {
    addr 10.3.0.1/24
    up
}

vxlan vx1 id 43 group 239.1.1.1 local 10.9.9.9 dev e0 dstport 4790
""",
}


# What netplan can say of the kinds this kernel has (no macvlan, veth, tap: NS705).
NETPLAN_SPECS = {
    "netplan-bridge": """
physical e0 {
    up
}

physical e1

physical e2 {
    down
}

bridge br0 stp_state on forward_delay 4s hello_time 3s max_age 12s ageing_time 100s priority 4096 {
    ports e1
    port e0 cost 7 priority 12
    addr 10.1.0.1/24 2001:db8:1::1/64
    up
}

vxlan vx0 id 42 remote 192.0.2.7 dstport 4789 ttl 9 learning off {
    addr 10.3.0.1/24
    up
}

vxlan vx1 id 43 local 10.9.9.9 dev e2 dstport 4790 mtu 1400
""",
}


def spec_file(tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.ns"
    path.write_text({**SPECS, **NETPLAN_SPECS}[name].lstrip())
    return path


def built_like_apply(cli, spec: Path, program, ns: str, conf: Path, tmp_path: Path) -> None:
    """networkd on ``conf`` in ``ns`` builds what the spec says, and what apply builds elsewhere."""
    stand_ins(program, ns)
    with networkd(ns, conf, tmp_path / "networkd.log") as proc:
        left = wait_until(lambda: verify(program), proc)
    assert left == [], f"{left}\n--- networkd's log:\n{(tmp_path / 'networkd.log').read_text()}"
    other = ns + "-apply"
    subprocess.run(["ip", "netns", "add", other], check=True)  # deleted with ns (conftest)
    stand_ins(program, other)
    applied = cli("apply", spec, "--netns", other)
    assert applied.exit_code == 0, applied.output
    # the same statements; their order is the links' creation order, which differs
    by_networkd, by_apply = (sorted(cli("export", "--netns", n).stdout.strip().split("\n\n")) for n in (ns, other))
    assert by_networkd == by_apply


@needs_networkd
@pytest.mark.kernel
@pytest.mark.parametrize("name", SPECS)
def test_the_real_networkd_builds_what_apply_builds(name, cli, netns, tmp_path):
    spec = spec_file(tmp_path, name)
    program = place(load(str(spec)).program, netns=netns)
    conf = tmp_path / "network"
    rendered = cli("render", spec, "--to", "networkd", "-o", conf)
    assert rendered.exit_code == 0, rendered.output
    built_like_apply(cli, spec, program, netns, conf, tmp_path)


@needs_networkd
@pytest.mark.kernel
@pytest.mark.skipif(not os.path.exists("/usr/sbin/netplan"), reason="needs netplan (Debian package netplan.io)")
@pytest.mark.parametrize("name", NETPLAN_SPECS)
def test_netplan_generate_then_the_real_networkd_builds_what_apply_builds(name, cli, netns, tmp_path):
    spec = spec_file(tmp_path, name)
    program = place(load(str(spec)).program, netns=netns)
    root = tmp_path / "root"
    (root / "etc" / "netplan").mkdir(parents=True)
    yaml = root / "etc" / "netplan" / "60-netscript.yaml"
    rendered = cli("render", spec, "--to", "netplan", "-o", yaml)
    assert rendered.exit_code == 0, rendered.output
    assert oct(yaml.stat().st_mode & 0o777) == "0o600"  # netplan warns about anything more open
    generated = subprocess.run(["netplan", "generate", "--root-dir", str(root)], capture_output=True, text=True)
    assert generated.returncode == 0 and not generated.stderr, generated.stderr
    built_like_apply(cli, spec, program, netns, root / "run" / "systemd" / "network", tmp_path)


@needs_networkd
@pytest.mark.kernel
def test_a_link_networkd_did_not_build_is_found(cli, netns, tmp_path):
    """The check above can fail: a file networkd cannot use leaves the spec unbuilt."""
    spec = spec_file(tmp_path, "stacked")
    program = place(load(str(spec)).program, netns=netns)
    conf = tmp_path / "network"
    assert cli("render", spec, "--to", "networkd", "-o", conf).exit_code == 0
    (conf / "10-netscript-vx0.netdev").write_text("[NetDev]\nName=vx0\nKind=vxlan\n[VXLAN]\nVNI=42\nTTL=8\n")
    stand_ins(program, netns)
    with networkd(netns, conf, tmp_path / "networkd.log") as proc:
        left = wait_until(lambda: verify(program), proc, limit=4)
    assert any(d.link == "vx0" for d in left), left


# -- what networkd cannot say --------------------------------------------------------------

REFUSED = [
    ("physical e0\nmacvlan m0 link e0\n", "NS705", "--to networkd"),
    ("bridge br0 vlan_filtering on\n", "NS706", None),
    ("gretap g0 remote 192.0.2.1\n", "NS706", None),
    ("physical e0\nipip t0 remote 192.0.2.1 local 192.0.2.2 dev e0\n", "NS706", None),
    ("team t0 runner activebackup\n", "NS702", "--team-as-bond"),
    ("netns red\nbridge br0 netns red\n", "NS701", None),
    ("bond b0 use_carrier off\n", "NS703", None),
    ("physical e0\nbond b0 {\n    port e0 prio 5\n}\n", "NS704", None),
    ("vlan v0 link e0 id 5 bridge_binding on\nphysical e0\n", "NS703", None),
]


@pytest.mark.parametrize("text, code, hint", REFUSED)
def test_what_networkd_or_netplan_cannot_say_is_an_error_and_nothing_is_written(cli, tmp_path, text, code, hint):
    spec = tmp_path / "x.ns"
    spec.write_text(text)
    out = tmp_path / "network"
    target = "netplan" if code in ("NS705", "NS706") else "networkd"
    result = cli("render", spec, "--to", target, "-o", out)
    assert result.exit_code == 1, result.output
    assert f"[{code}]" in result.output
    if hint:
        assert hint in result.output
    assert not out.exists()


def test_files_are_deterministic_and_name_the_spec(cli, tmp_path):
    spec = spec_file(tmp_path, "bridge")
    first = cli("render", spec, "--to", "networkd").stdout
    assert first == cli("render", spec, "--to", "networkd").stdout
    assert "# Generated by netscript from bridge.ns" in first
    assert "# --- 10-netscript-br0.netdev" in first


def test_prune_removes_only_our_own_old_files(cli, tmp_path):
    spec = spec_file(tmp_path, "bridge")
    out = tmp_path / "network"
    out.mkdir()
    (out / "10-netscript-old.network").write_text("# Generated by netscript from old.ns\n[Match]\nName=old\n")
    (out / "10-netscript-theirs.network").write_text("[Match]\nName=theirs\n")  # not ours: no mark
    (out / "99-default.network").write_text("[Match]\nName=*\n")
    result = cli("render", spec, "--to", "networkd", "-o", out, "--prune")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert "10-netscript-old.network" not in names
    assert {"10-netscript-theirs.network", "99-default.network", "10-netscript-br0.netdev"} <= set(names)
    again = cli("render", spec, "--to", "networkd", "-o", out, "--prefix", "20-lab-")
    assert again.exit_code == 0
    assert (out / "20-lab-br0.netdev").exists()


def test_networkd_options_refused_with_bash(cli, tmp_path):
    spec = spec_file(tmp_path, "bridge")
    assert cli("render", spec, "--prune").exit_code == 2
    assert cli("render", spec, "--to", "networkd", "--batch").exit_code == 2


# -- a legacy script, then its boot-time configuration -------------------------------------

OLD_SCRIPT = """#!/bin/sh
# bring up the lab bridge
brctl addbr br0
brctl stp br0 on
brctl setfd br0 4
brctl addif br0 eth1
ifconfig br0 10.1.0.1 netmask 255.255.255.0 up
"""


@needs_networkd
@pytest.mark.kernel
@pytest.mark.parametrize("target", ["networkd", "netplan"])
def test_a_legacy_script_and_its_boot_configuration_build_the_same(target, cli, netns, tmp_path):
    """The old tools (Debian's brctl, net-tools' ifconfig) in one namespace; networkd, from
    `translate --to networkd` (or netplan's files), in another; the two exports are the same."""
    if target == "netplan" and not os.path.exists("/usr/sbin/netplan"):
        pytest.skip("needs netplan (Debian package netplan.io)")
    script = tmp_path / "old-bridge.sh"
    script.write_text(OLD_SCRIPT)
    subprocess.run(["ip", "-n", netns, "link", "add", "eth1", "type", "veth", "peer", "name", "eth1p"], check=True)
    subprocess.run(["ip", "netns", "exec", netns, "sh", str(script)], check=True, capture_output=True)

    other = netns + "-boot"
    subprocess.run(["ip", "netns", "add", other], check=True)  # deleted with netns (conftest)
    subprocess.run(["ip", "-n", other, "link", "add", "eth1", "type", "veth", "peer", "name", "eth1p"], check=True)
    if target == "networkd":
        conf = tmp_path / "network"
        result = cli("translate", script, "--to", "networkd", "-o", conf)
    else:
        root = tmp_path / "root"
        (root / "etc" / "netplan").mkdir(parents=True)
        result = cli("translate", script, "--to", "netplan", "-o", root / "etc" / "netplan" / "60-lab.yaml")
        subprocess.run(["netplan", "generate", "--root-dir", str(root)], check=True)
        conf = root / "run" / "systemd" / "network"
    assert result.exit_code == 0, result.output
    legacy = sorted(cli("export", "--netns", netns).stdout.strip().split("\n\n"))
    with networkd(other, conf, tmp_path / "networkd.log") as proc:
        left = wait_until(lambda: sorted(cli("export", "--netns", other).stdout.strip().split("\n\n")) != legacy, proc)
    assert not left, f"--- networkd's log:\n{(tmp_path / 'networkd.log').read_text()}"
    assert "bridge br0 stp_state on forward_delay 4s" in "\n".join(legacy)  # the old tools did build it
