"""The modern equivalent a document is given for a bonding sysfs write is a whole command.

Whole: the device and the value are in it, as in ``ip link set dev bond0 type
bond lp_interval 100``, never ``ip link set type bond lp_interval``. Checked
three ways, since the host has no bonding driver:

- every sysfs file the reader knows, written literally and with placeholders
  (``<bond>``, ``$BOND``, ``<dev>``), gets a fix whose text names the device
  and carries the value;
- for the lab's own sysfs cases (tests/kernel/test_legacy_lab.py, run there
  against the bonding driver through ``netscript translate``), the document's
  fix is the translation's command;
- each command is run by the real ``ip`` in a namespace, against veth
  stand-ins: ``ip`` must read the whole command and send it (exit status 0,
  or 2 when the kernel refuses a veth as a bond), never stop at its own
  parsing (255: unknown word, missing value) or at a missing device (1).
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import uuid
from pathlib import Path

import pytest
from conftest import _can_make_namespaces

from netscript.docs.checker import check_document
from netscript.frontends.legacy import sysfs_bonding
from netscript.frontends.legacy.model import Options
from netscript.frontends.legacy.rewrite import translate_script
from netscript.source import Source

SYS = "/sys/class/net"
REPO = Path(__file__).resolve().parents[2]


def _lab():
    spec = importlib.util.spec_from_file_location("legacy_lab", REPO / "tests" / "kernel" / "test_legacy_lab.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


LAB = _lab()

# a value the driver takes, for each file the reader knows (beyond the lab's cases)
VALUES = {
    "mode": "active-backup", "miimon": "100", "updelay": "200", "downdelay": "200", "use_carrier": "1",
    "arp_interval": "100", "arp_validate": "all", "arp_all_targets": "any", "primary": "eth0",
    "primary_reselect": "better", "fail_over_mac": "active", "xmit_hash_policy": "layer3+4",
    "resend_igmp": "2", "num_grat_arp": "2", "num_unsol_na": "2", "all_slaves_active": "1", "min_links": "1",
    "lp_interval": "2", "packets_per_slave": "3", "tlb_dynamic_lb": "0", "lacp_rate": "fast",
    "lacp_active": "on", "ad_select": "count", "ad_user_port_key": "5", "ad_actor_sys_prio": "100",
    "ad_actor_system": "02:00:00:aa:00:01", "peer_notif_delay": "200", "arp_missed_max": "3",
    "active_slave": "eth0", "coupled_control": "1",
}


def settable_files() -> list[str]:
    known = set(sysfs_bonding.BOND_SETTINGS) | set(sysfs_bonding.NUMBERED) | set(sysfs_bonding.EXTRA) | {"active_slave", "mode"}
    return sorted(known - set(sysfs_bonding.LIST_FILES))


def fixes(text: str, name: str = "doc.md") -> dict[int, list]:
    """Line -> the findings of that line, for a document."""
    out: dict[int, list] = {}
    for d in check_document(Source(name, text)):
        out.setdefault(d.span.line, []).append(d)
    return out


def test_the_value_table_covers_every_file_the_reader_knows():
    assert set(VALUES) == set(settable_files())


@pytest.mark.parametrize("file", settable_files())
@pytest.mark.parametrize("bond", ["bond0", "<bond>", "$BOND", "${BOND}"])
def test_every_write_gets_a_whole_command(file, bond):
    value = VALUES[file]
    text = f"```sh\necho {value} > {SYS}/{bond}/bonding/{file}\n```\n"
    found = fixes(text)[2]
    keyword = sysfs_bonding.IP_KEYWORD.get(file, file)
    if keyword not in sysfs_bonding.IP_WORDS:
        # the driver's file that this ip has no word for: left, and said so (no half command)
        assert [d.code for d in found] == ["NS402"] and "no bond keyword" in found[0].message
        return
    (legacy,) = [d for d in found if d.code == "NS401"]
    assert legacy.fix is not None, legacy.message
    modern = legacy.fix.edits[0].text
    assert re.fullmatch(rf"ip link set dev {re.escape(bond)} type bond {keyword} \S+", modern), modern
    assert modern in legacy.message


@pytest.mark.parametrize(
    "write, modern",
    [
        ("echo +<dev> > /sys/class/net/bond0/bonding/slaves", "ip link set dev <dev> master bond0"),
        ("echo -<dev> > /sys/class/net/<bond>/bonding/slaves", "ip link set dev <dev> nomaster"),
        ('echo "+$PORT" > "/sys/class/net/$BOND/bonding/slaves"', 'ip link set dev "$PORT" master "$BOND"'),
        ("echo +$PORT > /sys/class/net/$BOND/bonding/slaves", "ip link set dev $PORT master $BOND"),
        ("echo <n> > /sys/class/net/bond0/bonding/lp_interval", "ip link set dev bond0 type bond lp_interval <n>"),
        ("echo $SLAVE > /sys/class/net/bond0/bonding/active_slave", "ip link set dev bond0 type bond active_slave $SLAVE"),
        ("echo +<bond> > /sys/class/net/bonding_masters", "ip link add name <bond> type bond"),
        # the driver deletes only a bond: the test guards the delete on the same line
        ("echo -bond0 > /sys/class/net/bonding_masters", "[ -d /sys/class/net/bond0/bonding ] && ip link delete dev bond0"),
        ("echo eth1:2 > /sys/class/net/bond0/bonding/queue_id", "ip link set dev eth1 type bond_slave queue_id 2"),
    ],
)
def test_ports_names_and_placeholders_are_carried_as_written(write, modern):
    (legacy,) = [d for d in fixes(f"```sh\n{write}\n```\n")[2] if d.code == "NS401"]
    assert legacy.fix is not None and legacy.fix.edits[0].text == modern
    assert legacy.message.endswith(f"modern equivalent: {modern}")


def test_a_fixed_man_page_keeps_its_escapes_and_a_guarded_delete_on_one_line():
    page = ".TH T 8\n.SH EXAMPLES\n.nf\necho \\-bond0 > /sys/class/net/bonding_masters\necho 100 > /sys/class/net/<bond>/bonding/lp_interval\n.fi\n"
    found = fixes(page, "t.8")
    assert found[4][0].fix.edits[0].text == "[ \\-d /sys/class/net/bond0/bonding ] && ip link delete dev bond0"
    assert found[5][0].fix.edits[0].text == "ip link set dev <bond> type bond lp_interval 100"


def test_list_writes_name_the_bond_and_the_address_in_their_suggestion():
    (kept,) = fixes("```sh\necho +192.0.2.1 > /sys/class/net/bond0/bonding/arp_ip_target\n```\n")[2]
    assert kept.code == "NS402"
    assert kept.hint.startswith("modern equivalent: ip link set dev bond0 type bond arp_ip_target 192.0.2.1")


def _lab_writes() -> list[str]:
    lines = [line for case in LAB.SYSFS_CASES for line in case[2].strip("\n").splitlines()]
    return [
        line for line in lines
        if "bonding" in line and ">" in line and not any(x in line for x in ("arp_ip_target", "$", "||"))
    ]


def _unbraced(text: str) -> str:
    """A script's `{ a && b; } || false` (kept failing under set -e) as a reader types it: `a && b`."""
    m = re.fullmatch(r"\{ (.*); \} \|\| false", text)
    return m.group(1) if m else text


