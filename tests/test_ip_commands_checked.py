"""`ip` commands in documents and scripts are held to the rules a spec is held to.

The same value error gives the same code in a spec and in the equivalent
`ip` command in every kind of file `check` reads, at the value's column; a
word `ip` itself refuses is an error with the word it most likely meant.
The kinds' keyword lists are held to the installed iproute2's own help.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from netscript import kinds
from netscript.frontends.legacy import word_grammar
from netscript.frontends.legacy.words import words_from_values
from netscript.kinds.spec import settings

# (spec line, equivalent ip command, code, the value the finding points at)
SAME_RULE = [
    ("vlan v0 link eth0 id 5000", "ip link add link eth0 name v0 type vlan id 5000", "NS202", "5000"),
    ("bond b0 mode active-backups", "ip link add b0 type bond mode active-backups", "NS203", "active-backups"),
    ("macvlan m0 link eth0 mode bridged", "ip link add link eth0 name m0 type macvlan mode bridged", "NS203", "bridged"),
    ("bridge averyveryverylongname0", "ip link add averyveryverylongname0 type bridge", "NS201", "averyveryverylongname0"),
    ("vxlan vx0 id 16777216 dstport 4789", "ip link add vx0 type vxlan id 16777216 dstport 4789", "NS202", "16777216"),
    ("bridge br0 mac 01:00:5e:00:00:01", "ip link set dev br0 address 01:00:5e:00:00:01", "NS214", "01:00:5e:00:00:01"),
    ("bridge br0 hello_time 2cs", "ip link add br0 type bridge hello_time 2", "NS202", "2"),
    ("bridge br0 { addr 10.0.0.300/24 }", "ip addr add 10.0.0.300/24 dev br0", "NS214", "10.0.0.300/24"),
    ("bridge br0 { addr 10.0.0.3/33 }", "ip addr add 10.0.0.3/33 dev br0", "NS214", "10.0.0.3/33"),
]

# (command, the word ip refuses, what it most likely meant)
REFUSED_WORDS = [
    ("ip link add x type vlna", "vlna", "vlan"),
    ("ip lnik add y type bridge", "lnik", "link"),
    ("ip link sett eth0 up", "sett", "set"),
    ("ip link set br0 upp", "upp", "up"),
    ("ip link dev eth0 set down", "dev", None),
    ("ip link add b1 type bond miimonn 100", "miimonn", "miimon"),
    ("ip link add link eth0 name v2 type vlan id 5 vlan_protocol 802.1ad", "vlan_protocol", "protocol"),
    ("ip link add b2 type bond mode=active-backup", "mode=active-backup", None),
    ("ip link set dev p1 type bridge_slave path_cost 100", "path_cost", "cost"),
]

WRAPPERS = {
    "md": lambda c: f"# How to\n\n```\n# {c}\n```\n",
    "rst": lambda c: f"How to\n======\n\n.. code-block:: console\n\n   # {c}\n",
    "8": lambda c: f'.TH DEMO 8\n.SH EXAMPLES\n.EX\n# {c.replace("-", chr(92) + "-")}\n.EE\n',
    "txt": lambda c: f"How to\n\n    # {c}\n",
    "sh": lambda c: f"#!/bin/sh\n{c}\n",
}


def _column(command: str, value: str, ext: str) -> str:
    line, prefix = {"md": (4, 2), "rst": (6, 5), "8": (4, 2), "txt": (3, 6), "sh": (2, 0)}[ext]
    return f"{line}:{prefix + command.index(' ' + value) + 2}"


@pytest.mark.parametrize("spec,command,code,value", SAME_RULE, ids=[c[2] + ":" + c[3] for c in SAME_RULE])
def test_a_value_error_is_the_same_finding_in_a_spec_and_in_every_kind_of_file(cli, tmp_path, spec, command, code, value):
    path = tmp_path / "s.ns"
    path.write_text(spec + "\n")
    in_spec = cli("check", path)
    assert in_spec.exit_code == 1 and f"[{code}]" in in_spec.output, in_spec.output
    for ext, wrap in WRAPPERS.items():
        doc = tmp_path / f"doc.{ext}"
        doc.write_text(wrap(command))
        result = cli("check", doc)
        where = _column(command, value, ext)
        assert result.exit_code == 1, (ext, result.output)
        assert re.search(rf"{re.escape(str(doc))}:{where}: error: .*\[{code}\]", result.output), (ext, where, result.output)


@pytest.mark.parametrize("command,word,meant", REFUSED_WORDS, ids=[c[1] for c in REFUSED_WORDS])
def test_a_word_ip_refuses_is_an_error_with_a_did_you_mean(cli, tmp_path, command, word, meant):
    doc = tmp_path / "doc.sh"
    doc.write_text(command + "\n")
    result = cli("check", doc)
    assert result.exit_code == 1, result.output
    assert f"{doc}:1:{command.index(' ' + word) + 2}: error: " in result.output, result.output
    if meant:
        assert f"did you mean {meant!r}?" in result.output


@pytest.mark.kernel
def test_the_installed_ip_refuses_each_of_those_words(netns):
    for words in ("link add eth0 type veth peer name eth0p", "link add br0 type bridge",
                  "link add p1 type veth peer name p1p"):
        subprocess.run(["ip", "-n", netns, *words.split()], check=True)
    for command, word, _ in REFUSED_WORDS:
        done = subprocess.run(["ip", "-n", netns, *command.split()[1:]], capture_output=True, text=True, check=False)
        assert done.returncode != 0, command
        assert word in done.stderr or "Unknown device type" in done.stderr, (command, done.stderr)


def _help_keywords(ip_type: str) -> set[str]:
    text = subprocess.run(["ip", "link", "add", "type", ip_type, "help"], capture_output=True, text=True,
                          check=False).stderr
    usage = text.split("\n\n")[0]
    words = set(re.findall(r"\[\s*(?:\[no\])?([a-z][a-z0-9_-]*)", usage))
    words |= set(re.findall(r"\|\s*([a-z][a-z0-9_-]*)\s", usage))  # num_grat_arp|num_unsol_na, { group | remote }
    words |= {"no" + w for w in re.findall(r"\[no\]([a-z0-9_]+)", usage)}
    # `encap { fou | gue | none }`, `mode { ipip | mplsip | any }`: a keyword's values, not keywords
    values = {w for group in re.findall(r"[a-z][a-z0-9_-]*\s*\{([^}]*)\}", usage) for w in re.findall(r"[a-z][a-z0-9_-]*", group)}
    return words - values - {"peer", "on", "off"}


@pytest.mark.skipif(shutil.which("ip") is None, reason="needs iproute2")
@pytest.mark.parametrize("kind", [k for k, s in kinds.KINDS.items() if s.ip_type and s.ip_type != "veth"],
                         ids=lambda k: k.value)
def test_each_kind_knows_every_word_the_installed_ip_takes_for_it(kind):
    spec = kinds.spec(kind)
    known = {(meta.ip or key) for key, (_, meta) in settings(spec.options).items()} if spec.options else set()
    known |= {"no" + w for w in known} | set(spec.ip_other) | set(spec.ip_aliases) | {"dev"}
    missing = {w for w in _help_keywords(spec.ip_type) if not any(k.startswith(w) or w.startswith(k) for k in known)}
    assert not missing, f"{kind.value}: ip takes {sorted(missing)}; add them to ip_other in its kind module"


@pytest.mark.parametrize("words,read", [
    ("l s", ("link", "set")), ("a", ("address", None)), ("r l", ("route", "show")), ("n", ("neigh", None)),
    ("netns a", ("netns", "add")), ("addr del", ("address", "delete")), ("link lst", ("link", "show")),
    ("t", ("other", None)), ("tuntap d", ("tuntap", "delete")), ("-s -d -n red l s", ("link", "set")),
])
def test_ip_objects_and_commands_resolve_as_ip_resolves_them(words, read):
    tree = word_grammar.grammar("ip").parse(words_from_values(words.split()), abbreviated=True)
    obj = tree.parts()[-1]
    command = obj.parts()
    assert (obj.name, command[0].parts()[0].name if command else None) == read


def test_an_abbreviation_of_nothing_ip_takes_is_refused_with_what_it_takes():
    found = word_grammar.grammar("ip").parse(words_from_values(["lnik"]), abbreviated=True)
    assert found.word.value == "lnik" and "link" in found.expected


def test_ip_netns_commands_are_read_as_ip_reads_them(cli, tmp_path):
    # grammars/ip_netns.lark: under `ip -all`, delete and exec go without a name; add never does
    script = tmp_path / "netns.sh"
    script.write_text("#!/bin/sh\nip netns add red\nip -all netns delete\nip -all netns exec ip link show\n"
                      "ip netns exec red ip link set lo up\nip netns del red\nip netns add\n")
    result = cli("check", script)
    assert result.exit_code == 1
    assert [line.split(": ")[0] for line in result.output.splitlines() if line.startswith(str(script))] == [f"{script}:7:1"]
    assert "[NS405]" in result.output
