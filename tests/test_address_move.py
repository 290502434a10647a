"""An address moved from one link to another by the rendered script and its --batch form, on the real kernel.

The KVM-host conversion (examples/kvm-host.ns): eth0 holds the host's address
and the default route, then becomes a port of br0, which gets the address.
apply takes the address off eth0 as it gives it to br0; the scripts must do the
same, or the host answers for one IP on two links. Built from the same start,
the script leaves the addresses as apply does; the host still reaches its
gateway; a second run changes nothing; and --no-disrupt refuses the move.
"""

from __future__ import annotations

import json
import os
import re
import subprocess

import pytest
from conftest import EXAMPLES
from live_helpers import Monitor, settle

KVM_HOST = os.path.join(EXAMPLES, "kvm-host.ns")

# Commands that change the state, as `bash -x` shows them run, queued or sent
CHANGES = re.compile(r"^\++ .*(address (replace|delete)|link (add|set|delete)|route (replace|delete)|queue |-batch)")


def ip(ns: str, *words: str) -> None:
    subprocess.run(["ip", "-n", ns, *words], check=True, capture_output=True)


def uplink(host: str, gateway: str) -> None:
    """The start: host's eth0 holds 192.0.2.10/24 and the default route through gateway's 192.0.2.1."""
    subprocess.run(["ip", "netns", "add", gateway], check=True)
    ip(host, "link", "add", "eth0", "type", "veth", "peer", "name", "up0", "netns", gateway)
    ip(gateway, "address", "add", "192.0.2.1/24", "dev", "up0")
    ip(gateway, "link", "set", "up0", "up")
    ip(host, "address", "add", "192.0.2.10/24", "dev", "eth0")
    ip(host, "link", "set", "eth0", "up")
    ip(host, "route", "add", "default", "via", "192.0.2.1")


def addresses(ns: str) -> dict[str, list[str]]:
    """Each link's addresses but the link-local ones (their MAC is each veth's own)."""
    shown = subprocess.run(["ip", "-n", ns, "-j", "address", "show"], capture_output=True, text=True, check=True)
    return {link["ifname"]: sorted(f"{a['local']}/{a['prefixlen']}" for a in link["addr_info"] if a["scope"] != "link")
            for link in json.loads(shown.stdout)}  # fmt: skip


def ping(ns: str, address: str) -> bool:
    done = subprocess.run(["ip", "netns", "exec", ns, "ping", "-c", "3", "-i", "0.2", "-W", "1", address],
                          capture_output=True, text=True)
    return done.returncode == 0


def render(cli, tmp_path, name: str, ns: str, *options: str) -> str:
    out = tmp_path / name
    result = cli("render", KVM_HOST, "--netns", ns, "-o", out, *options)
    assert result.exit_code == 0, result.output
    return str(out)


def run(script: str, trace: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", *(["-x"] if trace else []), script], capture_output=True, text=True)


@pytest.mark.kernel
@pytest.mark.parametrize("batch", [False, True], ids=["plain", "batch"])
def test_the_kvm_host_conversion_moves_the_address_from_eth0_to_br0_as_apply_does(cli, netns, tmp_path, batch):
    applied = f"{netns}-applied"
    subprocess.run(["ip", "netns", "add", applied], check=True)
    uplink(netns, f"{netns}-gw")
    uplink(applied, f"{netns}-applied-gw")
    result = cli("apply", KVM_HOST, "--netns", applied)
    assert result.exit_code == 0, result.output
    assert addresses(applied) == {"lo": [], "eth0": [], "br0": ["192.0.2.10/24"]}

    options = ["--batch"] if batch else []
    refused = run(render(cli, tmp_path, "refuses.sh", netns, "--no-disrupt", *options))
    assert refused.returncode == 1 and "would be" in refused.stderr
    script = render(cli, tmp_path, "kvm.sh", netns, *options)
    first = run(script)
    assert first.returncode == 0, first.stderr
    assert addresses(netns) == addresses(applied)
    assert ping(netns, "192.0.2.1")

    settle(netns)
    with Monitor(netns, ("link", "address", "route")) as monitor:
        second = run(script, trace=True)
    assert second.returncode == 0, second.stderr
    assert monitor.events == []
    assert [line for line in second.stderr.splitlines() if CHANGES.match(line)] == []
    assert addresses(netns) == addresses(applied)


@pytest.mark.kernel
@pytest.mark.parametrize("batch", [False, True], ids=["plain", "batch"])
def test_the_move_is_refused_with_no_disrupt_and_takes_the_ip_whatever_its_prefix_length(cli, netns, tmp_path, batch):
    spec = tmp_path / "move.ns"
    spec.write_text("physical eth0 {\n    up\n}\n\nbridge d0 {\n    addr 192.0.2.10/24 2001:db8::10/64\n    up\n}\n")
    uplink(netns, f"{netns}-gw")
    ip(netns, "address", "add", "192.0.2.10/32", "dev", "lo")  # the same IP, another prefix length
    ip(netns, "address", "add", "2001:db8::10/128", "dev", "eth0", "nodad")
    options = ["--netns", netns, *(["--batch"] if batch else [])]

    refuse = tmp_path / "refuse.sh"
    assert cli("render", spec, "-o", refuse, "--no-disrupt", *options).exit_code == 0
    refused = run(str(refuse))
    assert refused.returncode == 1
    assert "192.0.2.10 would be taken off another link, to move it to d0" in refused.stderr
    assert addresses(netns)["eth0"] == ["192.0.2.10/24", "2001:db8::10/128"]  # refused before any change

    script = tmp_path / "move.sh"
    assert cli("render", spec, "-o", script, *options).exit_code == 0
    result = run(str(script))
    assert result.returncode == 0, result.stderr
    assert addresses(netns) == {"lo": [], "eth0": [], "d0": ["192.0.2.10/24", "2001:db8::10/64"]}
