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
