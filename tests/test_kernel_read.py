"""The kernel reader on live links: what it decodes, and that it decodes each thing once."""

from __future__ import annotations

import subprocess

import pytest

from netscript.frontends import kernel

pytestmark = pytest.mark.kernel


def ip(netns: str, *words: str) -> None:
    subprocess.run(["ip", "-n", netns, *words], check=True, capture_output=True)


def test_ports_that_report_the_same_settings_share_one_decoded_options(netns):
    ip(netns, "link", "add", "br0", "type", "bridge")
    for port in ("d0", "d1", "d2"):
        ip(netns, "link", "add", port, "master", "br0", "type", "veth", "peer", "name", f"p{port}")
    ip(netns, "link", "set", "dev", "d2", "type", "bridge_slave", "cost", "42")
    links = kernel.read([netns]).namespaces[netns]
    same, other = links["d0"].port_options, links["d2"].port_options
    assert links["d1"].port_options is same  # one decode for the ports whose attributes are the same bytes
    assert same is not None and same == links["d1"].port_options
    assert other.cost == 42 and same.cost != 42
    assert links["br0"].port_options is None and links["d0"].master == "br0"
