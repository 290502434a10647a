"""Static neighbours in `render --to networkd` and `--to netplan`.

netplan 0.106 has no key for a neighbour entry (its only neighbour word is a
VXLAN's neigh-suppress), so a spec's `neigh` is an error at its statement there,
never an entry left out without a word.
"""

from __future__ import annotations

import pytest

SPEC = """\
bridge br0 {
    addr 192.0.2.10/24
    neigh 192.0.2.7 lladdr 02:00:00:00:00:07
    up
}
"""


@pytest.mark.parametrize("target, code", [("networkd", "NS703"), ("netplan", "NS706")])
def test_a_neighbour_the_target_cannot_say_is_an_error_at_its_statement(cli, tmp_path, target, code):
    spec = tmp_path / "x.ns"
    spec.write_text(SPEC)
    out = tmp_path / "out"
    result = cli("render", spec, "--to", target, "-o", out)
    assert result.exit_code == 1, result.output
    assert any("x.ns:3:" in line and f"[{code}]" in line and "neigh 192.0.2.7" in line
               for line in result.output.splitlines()), result.output  # fmt: skip
    assert not out.exists()
