"""export of a topology that spans namespaces: one spec that check accepts and apply builds again."""

from __future__ import annotations

import subprocess

import pytest

pytestmark = pytest.mark.kernel

SPEC = """\
netns c1
physical eth1
bridge br0 {
    ports v0
    up
}
veth v0 peer eth0@c1
macvlan m0 link eth1@. netns c1 mode bridge
macvlan eth1 link eth0 netns c1 mode private
"""


def test_export_with_the_prefix_round_trips_through_apply(cli, netns, tmp_path):
    subprocess.run(["ip", "-n", netns, "link", "add", "eth1", "type", "veth", "peer", "name", "eth1p"], check=True)
    spec = tmp_path / "topo.ns"
    spec.write_text(SPEC)
    assert cli("apply", spec, "--netns", netns, "--netns-prefix", netns + "-").exit_code == 0

    exported = cli("export", "--netns", netns, "--netns-prefix", netns + "-")
    assert exported.exit_code == 0, exported.output
    text = exported.stdout
    assert text.startswith("netns c1\n")
    assert "macvlan m0 netns c1 link eth1@. mode bridge" in text  # the host's eth1, not c1's
    assert "macvlan eth1 netns c1 link eth0@c1 mode private" in text  # c1's own links are written too
    copy = tmp_path / "exported.ns"
    copy.write_text(text)
    assert cli("check", copy).exit_code == 0

    other = netns + "-x"
    subprocess.run(["ip", "netns", "add", other], check=True)
    rebuilt = cli("apply", copy, "--netns", other, "--netns-prefix", other + "-")
    assert rebuilt.exit_code == 0, rebuilt.output
    again = cli("export", "--netns", other, "--netns-prefix", other + "-")
    assert again.stdout == text


def test_export_without_the_prefix_writes_one_namespace(cli, netns, tmp_path):
    spec = tmp_path / "topo.ns"
    spec.write_text("netns c1\nveth v0 peer eth0@c1\n")
    assert cli("apply", spec, "--netns", netns, "--netns-prefix", netns + "-").exit_code == 0
    text = cli("export", "--netns", netns).stdout
    assert f"veth v0 peer eth0@{netns}-c1" in text and "netns c1" not in text
