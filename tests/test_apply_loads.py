"""What an apply loads: the code its work needs, not the code of work it has none of.

A re-apply with nothing to do sends no change, so it needs neither the
executor nor the journal; a spec without routes, rules, sysctls or
neighbours, applied without --prune, needs none of routing's modules.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import REPO

pytestmark = pytest.mark.kernel

CHANGING = ["netscript.backends.netlink.execute", "netscript.backends.netlink.journal"]
ROUTING = ["netscript.backends.netlink.routing", "netscript.routing.words", "netscript.netlink.routes"]


def loaded_by_apply(*args: str) -> dict[str, bool]:
    """Which of CHANGING and ROUTING a `netscript apply ARGS` process has loaded when it ends."""
    code = (
        "import json, sys\nfrom netscript.cli import main\n"
        f"try:\n    main({['apply', *args]!r}, standalone_mode=False)\n"
        f"finally:\n    print(json.dumps({{m: m in sys.modules for m in {CHANGING + ROUTING!r}}}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_links_alone_never_load_routing_and_a_reapply_with_nothing_to_do_not_the_executor(netns, tmp_path):
    spec = tmp_path / "s.ns"
    spec.write_text("bridge br0 {\n    ports ve0\n    up\n}\nveth ve0 {\n    peer vp0 {\n        up\n    }\n    up\n}\n")
    first = loaded_by_apply(str(spec), "--netns", netns)
    assert all(first[m] for m in CHANGING), first  # (the names are real: a change loads them)
    assert not any(first[m] for m in ROUTING), first  # changes to links alone: no routing
    again = loaded_by_apply(str(spec), "--netns", netns)
    assert not any(again.values()), again


def test_routing_is_loaded_for_a_spec_with_routes_and_for_prune(netns, tmp_path):
    plain, routed = tmp_path / "plain.ns", tmp_path / "routed.ns"
    plain.write_text("bridge d0 {\n    addr 10.9.0.1/24\n    up\n}\n")
    routed.write_text(plain.read_text() + "route 10.10.0.0/24 via 10.9.0.2\n")
    assert all(loaded_by_apply(str(routed), "--netns", netns)[m] for m in ROUTING)
    assert all(loaded_by_apply(str(plain), "--netns", netns, "--prune")[m] for m in ROUTING)
