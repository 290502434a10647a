"""The three backends converge on the same state: the rendered script, `render --batch` and `apply`.

Each spec below is built by each backend in a namespace of its own, run
again (which must change nothing and send nothing), knocked out of shape by
hand where the spec is about drift, and run once more. Every build must then
equal the spec (tests/kernelstate.py, `ip -d -j`) and the three builds must
equal each other (tests/backend_runs.py).
"""

from __future__ import annotations

import contextlib
import subprocess

import pytest
from backend_runs import (
    BACKENDS,
    Build,
    built_state,
    make_namespace,
    spec_differences,
)
from kernelstate import snapshot
from live_helpers import Monitor, settle

pytestmark = pytest.mark.kernel


def ip(ns: str, *words: str) -> None:
    subprocess.run(["ip", "-n", ns, *words], check=True, capture_output=True)


@contextlib.contextmanager
def watching(namespaces):
    with contextlib.ExitStack() as stack:
        yield [stack.enter_context(Monitor(ns)) for ns in namespaces]


# (spec, drift made by hand between the second and the third run, what the kernel must show)
SCENARIOS = {
    # 1: ip prints IPv6 endpoints as remote6/local6/group6; a guard looking for "remote" re-creates
    # the vxlan on every run (new ifindex, out of its bridge, down)
    "vxlan-ipv6": (
        ("bridge br0 { ports vx0; up }\n"
         "vxlan vx0 id 5 remote 2001:db8::2 local 2001:db8::1 dstport 4789\n"
         "veth v0 peer w0 { up }\n"
         "vxlan vx1 id 6 group ff05::1 dev v0 dstport 4789\n"),
        None,
        {("", "vx0"): {"master": "br0"}},
    ),
    # 2: the parent's MTU is set before the links stacked on it are made, which inherit it
    "stacked-mtu": (
        ("veth v0 peer w0 mtu 9000\n"
         "macvlan m0 link v0 mode bridge\n"
         "vxlan vx0 id 5 group 239.1.1.1 dev v0 dstport 4789\n"),
        None,
        {("", "m0"): {"mtu": 9000}, ("", "vx0"): {"mtu": 8950}},
    ),
    # 3: a child that needs its parent's raised MTU (a tap, a bridge: neither takes it at creation)
    "child-needs-parent-mtu": (
        ("tap t0 mtu 9000\n"
         "macvlan m0 link t0 mode bridge mtu 9000\n"
         "bridge br0 mtu 9000\n"
         "macvtap mt0 link br0 mode bridge mtu 9000\n"),
        None,
        {("", "t0"): {"mtu": 9000}, ("", "br0"): {"mtu": 9000}},
    ),
    # 4: the kernel drops IPv6 addresses when a link goes down: one run must leave it down with them
    "down-keeps-ipv6": (
        "veth v0 peer w0 { addr 2001:db8::1/64; down }\n",
        [("link", "set", "v0", "up")],
        {("", "v0"): {"flags": [], "addresses": ["2001:db8::1/64"]}},
    ),
    # 8: a tap's owner is a create-time setting: drift is converged by re-creating the tap
    "tap-owner": (
        "tap t0 user nobody\n",
        [("tuntap", "del", "dev", "t0", "mode", "tap"), ("tuntap", "add", "dev", "t0", "mode", "tap", "user", "root")],
        {},
    ),
}


def build_twice_drift_converge(cli, backend, spec, ns, tmp_path, drift):
    """Build, build again (nothing changes, nothing is sent), drift, converge; the state built."""
    make_namespace(ns)
    build = Build(cli, backend, spec, ns, tmp_path)
    code, output = build.run()
    assert code == 0, f"{backend}: {output}"
    assert spec_differences(build.program) == [], backend

    for each in build.namespaces:
        settle(each)
    before = snapshot(build.namespaces)
    with watching(build.namespaces) as monitors:
        code, output = build.run()
    assert code == 0, f"{backend}, second run: {output}"
    assert [m.events for m in monitors] == [[] for _ in monitors], f"{backend}: a second run sent changes"
    assert snapshot(build.namespaces) == before, f"{backend}: a second run changed the state"

    if drift:
        for words in drift:
            ip(ns, *words)
        assert spec_differences(build.program) != [], "the drift made no difference"
        code, output = build.run()
        assert code == 0, f"{backend}, after drift: {output}"
        assert spec_differences(build.program) == [], f"{backend}: one run after the drift did not converge"
    return built_state(build.program, ns)


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_three_backends_build_the_same_state(cli, netns, tmp_path, scenario):
    text, drift, expected = SCENARIOS[scenario]
    spec = tmp_path / f"{scenario}.ns"
    spec.write_text(text)
    states = {}
    for backend in BACKENDS:
        states[backend] = build_twice_drift_converge(cli, backend, spec, f"{netns}-{backend[0]}", tmp_path, drift)
        for key, values in expected.items():
            for attribute, value in values.items():
                assert states[backend][key].get(attribute) == value, (backend, key, attribute)
    assert states["script"] == states["apply"]
    assert states["batch"] == states["apply"]
