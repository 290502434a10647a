"""Running scripts in throwaway namespaces and reading back what they built.

The oracle is iproute2's own JSON (`ip -d -j link show`), not netscript's
code, so a translation that sets the wrong value or the wrong unit shows up
as a difference between the namespace the legacy script ran in and the one
its translation ran in.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess

from netscript.frontends.legacy.model import Options
from netscript.frontends.legacy.rewrite import translate_script

# What we compare, attribute by attribute.
BRIDGE_KEYS = ("forward_delay", "hello_time", "max_age", "ageing_time", "stp_state", "priority")
PORT_KEYS = ("cost", "priority", "hairpin")


def translate(text: str, **options) -> str:
    """The translated text (asserting the translation had no internal failure)."""
    result = translate_script(text, "test.sh", Options(**options))
    assert not result.fatal, result.diagnostics
    assert not any(d.code == "NS302" for d in result.diagnostics), result.diagnostics
    return result.text


def link_state(netns: str) -> dict:
    """Every link's kind and master, and the bridge and bridge-port settings we compare."""
    out = subprocess.run(["ip", "-n", netns, "-d", "-j", "link", "show"], capture_output=True, text=True, check=True).stdout
    state = {}
    for link in json.loads(out or "[]"):
        if link["ifname"] == "lo":
            continue
        info = link.get("linkinfo", {})
        entry = {"kind": info.get("info_kind"), "master": link.get("master")}
        data = info.get("info_data", {})
        if info.get("info_kind") == "bridge":
            entry.update({k: data[k] for k in BRIDGE_KEYS})
        slave = info.get("info_slave_data", {})
        if info.get("info_slave_kind") == "bridge":
            entry.update({f"port_{k}": slave[k] for k in PORT_KEYS})
        state[link["ifname"]] = entry
    return state


def failing_brctl(directory: str) -> str:
    """A PATH entry whose `brctl` fails loudly and leaves a mark: proof the translation never ran it."""
    os.makedirs(directory, exist_ok=True)
    stub = os.path.join(directory, "brctl")
    with open(stub, "w") as f:
        f.write(f"#!/bin/sh\necho called >> {directory}/brctl-was-called\nexit 97\n")
    os.chmod(stub, os.stat(stub).st_mode | stat.S_IEXEC)
    return directory


def run_script(netns: str, text: str, workdir: str, *, path_prefix: str | None = None) -> subprocess.CompletedProcess:
    """Run a script with /bin/sh inside a namespace (ip netns exec remounts /sys for it)."""
    script = os.path.join(workdir, f"script-{netns}.sh")
    with open(script, "w") as f:
        f.write(text)
    env = dict(os.environ)
    if path_prefix:
        env["PATH"] = path_prefix + os.pathsep + env.get("PATH", "")
    return subprocess.run(["ip", "netns", "exec", netns, "sh", script], capture_output=True, text=True, env=env, timeout=60, check=False)


def have(program: str) -> bool:
    return shutil.which(program) is not None
