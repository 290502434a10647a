"""Reading commands out of blocks: prompts, sudo, paths, continuations, output, placeholders."""

from __future__ import annotations

import pytest

from netscript.docs import snippet
from netscript.docs.document import Block, Document
from netscript.frontends.legacy.words import Lit, Var


def commands(text: str, *, language: str = "", kind: str = "code", script: bool = False):
    doc = Document("t.md", text, "markdown")
    block = Block(tuple(doc.lines()), kind=kind, language=language)
    return snippet.read(block, script=script).commands, doc


def values(text: str, **kw) -> list[list[str]]:
    found, _ = commands(text, **kw)
    return [[w.value if w.value is not None else w.text for w in c.words] for c in found]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("$ brctl addbr br0", [["brctl", "addbr", "br0"]]),
        ("# brctl addbr br0", [["brctl", "addbr", "br0"]]),
        ("host:# brctl addbr br0", [["brctl", "addbr", "br0"]]),
        ("root@box:~# brctl addbr br0", [["brctl", "addbr", "br0"]]),
        ("[root@box ~]# brctl addbr br0", [["brctl", "addbr", "br0"]]),
        ("$ sudo brctl addbr br0", [["brctl", "addbr", "br0"]]),
        ("$ sudo -E /usr/sbin/brctl addbr br0", [["brctl", "addbr", "br0"]]),
        ("/sbin/brctl addbr br0", [["brctl", "addbr", "br0"]]),
        ("brctl addbr br0 && brctl addif br0 eth0", [["brctl", "addbr", "br0"], ["brctl", "addif", "br0", "eth0"]]),
        ("brctl addif br0 \\\n    eth0 eth1", [["brctl", "addif", "br0", "eth0", "eth1"]]),
        ("$ brctl addif br0 \\\n> eth0", [["brctl", "addif", "br0", "eth0"]]),
        # a comment in a script-style block, not a root prompt
        ("# Create the bridge\nbrctl addbr br0", [["brctl", "addbr", "br0"]]),
        # output after a prompted command is not read, even when it starts like a tool
        ("$ brctl show\nbridge name  bridge id  STP enabled\nbr0 8000.0 no", [["brctl", "show"]]),
        # other programs are skipped silently
        ("modprobe bonding\nip link add bond0 type bond", [["ip", "link", "add", "bond0", "type", "bond"]]),
        # a synopsis is not a command
        ("ip link add [ link DEVICE ] name NAME type TYPE", []),
        ("ip link set dev eth0 ...", []),
        # here-document bodies are data
        ("cat <<EOF\nbrctl addbr x\nEOF\nbrctl addbr y", [["brctl", "addbr", "y"]]),
        ("echo +eth0 > /sys/class/net/bond0/bonding/slaves", [["echo", "+eth0"]]),
    ],
)
def test_commands_read_from_a_block(text, expected):
    assert values(text) == expected


def test_hash_is_always_a_comment_in_a_shell_script():
    assert values("# brctl addbr old\nbrctl addbr new", script=True) == [["brctl", "addbr", "new"]]


@pytest.mark.parametrize(
    "word, parts",
    [
        ("<dev>", (Var("dev"),)),
        ("DEVICE", (Var("DEVICE"),)),
        ("eth<x>", (Lit("eth"), Var("x"))),
        ("${VRF}", (Var("VRF"),)),
        ("$DEV", (Var("DEV"),)),
        ("eth0.VID", (Lit("eth0."), Var("VID"))),
        ("br0", (Lit("br0"),)),
        ("802.1Q", (Lit("802.1Q"),)),
        ("VLAN_PLUS_VID_NO_PAD", (Lit("VLAN_PLUS_VID_NO_PAD"),)),
        ("FE80::1/64", (Lit("FE80::1/64"),)),
        ("00:AA:BB:CC:DD:EE", (Lit("00:AA:BB:CC:DD:EE"),)),
    ],
)
def test_placeholders_are_values_not_known_yet(word, parts):
    found, _ = commands(f"brctl addbr {word}")
    assert found[0].words[2].parts == parts


def test_words_point_into_the_document():
    text = "Some text\n\n    $ sudo brctl addif br0 \\\n        eth0\n"
    found, doc = commands(text)
    (command,) = found
    eth0 = command.words[-1]
    assert doc.position(eth0.start) == (4, 9)
    assert doc.slice(eth0.start, eth0.end) == "eth0"
    assert doc.slice(command.words[0].start, command.end) == "brctl addif br0 \\\n        eth0"


def test_non_ascii_text_keeps_byte_offsets_right():
    text = "Größe: 5 €\n$ brctl addbr brü\n"
    found, doc = commands(text)
    word = found[0].words[-1]
    assert doc.slice(word.start, word.end) == "brü"
    assert doc.position(word.start) == (2, 15)


@pytest.mark.parametrize("address", ["my.ip.address.here", "x.x.x.x", "a.b.c.d/24"])
def test_an_address_written_as_four_words_is_a_placeholder_not_an_error(cli, tmp_path, address):
    # bridge-utils' own HOWTO: `# ifconfig br0 my.ip.address.here`
    doc = tmp_path / "howto.txt"
    doc.write_text(f"Give the bridge its address:\n\n\t# ifconfig br0 {address}\n")
    result = cli("check", doc)
    assert "error" not in result.output, result.output
    assert "[NS402]" in result.output  # still a legacy command, kept: its address is the reader's to fill in
