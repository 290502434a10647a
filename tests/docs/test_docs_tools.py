"""The document checker reads every tool the legacy frontend knows: one list, not two."""

from __future__ import annotations

from netscript.docs.snippet import TOOLS
from netscript.frontends.legacy import registry


def test_the_checker_reads_exactly_the_tools_translate_reads():
    assert set(TOOLS) == set(registry.TOOLS)


def test_ifconfig_in_a_document_is_a_legacy_command_with_its_fix(cli, tmp_path):
    doc = tmp_path / "howto.md"
    doc.write_text("# Setup\n\n```\n# ifconfig eth0 192.0.2.1 netmask 255.255.255.0 up\n```\n")
    result = cli("check", doc)
    assert f"{doc}:4:3: warning: legacy command: ifconfig eth0 192.0.2.1 netmask 255.255.255.0 up" in result.output
    assert "[NS401]" in result.output
    fixed = cli("check", "--fix", doc)
    assert fixed.exit_code == 0, fixed.output
    assert "ip link set dev eth0 up" in doc.read_text()


def test_commands_at_the_start_of_plain_text_lines_are_found_and_prose_is_not(cli, tmp_path):
    # an article whose code blocks were flattened to plain lines: no prompt, no indent
    doc = tmp_path / "article.txt"
    doc.write_text(
        "How to set up a VLAN bridge\n\nFirst create the VLAN on the uplink:\n"
        "vconfig add eth0 2\nbrctl addbr br0\nteamdctl team0 port add eth0\n"
        "ip addresses are assigned by DHCP on this network.\n"
        "brctl is the old tool; ip link is the new one.\n"
        "ip link add x type vlna is a typo this article talks about\n"
    )
    result = cli("check", doc)
    found = [line.split(": ")[0] for line in result.output.splitlines() if line.startswith(str(doc))]
    assert found == [f"{doc}:4:1", f"{doc}:5:1", f"{doc}:6:1"], result.output


def test_a_plain_text_command_with_a_value_the_kernel_refuses_is_a_command_and_is_reported(cli, tmp_path):
    # its words are the tool's; only a value is wrong, which is what check is there to find
    doc = tmp_path / "article.txt"
    doc.write_text(
        "Make the VLAN and the bridge:\n\n"
        "vconfig add eth0 5000\n"
        "ip link add br0 type bridge hello_time 2\n"
        "ip addresses are assigned by DHCP on this network.\n"
    )
    result = cli("check", doc)
    assert f"{doc}:3:18: error: VLAN id 5000 is out of range 0-4094 [NS405]" in result.output
    assert f"{doc}:4:40: error: bridge hello_time 2cs is out of range 1s-10s [NS202]" in result.output
    assert f"{doc}:5:" not in result.output
    assert result.exit_code == 1
