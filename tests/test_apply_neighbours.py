"""Static neighbours over netlink: plan and apply."""

from __future__ import annotations

import json
import subprocess

import pytest

pytestmark = pytest.mark.kernel

SPEC = """\
bridge br0 {
    addr 192.0.2.10/24
    neigh 192.0.2.7 lladdr 02:00:00:00:00:07
    up
}
"""


def neighbours(ns: str) -> list[tuple]:
    out = subprocess.run(["ip", "-n", ns, "-j", "neigh", "show", "nud", "permanent"], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    return sorted((n["dst"], n["dev"], n.get("lladdr")) for n in json.loads(out))


def links(ns: str) -> list[str]:
    out = subprocess.run(["ip", "-n", ns, "-j", "link"], capture_output=True, text=True, check=True).stdout
    return sorted(link["ifname"] for link in json.loads(out))


@pytest.mark.parametrize("command", ["plan", "apply"])
def test_a_neighbour_apply_cannot_send_is_an_error_at_its_statement_and_nothing_changes(cli, netns, tmp_path,
                                                                                        command):  # fmt: skip
    spec = tmp_path / "n.ns"
    spec.write_text(SPEC)
    result = cli(command, spec, "--netns", netns)
    assert result.exit_code == 1, result.output
    assert any("n.ns:3:" in line and "[NS510]" in line and "neigh 192.0.2.7" in line
               for line in result.output.splitlines()), result.output  # fmt: skip
    assert links(netns) == ["lo"] and neighbours(netns) == []
