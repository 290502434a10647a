"""Static neighbours in `render --to networkd` and `--to netplan`.

networkd writes each as a [Neighbor] of its link's .network, and the real
networkd (Debian 12's systemd 252, tests/networkd_helpers.py) must make the
spec's permanent entries in a fresh namespace, read back with `ip -j neigh`.
netplan 0.106 has no key for a neighbour entry (its only neighbour word is a
VXLAN's neigh-suppress), so a spec's `neigh` is an error at its statement there,
never an entry left out without a word.
"""

from __future__ import annotations

import json
import os
import subprocess

import pytest
from networkd_helpers import NETWORKD, networkd, stand_ins, wait_until

from netscript.frontends import load
from netscript.placement import place

SPEC = """\
bridge br0 {
    addr 192.0.2.10/24 2001:db8:1::10/64
    neigh 192.0.2.7 lladdr 02:00:00:00:00:07
    neigh 2001:db8:1::7 lladdr 02:00:00:00:00:17
    up
}
"""


def neighbours(ns: str) -> list[tuple]:
    out = subprocess.run(["ip", "-n", ns, "-j", "neigh", "show", "nud", "permanent"], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    return sorted((n["dst"], n["dev"], n.get("lladdr")) for n in json.loads(out))


@pytest.mark.skipif(not os.path.exists(NETWORKD), reason="needs systemd-networkd (Debian package systemd)")
@pytest.mark.kernel
def test_the_real_networkd_makes_the_neighbour_entries(cli, netns, tmp_path):
    spec = tmp_path / "n.ns"
    spec.write_text(SPEC)
    conf = tmp_path / "network"
    rendered = cli("render", spec, "--to", "networkd", "-o", conf)
    assert rendered.exit_code == 0, rendered.output
    assert "[Neighbor]\nAddress=192.0.2.7\nLinkLayerAddress=02:00:00:00:00:07\n" in (conf / "10-netscript-br0.network").read_text()
    wanted = [("192.0.2.7", "br0", "02:00:00:00:00:07"), ("2001:db8:1::7", "br0", "02:00:00:00:00:17")]
    program = place(load(str(spec)).program, netns=netns)
    stand_ins(program, netns)
    with networkd(netns, conf, tmp_path / "networkd.log") as proc:
        left = wait_until(lambda: [] if neighbours(netns) == wanted else [f"entries: {neighbours(netns)}"], proc)
    assert left == [], "\n".join(left) + f"\n--- networkd's log:\n{(tmp_path / 'networkd.log').read_text()}"


ELSEWHERE = "netns r\nbridge br1 netns r\nneigh 192.0.2.7 lladdr 02:00:00:00:00:07 dev br1 netns r\n"


@pytest.mark.parametrize("target, text, code, words", [
    ("netplan", SPEC, "NS706", "neigh 192.0.2.7: netplan has no key"),
    ("networkd", ELSEWHERE, "NS701", "neigh 192.0.2.7 is in namespace r"),
    ("netplan", ELSEWHERE, "NS701", "neigh 192.0.2.7 is in namespace r"),
])  # fmt: skip
def test_a_neighbour_the_target_cannot_say_is_an_error_at_its_statement(cli, tmp_path, target, text, code, words):
    spec = tmp_path / "x.ns"
    spec.write_text(text)
    out = tmp_path / "out"
    result = cli("render", spec, "--to", target, "-o", out)
    assert result.exit_code == 1, result.output
    line = 1 + text.splitlines().index(next(t for t in text.splitlines() if "neigh" in t))
    assert any(f"x.ns:{line}:" in out_line and f"[{code}]" in out_line and words in out_line
               for out_line in result.output.splitlines()), result.output  # fmt: skip
    assert not out.exists()
