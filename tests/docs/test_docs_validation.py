"""A snippet's end state gets the spec's rules: the same code for the same mistake, spec or document.

netscript/docs/validation.py replays a snippet's commands into the program a straight-line
script would leave and runs the spec validator over it. Each case is a spec and the `ip`
commands that say the same; `check` must give the spec and the commands (in Markdown and in a
shell script) the same error code. The right version of each gives nothing.
"""

from __future__ import annotations

import pytest

CASES = [
    (  # the catch-all tunnel the module makes in every namespace
        "gretap g0\n",
        ["ip link add g0 type gretap"],
        "NS213",
        ["ip link add g0 type gretap remote 192.0.2.1"],
    ),
    (  # a multicast group with no link to send it on
        "vxlan v0 id 5 group 239.1.1.1 dstport 4789\n",
        ["ip link add v0 type vxlan id 5 group 239.1.1.1 dstport 4789"],
        "NS213",
        ["ip link add v0 type vxlan id 5 group 239.1.1.1 dstport 4789 dev eth0"],
    ),
    (  # a layer-3 link as a bridge port
        "tun tn0\nbridge br0 {\n    ports tn0\n}\n",
        ["ip tuntap add dev tn0 mode tun", "ip link add br0 type bridge", "ip link set tn0 master br0"],
        "NS230",
        ["ip tuntap add dev tn0 mode tap", "ip link add br0 type bridge", "ip link set tn0 master br0"],
    ),
    (  # two tunnels with one identity
        "ipip x1 remote 192.0.2.1\nipip x2 remote 192.0.2.1\n",
        ["ip link add x1 type ipip remote 192.0.2.1", "ip link add x2 type ipip remote 192.0.2.1"],
        "NS231",
        ["ip link add x1 type ipip remote 192.0.2.1", "ip link add x2 type ipip remote 192.0.2.2"],
    ),
    (  # a vlan without its id
        "physical eth0\nvlan v5 link eth0\n",
        ["ip link add link eth0 name v5 type vlan"],
        "NS213",
        ["ip link add link eth0 name v5 type vlan id 5"],
    ),
]


def _findings(cli, path) -> str:
    return cli("check", path).output


@pytest.mark.parametrize("spec, commands, code, right", CASES, ids=[c[2] + "-" + c[1][0].split()[5] for c in CASES])
def test_the_same_mistake_gets_the_same_code_in_a_spec_and_in_a_document(cli, tmp_path, spec, commands, code, right):
    spec_path = tmp_path / "spec.ns"
    spec_path.write_text(spec)
    assert f"[{code}]" in _findings(cli, spec_path)
    for name, text in (("doc.md", "```\n{}\n```\n"), ("script.sh", "#!/bin/sh\n{}\n")):
        doc = tmp_path / name
        doc.write_text(text.format("\n".join(commands)))
        result = cli("check", doc)
        assert result.exit_code == 1 and f"[{code}]" in result.output, (name, result.output)
        doc.write_text(text.format("\n".join(right)))
        fixed = cli("check", doc)
        assert fixed.exit_code == 0, (name, fixed.output)


def test_a_namespace_the_snippet_uses_is_assumed_to_exist(cli, tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_text("```\nip -n blue link add br0 type bridge\nip -n blue link set br0 up\n```\n")
    assert cli("check", doc).exit_code == 0


# The rules validation and the document simulator share (netscript/link_rules.py): the same
# mistake reads the same, word for word, in a spec and in commands.
SAME_WORDS = [
    ("bridge br0\nbridge br0\n", ["ip link add br0 type bridge", "ip link add br0 type bridge"], "NS205"),
    (
        "physical eth0\nmacvlan m0 link eth0\nipvlan i0 link eth0\n",
        ["ip link add m0 link eth0 type macvlan", "ip link add i0 link eth0 type ipvlan"],
        "NS208",
    ),
    (
        "physical eth0\nbridge br0 {\n    ports eth0\n}\nmacvlan m0 link eth0\n",
        ["ip link add br0 type bridge", "ip link set eth0 master br0", "ip link add m0 link eth0 type macvlan"],
        "NS224",
    ),
]


def _message(output: str, code: str) -> str:
    line = next(line for line in output.splitlines() if line.endswith(f"[{code}]"))
    return line.split(": error: ", 1)[1]


@pytest.mark.parametrize("spec, commands, code", SAME_WORDS, ids=[c[2] for c in SAME_WORDS])
def test_a_shared_rule_reads_the_same_in_a_spec_and_in_a_document(cli, tmp_path, spec, commands, code):
    spec_path = tmp_path / "spec.ns"
    spec_path.write_text(spec)
    doc = tmp_path / "doc.md"
    doc.write_text("```\n{}\n```\n".format("\n".join(commands)))
    assert _message(cli("check", spec_path).output, code) == _message(cli("check", doc).output, code)
