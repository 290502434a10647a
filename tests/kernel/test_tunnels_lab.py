"""geneve, gretap and ipip, each one kind module, on the lab kernel (this machine's has none).

test_render_lab.py's "tunnels" spec already goes through the plain script, --batch, apply,
re-apply and the export round trip. Here: a tunnel changed by hand (another remote, another
key, another ttl, pmtudisc switched) converges back to the spec with each backend, since
every setting of these kinds is create-only and a difference means a re-create; and `check
--run` finds that this kernel has the kinds (their probes).
Run with ``bash tests/kernel/run``; skipped elsewhere.
"""

from __future__ import annotations

import subprocess

import pytest
from kernelstate import differences, links

from .test_render_lab import cli, ip_batch, make_stand_ins, placed, render, run

SPEC = """
physical e0 {
    up
}

geneve gnv0 id 5000 remote 192.0.2.1 ttl 64

gretap gt0 remote 192.0.2.3 local 192.0.2.2 key 7 ttl 10 dev e0

ipip t0 remote 192.0.2.5 ttl 30 dev e0
"""

# what someone did by hand: each tunnel re-made with one setting different
DRIFT = [
    "link delete gnv0",
    "link add gnv0 type geneve id 5000 remote 192.0.2.99 ttl 64",
    "link delete gt0",
    "link add gt0 type gretap remote 192.0.2.3 local 192.0.2.2 key 8 ttl 10 dev e0",
    "link delete t0",
    "link add t0 type ipip remote 192.0.2.5 ttl 31 dev e0",
]


def _backend(name, spec, ns, tmp_path):
    if name == "apply":
        result = cli("apply", spec, "--netns", ns, "--netns-prefix", ns + "-")
        assert result.exit_code == 0, result.output
    else:
        run(render(spec, ns, tmp_path, *(("--batch",) if name == "batch" else ())))


@pytest.mark.parametrize("backend", ["script", "batch", "apply"])
def test_a_tunnel_changed_by_hand_converges(backend, spec_ns, tmp_path):
    ns = spec_ns
    spec = tmp_path / "tunnels.ns"
    spec.write_text(SPEC.lstrip())
    program = placed(spec, ns)
    make_stand_ins(program, ns)
    _backend(backend, spec, ns, tmp_path)
    assert differences(program) == []

    ip_batch(ns, DRIFT)
    drifted = differences(program)
    assert len(drifted) == 3, drifted  # the oracle sees each change

    if backend == "apply":
        planned = cli("plan", spec, "--netns", ns, "--netns-prefix", ns + "-")
        assert all(f"re-create {name}" in planned.stdout or name in planned.stdout for name in ("gnv0", "gt0", "t0"))
    _backend(backend, spec, ns, tmp_path)
    assert differences(program) == []
    assert set(links(ns)) == {"lo", "e0", "gnv0", "gt0", "t0"}


def test_check_run_finds_the_tunnel_kinds(tmp_path):
    doc = tmp_path / "tunnels.md"
    doc.write_text(
        "```\n"
        "ip link add gnv0 type geneve id 5 remote 192.0.2.1\n"
        "ip link add gt0 type gretap remote 192.0.2.3 key 7\n"
        "ip link add t0 type ipip remote 192.0.2.5 ttl 30\n"
        "```\n"
    )
    result = cli("check", "--run", doc)
    assert result.exit_code == 0, result.output
    assert "1 ran, 1 passed, 0 failed, 0 skipped" in result.output, result.output


# (spec, the `ip` commands that build it, one of which the kernel refuses, the code check gives)
REFUSALS = [
    pytest.param("gretap g0\n", ["link add g0 type gretap"], "NS213", id="gretap-with-no-endpoints-is-gretap0"),
    pytest.param("ipip t0\n", ["link add t0 type ipip"], "NS213", id="ipip-with-no-endpoints-is-tunl0"),
    pytest.param(
        "gretap g1 remote 192.0.2.1\ngretap g2 remote 192.0.2.1\n",
        ["link add g1 type gretap remote 192.0.2.1", "link add g2 type gretap remote 192.0.2.1"],
        "NS231", id="two-gretaps-one-remote",
    ),
    pytest.param(
        "ipip t1 local 192.0.2.1\nipip t2 local 192.0.2.1 ttl 9\n",
        ["link add t1 type ipip local 192.0.2.1", "link add t2 type ipip local 192.0.2.1 ttl 9"],
        "NS231", id="two-ipips-one-local",
    ),
    pytest.param(
        "geneve v1 id 5 remote 192.0.2.1\ngeneve v2 id 5 remote 192.0.2.1 dstport 6081\n",
        ["link add v1 type geneve id 5 remote 192.0.2.1", "link add v2 type geneve id 5 remote 192.0.2.1 dstport 6081"],
        "NS231", id="two-geneves-one-vni-and-remote",
    ),
]


@pytest.mark.parametrize("spec_text, commands, code", REFUSALS)
def test_what_the_kernel_or_ip_refuses_check_reports(spec_text, commands, code, netns, tmp_path):
    results = [subprocess.run(["ip", "-n", netns, *c.split()], capture_output=True, text=True, check=False)
               for c in commands]
    assert any(r.returncode != 0 for r in results), "the kernel took it: the rule would be ours alone"
    spec = tmp_path / "refused.ns"
    spec.write_text(spec_text)
    checked = cli("check", spec)
    assert checked.exit_code == 1, checked.output
    assert f"[{code}]" in checked.output, checked.output
    # and a spec that differs only in what the rule names is taken by both
    # (the positive side is the "tunnels" spec of test_render_lab.py)
