"""Routes and rules in a VRF's table, on the lab kernel (this machine's has no vrf module).

A route's or a rule's ``table`` may name a VRF of its namespace: it stands for that VRF's
table. Each backend (the plain script, --batch, apply) must put the route into table 10, next
to the connected route the kernel puts there for the VRF's port, and the rule must look that
table up; a second run or apply changes nothing, and the teardown takes them off.
Run with ``bash tests/kernel/run``; skipped elsewhere.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from .test_render_lab import cli, placed, render, run

SPEC = """
vrf blue table 10 {
    ports d1
    up
}

dummy d1 {
    addr 198.51.100.1/24
    up
}

dummy d0 {
    addr 192.0.2.1/24
    up
}

# through the VRF's port, in the VRF's table: its gateway is on d1's subnet, which the kernel
# puts in table 10 once d1 is a port of blue
route 203.0.113.0/24 via 198.51.100.254 table blue
route default via 192.0.2.254 dev d0
rule from 10.0.0.0/8 table blue priority 900
"""


def routes(ns: str, table: str) -> list[dict]:
    out = subprocess.run(["ip", "-n", ns, "-j", "route", "show", "table", table], capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out or "[]")


def rules(ns: str) -> list[dict]:
    return json.loads(subprocess.run(["ip", "-n", ns, "-j", "rule", "show"], capture_output=True, text=True,
                                     check=True).stdout)


def assert_built(ns: str) -> None:
    in_blue = {(r["dst"], r.get("gateway"), r.get("dev")) for r in routes(ns, "10")}
    assert ("203.0.113.0/24", "198.51.100.254", "d1") in in_blue, in_blue
    assert ("203.0.113.0/24", "198.51.100.254", "d1") not in {(r["dst"], r.get("gateway"), r.get("dev"))
                                                              for r in routes(ns, "main")}
    assert ("default", "192.0.2.254", "d0") in {(r["dst"], r.get("gateway"), r.get("dev")) for r in routes(ns, "main")}
    found = [r for r in rules(ns) if r.get("priority") == 900]
    assert [(r.get("src"), r.get("srclen"), r.get("table")) for r in found] == [("10.0.0.0", 8, "10")], found


@pytest.mark.parametrize("backend", ["script", "batch", "apply"])
def test_a_route_and_a_rule_in_a_vrfs_table(backend, spec_ns, tmp_path):
    ns = spec_ns
    spec = tmp_path / "vrf-routes.ns"
    spec.write_text(SPEC.lstrip())
    placed(spec, ns)  # the spec is valid: the gateway in blue's table is judged reachable through d1
    if backend == "apply":
        result = cli("apply", spec, "--netns", ns)
        assert result.exit_code == 0, result.output
        assert_built(ns)
        again = cli("plan", spec, "--netns", ns, "--exit-code")
        assert again.exit_code == 0, again.output
    else:
        extra = ("--batch",) if backend == "batch" else ()
        script = render(spec, ns, tmp_path, *extra)
        run(script)
        assert_built(ns)
        second = subprocess.run(["bash", "-x", str(script)], capture_output=True, text=True, timeout=120, check=False)
        assert second.returncode == 0, second.stderr
        sent = [line for line in second.stderr.splitlines() if " route replace " in line or " rule add " in line]
        assert sent == [], sent
        run(render(spec, ns, tmp_path, "--teardown"))
        assert routes(ns, "10") == [] or all(r.get("gateway") is None for r in routes(ns, "10"))
        assert [r for r in rules(ns) if r.get("priority") == 900] == []
