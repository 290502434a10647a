"""Property: whatever name Linux accepts reaches `ip` as exactly that one argument.

The rendered script runs against a stand-in `ip` on PATH that records its
arguments, so this needs no kernel: it checks the shell, not the network.
"""

from __future__ import annotations

import os
import subprocess

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netscript.backends.bash import render
from netscript.frontends import dsl
from netscript.plan import plan
from netscript.validate import interface_name_problem

FAKE_IP = """#!/bin/bash
# Record argv NUL-separated, one call per line; pretend no link exists yet.
printf '%s\\0' "$@" >> "$IP_LOG"; printf '\\n' >> "$IP_LOG"
case " $* " in *" show "*) exit 1 ;; esac
exit 0
"""

SHELL_META = "$`\"'\\;&|<>(){}[]*?!~#-= \t"
name_chars = st.sampled_from(list(SHELL_META.replace(" ", "").replace("\t", "")) + list("abcxyz019.@é"))
names = st.text(name_chars, min_size=1, max_size=12).filter(lambda n: interface_name_problem(n) is None)


def dsl_word(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=names)
def test_names_reach_ip_as_one_argument(tmp_path_factory, name):
    tmp = tmp_path_factory.mktemp("q")
    bin_dir = tmp / "bin"
    bin_dir.mkdir()
    (bin_dir / "ip").write_text(FAKE_IP)
    (bin_dir / "ip").chmod(0o755)
    program, diagnostics = dsl.parse(f"bridge {dsl_word(name)} {{ addr 192.0.2.1/24; up }}\n")
    assert not [d for d in diagnostics if d.is_error]
    script = tmp / "s.sh"
    script.write_text(render(plan(program), source="t.ns"))
    log = tmp / "ip.log"
    env = dict(os.environ, PATH=f"{bin_dir}:/usr/bin:/bin", IP_LOG=str(log))
    result = subprocess.run(["bash", str(script)], cwd=tmp, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    # one call per line (names hold no white space), each argument NUL-terminated
    calls = [line.split("\0")[:-1] for line in log.read_text().splitlines() if line]
    assert ["link", "add", "name", name, "type", "bridge"] in calls
    assert ["address", "replace", "192.0.2.1/24", "dev", name] in calls
    assert ["link", "set", "dev", name, "up"] in calls
    assert sorted(os.listdir(tmp)) == ["bin", "ip.log", "s.sh"]  # nothing else was created
