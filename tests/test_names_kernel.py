"""Interface names: validation refuses exactly what the kernel refuses or rewrites.

The kernel's dev_valid_name() tests each byte with its own isspace(), which
includes 0xA0; and a name with '%' is a pattern it expands (br%d -> br0).
Each name is tried on the real kernel, in a fresh namespace, next to what
netscript's validation says of it.
"""

from __future__ import annotations

import subprocess

import pytest

from netscript.validate import interface_name_problem

pytestmark = pytest.mark.kernel

NAMES = ["br0", "br%d", "%x", "a%%b", "\u00e0", "a\u0085", "a\u00a0", "a b", "a\tb", "a\x0bb", "x:y", "é1", "tab-é"]


def kernel_keeps(netns: str, name: str) -> bool:
    """Does the kernel create a link under exactly this name?"""
    made = subprocess.run(["ip", "-n", netns, "link", "add", name, "type", "bridge"], capture_output=True, check=False)
    if made.returncode != 0:
        return False
    shown = subprocess.run(["ip", "-n", netns, "-o", "link", "show", "type", "bridge"],
                           capture_output=True, check=True).stdout
    names = [line.split(b": ")[1].split(b"@")[0] for line in shown.splitlines()]
    for n in names:
        subprocess.run(["ip", "-n", netns, "link", "delete", n], capture_output=True, check=True)
    return names == [name.encode()]


@pytest.mark.parametrize("name", NAMES, ids=ascii)
def test_validation_agrees_with_the_kernel(netns, name):
    assert (interface_name_problem(name) is None) == kernel_keeps(netns, name)


def test_a_percent_name_in_a_spec_is_an_error(cli, tmp_path):
    spec = tmp_path / "p.ns"
    spec.write_text('bridge "br%d" {\n    up\n}\n')
    result = cli("check", spec)
    assert result.exit_code == 1
    assert f"{spec}:1:8: error: interface name 'br%d' contains '%'" in result.output
