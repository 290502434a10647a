"""brctl's failures, run against Debian's brctl in the real kernel: the translation fails alike.

Each case builds the same starting state (veth pairs, bridges, ports) in two fresh
namespaces, runs the legacy lines with the real brctl in one and their translation in
the other (brctl shadowed by a stub that fails and leaves a mark), and compares every
link's kind and master, and the exit status, number for number (brctl exits 1 on any
failure; so does the translation).

The cases are the ones where a translation used to succeed where brctl failed:
``delif`` of a port of another bridge (``ip link set nomaster`` releases it from any
master), ``delbr`` of something that is not a bridge (``ip link delete`` deletes any
kind, with or without ``type bridge``), and a variable holding several names, where
brctl stops at the first it cannot take and a ``for`` loop carried on.
"""

from __future__ import annotations

import os
import subprocess

import pytest

from .harness import failing_brctl, have, link_state, run_script, translate

pytestmark = pytest.mark.skipif(not have("brctl"), reason="needs bridge-utils (tests/system-packages.txt)")

VETHS = "; ".join(f"ip link add v{i} type veth peer name v{i}p" for i in range(3))
BRIDGES = f"{VETHS}; ip link add br0 type bridge; ip link add br1 type bridge"
# v0 and v1 ports of br0, v2 a port of br1
PORTS = f"{BRIDGES}; ip link set v0 master br0; ip link set v1 master br0; ip link set v2 master br1"

CASES = [
    # delif: only a port of that bridge
    ("delif-own-port", PORTS, "brctl delif br0 v0"),
    ("delif-port-of-another-bridge", PORTS, "brctl delif br0 v2"),
    ("delif-no-master", BRIDGES, "brctl delif br0 v0"),
    ("delif-no-such-port", PORTS, "brctl delif br0 nosuch"),
    ("delif-not-a-bridge", PORTS, "brctl delif v1 v0"),
    ("delif-no-such-bridge", PORTS, "brctl delif nosuch v0"),
    # several names: one by one, stopping at the first failure
    ("delif-several-stops", PORTS, "brctl delif br0 v0 v2 v1"),
    ("delif-variable-stops", PORTS, 'P="v0 v2 v1"\nbrctl delif br0 $P'),
    ("delif-variable-all", PORTS, 'P="v0 v1"\nbrctl delif br0 $P'),
    ("delif-variable-empty", PORTS, "P=\nbrctl delif br0 $P"),
    ("delif-bridge-in-variable", PORTS, 'BR=br0\nP="v1 v0"\nbrctl delif $BR $P'),
    ("addif-variable-stops", BRIDGES, 'P="v0 nosuch v1"\nbrctl addif br0 $P'),
    ("addif-variable-all", BRIDGES, 'P="v0 v1"\nbrctl addif br0 $P'),
    ("addif-variable-empty", BRIDGES, "P=\nbrctl addif br0 $P"),
    ("addif-literal-and-variable", BRIDGES, 'P="nosuch v1"\nbrctl addif br0 v0 $P'),
    ("addif-several-stops", BRIDGES, "brctl addif br0 v0 nosuch v1"),
    # addif: only a device with no master (ip moves a port of another bridge)
    ("addif-port-of-another-bridge", PORTS, "brctl addif br0 v2"),
    ("addif-own-port", PORTS, "brctl addif br0 v0"),
    ("addif-variable-port-of-another", PORTS, 'P="v2"\nbrctl addif br1 v0 $P'),
    # delbr: only a bridge
    ("delbr-bridge", BRIDGES, "brctl delbr br0"),
    ("delbr-veth", BRIDGES, "brctl delbr v0"),
    ("delbr-no-such", BRIDGES, "brctl delbr nosuch"),
    ("delbr-veth-in-variable", BRIDGES, "X=v1\nbrctl delbr $X"),
    # the failure stops a script under set -e, and chooses a branch where it is tested
    ("set-e-stops", PORTS, "set -e\nbrctl delif br0 v2\nip link add after type bridge"),
    ("set-e-stops-loop", PORTS, 'set -e\nP="v0 v2"\nbrctl delif br0 $P\nip link add after type bridge'),
    ("set-e-delbr", BRIDGES, "set -e\nbrctl delbr v0\nip link add after type bridge"),
    ("status-tested", PORTS, "if brctl delif br0 v2; then ip link add yes type bridge; else ip link add no type bridge; fi"),
    ("status-tested-loop", BRIDGES, 'P="v0 nosuch"\nbrctl addif br0 $P || ip link add failed type bridge'),
]


def _run(netns: str, setup: str, script: str, workdir, path_prefix=None) -> subprocess.CompletedProcess:
    subprocess.run(["ip", "netns", "exec", netns, "sh", "-ec", setup], check=True, capture_output=True)
    return run_script(netns, "#!/bin/sh\n" + script + "\n", str(workdir), path_prefix=path_prefix)


@pytest.mark.parametrize("setup,legacy", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_translation_fails_where_brctl_failed(netns, tmp_path, setup, legacy):
    modern_ns = f"{netns}-modern"
    subprocess.run(["ip", "netns", "add", modern_ns], check=True)
    translated = translate("#!/bin/sh\n" + legacy + "\n")[len("#!/bin/sh\n"):]
    assert "brctl" not in translated, f"left as written:\n{translated}"
    stub = failing_brctl(str(tmp_path / "stub"))
    old = _run(netns, setup, legacy, tmp_path)
    new = _run(modern_ns, setup, translated, tmp_path, path_prefix=stub)
    assert not os.path.exists(os.path.join(stub, "brctl-was-called"))
    before, after = link_state(netns), link_state(modern_ns)
    context = f"translated:\n{translated}\nbrctl exited {old.returncode}: {old.stderr}\ntranslation exited {new.returncode}: {new.stderr}"
    assert after == before, context
    assert new.returncode == old.returncode, context
