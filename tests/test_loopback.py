"""A namespace netscript adds gets its loopback up, with every backend; `loopback down` keeps it
down; a namespace that exists already is left as it is. Read back with `ip -j` in namespaces the
test makes and deletes."""

from __future__ import annotations

import json
import subprocess

import pytest
from backend_runs import BACKENDS, Build

from netscript.backends.dsl import print_program
from netscript.frontends import load

SPEC = """
netns red

netns grey loopback down

bridge br0 netns red {
    up
}

bridge br1 netns grey
"""


def lo_up(ns: str) -> bool:
    out = subprocess.run(["ip", "-n", ns, "-j", "link", "show", "lo"], capture_output=True, text=True, check=True)
    return "UP" in json.loads(out.stdout)[0]["flags"]


@pytest.mark.kernel
@pytest.mark.parametrize("backend", BACKENDS)
def test_a_namespace_netscript_adds_has_its_loopback_up_unless_the_spec_says_down(backend, cli, netns, tmp_path):
    spec = tmp_path / "lo.ns"
    spec.write_text(SPEC.lstrip())
    build = Build(cli, backend, spec, netns, tmp_path)
    status, output = build.run()
    assert status == 0, output
    assert lo_up(f"{netns}-red") and not lo_up(f"{netns}-grey")
    assert not lo_up(netns)  # the namespace the spec builds in is not its own: left as it was
    status, output = build.run()
    assert status == 0 and lo_up(f"{netns}-red") and not lo_up(f"{netns}-grey"), output


@pytest.mark.kernel
@pytest.mark.parametrize("backend", BACKENDS)
def test_a_declared_namespace_that_exists_already_keeps_its_loopback(backend, cli, netns, tmp_path):
    subprocess.run(["ip", "netns", "add", f"{netns}-red"], check=True)  # lo down, made by hand
    subprocess.run(["ip", "netns", "add", f"{netns}-grey"], check=True)
    subprocess.run(["ip", "-n", f"{netns}-grey", "link", "set", "lo", "up"], check=True)
    spec = tmp_path / "lo.ns"
    spec.write_text(SPEC.lstrip())
    status, output = Build(cli, backend, spec, netns, tmp_path).run()
    assert status == 0, output
    assert not lo_up(f"{netns}-red") and lo_up(f"{netns}-grey")


def test_loopback_down_reads_and_prints_back(tmp_path):
    spec = tmp_path / "lo.ns"
    spec.write_text(SPEC.lstrip())
    program = load(str(spec)).program
    assert [(ns.name, ns.loopback.value) for ns in program.namespaces] == [("red", "up"), ("grey", "down")]
    assert "netns grey loopback down\n" in print_program(program)
    assert "netns red\n" in print_program(program)


@pytest.mark.parametrize("text, code", [
    ("netns red loopback sideways\n", "NS106"),
    ("netns red mtu 9000\n", "NS105"),
    ("netns red loopback\n", "NS103"),
])
def test_a_bad_loopback_setting_is_an_error(cli, tmp_path, text, code):
    spec = tmp_path / "bad.ns"
    spec.write_text(text)
    result = cli("check", spec)
    assert result.exit_code == 1 and f"[{code}]" in result.output, result.output