@pytest.mark.parametrize("write", _lab_writes())
def test_the_documents_fix_is_the_translation_the_lab_runs(write):
    translated = translate_script(write + "\n", "lab.sh", Options()).text.strip("\n")
    (legacy,) = [d for d in fixes(f"```sh\n{write}\n```\n")[2] if d.code == "NS401"]
    assert legacy.fix.edits[0].text == _unbraced(translated)


def _all_modern_commands() -> list[str]:
    out = []
    for write in _lab_writes():
        out += [d.fix.edits[0].text for d in fixes(f"```sh\n{write}\n```\n")[2] if d.fix]
    for file in settable_files():
        out += [d.fix.edits[0].text for d in fixes(f"```sh\necho {VALUES[file]} > {SYS}/b1/bonding/{file}\n```\n")[2] if d.fix]
    out += [d.fix.edits[0].text for d in fixes("```sh\necho eth1:2 > /sys/class/net/b1/bonding/queue_id\n```\n")[2]]
    return sorted(set(out))


@pytest.mark.kernel
def test_ip_reads_every_modern_command_whole():
    reason = _can_make_namespaces()
    if reason:
        pytest.skip(reason)
    commands = _all_modern_commands()
    names = sorted({w for c in commands for w in re.findall(r"\b(?:b\d+|p\d+|eth\d)\b", c)})
    ns = "nsbond-" + uuid.uuid4().hex[:8]
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        for n, name in enumerate(names):  # stand-ins: each name a veth of its own
            subprocess.run(["ip", "-n", ns, "link", "add", name, "type", "veth", "peer", "name", f"peer{n}"], check=True)
        problems = []
        for command in commands:
            runnable = command.split(" && ")[-1]  # a kind test before a delete fails on a veth, by design
            done = subprocess.run(["ip", "netns", "exec", ns, "sh", "-c", runnable], capture_output=True, text=True, check=False)
            if done.returncode not in (0, 2):
                problems.append(f"{runnable}: exit {done.returncode}: {done.stderr.strip()}")
        assert problems == [], "\n".join(problems)
    finally:
        subprocess.run(["ip", "netns", "delete", ns], capture_output=True, check=False)
