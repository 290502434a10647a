"""Translated legacy commands on the lab kernel: each translation does what the legacy form did.

The host tier (tests/legacy) checks brctl, tunctl and ifconfig translations against the real
tools in the host kernel; vconfig, ifenslave, bonding sysfs writes and teamd need drivers the
host lacks, so until this tier they were checked by goldens only. Here, for each tool, a batch
of cases (each on its own stand-in links: dummies with fixed MACs, made identically everywhere)
is written as one legacy script and:

- the legacy script runs in one fresh namespace, with the legacy tool itself;
- ``python -m netscript translate`` (the real CLI; an interpreter costs seconds under
  emulation, so one run translates every tool's batch, each a section of one script, and one
  more run with ``--team-as-bond``) rewrites it, and the translation runs in a second fresh
  namespace with every legacy tool shadowed by a stub that fails loudly and leaves a mark;
- both namespaces are read back with ``ip -d -j link`` / ``ip -j address`` (teams also through
  ``teamdctl``) and compared attribute by attribute. Every mismatch of every case is collected,
  and each test asserts that list is empty.

What "the legacy tool" is, tool by tool:

vconfig    busybox's ``vconfig`` applet: a C implementation of vconfig(8) on the kernel's own
           SIOCSIFVLAN ioctl, as the original vconfig was (decimal numbers, names made by the
           kernel from the per-namespace name type). busybox accepts only flag mask 1, so other
           ``set_flag`` masks go to the same ioctl through a few lines of perl. Debian's own
           ``vconfig`` (package vlan) is a shell wrapper of ``ip`` with its own reading of the
           arguments; it is run too and must agree wherever it implements vconfig(8). Where
           its code reads them otherwise (:data:`DEBIAN_WRAPPER`: set_flag masks, the ingress
           map's order, octal ids, long names) it is not run, and the test checks those lines
           are still in it.
sysfs      the bonding driver's sysfs files themselves (``ip netns exec`` mounts the
           namespace's own /sys).
ifenslave  Debian 12 ships no ifenslave program (its ifenslave package is ifupdown hooks
           only, busybox has no applet): if the guest has none, a stand-in does what
           ifenslave(8) did through the bonding sysfs files (slave down with ifconfig, then
           ``+SLAVE`` into ``bonding/slaves``; ``-d``: ``-SLAVE``; ``-c``: ``active_slave``).
teamd      teamd/teamdctl are real in the guest. Without ``--team-as-bond`` they stay in the
           translation (only the other legacy commands around them change) and both
           namespaces' teams are compared through ``teamdctl config dump actual`` and
           ``state dump``. With ``--team-as-bond`` the bond must be what the mapping table of
           netscript/frontends/legacy/team_as_bond.py promises for the team teamd actually
           ran (its live config, teamd's defaults filled in), with the same ports, and
           everything else in the namespaces must be equal (but the MACs of balance-tlb's
           ports, which that mode leaves them: :data:`OWN_MAC_MODES`).

Run with ``bash tests/kernel/run``; skipped anywhere else.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from netscript.frontends.legacy.helpers import definition

REPO = Path(__file__).resolve().parents[2]
LEGACY_TOOLS = ("brctl", "vconfig", "ifenslave", "tunctl", "ifconfig")
TEAM_TOOLS = ("teamd", "teamdctl")

# Read back but not compared: indexes (they depend on creation order, not on the result),
# statistics, and what the link monitors (bond miimon, teamd's watchers) and LACP decide on
# their own schedule after the script is done.
VOLATILE = {
    "ifindex", "link_index", "operstate", "stats", "stats64",
    "ad_info", "ad_aggregator_id", "ad_actor_oper_port_state", "ad_actor_oper_port_state_str",
    "ad_partner_oper_port_state", "ad_partner_oper_port_state_str",
}
CARRIER_FLAGS = {"LOWER_UP", "NO-CARRIER", "M-DOWN"}
MAC_KEYS = {"address", "perm_address", "perm_hwaddr", "dev_addr"}
MAC = re.compile(r"\b[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}\b")


# -- namespaces, scripts, stubs ------------------------------------------------------------


def stand_in_macs(names) -> dict[str, str]:
    """A fixed MAC per stand-in link, the same in every namespace (dummies pick random ones)."""
    return {name: f"02:00:00:00:{i // 256:02x}:{i % 256:02x}" for i, name in enumerate(sorted(names), 1)}


def add_stand_ins(ns: str, macs: dict[str, str]) -> None:
    lines = "".join(f"link add {name} address {mac} type dummy\n" for name, mac in macs.items())
    subprocess.run(["ip", "-n", ns, "-batch", "-"], input=lines, text=True, check=True, capture_output=True)


def fresh(make_netns, macs) -> str:
    ns = make_netns()
    add_stand_ins(ns, macs)
    return ns


def write_tool(directory: Path, name: str, text: str) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text)
    path.chmod(0o755)


def failing_stubs(directory: Path, tools) -> Path:
    """A PATH entry where each tool fails loudly and leaves a mark: proof the translation never ran it."""
    for tool in tools:
        write_tool(directory, tool, f'#!/bin/sh\necho "{tool} $*" >> {directory}/called\necho "stub: {tool} called" >&2\nexit 97\n')
    return directory


def stubs_called(directory: Path) -> str:
    marks = directory / "called"
    return marks.read_text() if marks.exists() else ""


def run_script(ns: str, text: str, path: Path, *, path_first: Path | None = None) -> subprocess.CompletedProcess:
    """Run a script with /bin/sh inside a namespace (``ip netns exec`` mounts its own /sys)."""
    path.write_text(text)
    env = dict(os.environ)
    if path_first is not None:
        env["PATH"] = f"{path_first}:{env['PATH']}"
    return subprocess.run(["ip", "netns", "exec", ns, "sh", str(path)], capture_output=True, text=True,
                          env=env, timeout=300, check=False)


def translate(text: str, tmp_path: Path, *flags: str) -> tuple[str, dict]:
    """``python -m netscript translate`` on the script; (translated text, JSON report).

    Run from the repository root, so the code under test is the working tree's (the guest
    shares the host's site-packages for the dependencies)."""
    src, out = tmp_path / "legacy-input.sh", tmp_path / "translated-output.sh"
    src.write_text(text)
    proc = subprocess.run([sys.executable, "-m", "netscript", "translate", "--format", "json", "-o", str(out), *flags, str(src)],
                          capture_output=True, text=True, cwd=REPO, timeout=300, check=False)
    assert proc.returncode == 0, f"translate failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    report = json.loads(proc.stdout)
    errors = [d for d in report["diagnostics"] if d["severity"] == "error"]
    assert not errors, errors
    return out.read_text(), report


SECTION = "# ==== section "


def translate_sections(sections: dict[str, str], tmp_path: Path, *flags: str) -> dict[str, tuple[str, list[str]]]:
    """Several scripts translated by one CLI run (an interpreter costs seconds under emulation):
    each is a section of one script under a marker comment, which the translation keeps, and
    is split off again. Per section: (translated text, the legacy lines left as written)."""
    text = "".join(f"{SECTION}{name}\n{body}" for name, body in sections.items())
    translated, report = translate(text, tmp_path, *flags)
    lines = text.splitlines()
    starts = {i + 1: line[len(SECTION):] for i, line in enumerate(lines) if line.startswith(SECTION)}
    left: dict[str, list[str]] = {name: [] for name in sections}
    for d in report["diagnostics"]:
        if d["code"] in ("NS402", "NS415"):  # left as written (and why)
            section = starts[max(n for n in starts if n < d["line"])]
            left[section].append(lines[d["line"] - 1].strip())
    out = {}
    functions, *chunks = translated.split(SECTION)  # what the translation defines at the top, for every section
    for chunk in chunks:
        name, _, body = chunk.partition("\n")
        out[name] = (functions + body, left[name])
    assert sorted(out) == sorted(sections), translated
    return out


@pytest.fixture(scope="module")
def plain_translations(tmp_path_factory) -> dict[str, tuple[str, list[str]]]:
    """The vconfig, sysfs, ifenslave and teamd batches below, translated by one CLI run (vconfig
    last: its name type carries on in a script)."""
    sections = {"sysfs": batch(SYSFS_CASES), "ifenslave": batch(IFENSLAVE_CASES), "teamd": batch(TEAMD_CASES),
                "vconfig": batch(VCONFIG_CASES)}
    return translate_sections(sections, tmp_path_factory.mktemp("translate"))


@pytest.fixture(scope="module")
def team_as_bond_translation(tmp_path_factory) -> tuple[str, list[str]]:
    return translate_sections({"teams": batch(TEAM_AS_BOND_CASES)}, tmp_path_factory.mktemp("translate"), "--team-as-bond")["teams"]


# -- reading a namespace back ----------------------------------------------------------------


def ip_json(ns: str, *args: str):
    out = subprocess.run(["ip", "-n", ns, "-d", "-j", *args], capture_output=True, text=True, check=True).stdout
    return json.loads(out or "[]")


def _clean(value, known_macs, key=None):
    if isinstance(value, dict):
        return {k: _clean(v, known_macs, k) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        if key == "flags":
            return sorted(f for f in value if f not in CARRIER_FLAGS)
        return [_clean(v, known_macs) for v in value]
    if key in MAC_KEYS and isinstance(value, str) and MAC.fullmatch(value) and value.lower() not in known_macs:
        return "(a random MAC)"  # a master's own, before it takes a port's: differs on every run
    return value


def namespace_state(ns: str, known_macs) -> dict[str, dict]:
    """Every link but lo as ``ip -d -j link`` shows it (volatile fields left out), plus its
    addresses (local/prefix, broadcast, label; IPv6 link-local ones come by themselves)."""
    state = {link["ifname"]: _clean(link, known_macs) for link in ip_json(ns, "link", "show") if link["ifname"] != "lo"}
    for entry in ip_json(ns, "address", "show"):
        if entry["ifname"] in state:
            state[entry["ifname"]]["addresses"] = sorted(
                f"{a['local']}/{a['prefixlen']} brd {a.get('broadcast')} label {a.get('label')}"
                for a in entry.get("addr_info", []) if not a["local"].startswith("fe80:"))
    return state


def known_macs_of(macs: dict[str, str], *texts: str) -> set[str]:
    return {m.lower() for m in macs.values()} | {m.lower() for t in texts for m in MAC.findall(t)}


def differences(legacy, translated, path: str = "") -> list[str]:
    """Every attribute in which two read-backs differ, as ``path: legacy X, translation Y``."""
    if isinstance(legacy, dict) and isinstance(translated, dict):
        out = []
        for key in sorted(set(legacy) | set(translated), key=str):
            where = f"{path}.{key}" if path else str(key)
            if key not in translated:
                out.append(f"{where}: legacy {legacy[key]!r}, translation has none")
            elif key not in legacy:
                out.append(f"{where}: legacy has none, translation {translated[key]!r}")
            else:
                out += differences(legacy[key], translated[key], where)
        return out
    return [] if legacy == translated else [f"{path}: legacy {legacy!r}, translation {translated!r}"]


def link_differences(legacy: dict, translated: dict) -> dict[str, list[str]]:
    """The differences of two namespaces' read-backs, per link name."""
    out = {}
    for name in sorted(set(legacy) | set(translated)):
        if name not in translated:
            found = [f"{name}: only in the legacy namespace"]
        elif name not in legacy:
            found = [f"{name}: only in the translation's namespace"]
        else:
            found = differences(legacy[name], translated[name], name)
        if found:
            out[name] = found
    return out


def all_differences(legacy: dict, translated: dict) -> list[str]:
    return [p for found in link_differences(legacy, translated).values() for p in found]


def failed(label: str, proc: subprocess.CompletedProcess) -> list[str]:
    return [] if proc.returncode == 0 else [f"{label} script failed (rc={proc.returncode}): {proc.stderr.strip()[-2000:]}"]


def settle():
    # bond/team link monitors poll every 100 ms: let them see the last change before reading
    time.sleep(0.3)


def batch(cases, header: str = "set -e\n") -> str:
    """One script from many cases, each under a comment naming it."""
    return header + "".join(f"# -- {case[0]}\n" + case[2].strip("\n") + "\n" for case in cases)


def owner_of(name: str, states, stand_in_owner: dict[str, str]) -> str | None:
    """The case a link belongs to: its own stand-in, or the stand-in under it (a VLAN's parent)."""
    seen = set()
    while name not in stand_in_owner:
        if name in seen:
            return None
        seen.add(name)
        link = next((s[name] for s in states if name in s), {})
        name = link.get("link") or link.get("master")
        if name is None:
            return None
    return stand_in_owner[name]


def by_case(legacy: dict, translated: dict, cases) -> dict[str, list[str]]:
    """The differences of two namespaces, per case (by the stand-ins each case owns; "?": none)."""
    stand_in_owner = {link: case[0] for case in cases for link in case[1]}
    out: dict[str, list[str]] = {}
    for name, found in link_differences(legacy, translated).items():
        out.setdefault(owner_of(name, (legacy, translated), stand_in_owner) or "?", []).extend(found)
    return out


# -- vconfig ---------------------------------------------------------------------------------

# (case, its stand-ins, legacy lines). The name type carries on from case to case as it does
# in any script (per namespace in the kernel, per script in netscript, in a file for Debian's
# wrapper): the first case has the default, the cases after DEV_PLUS_VID_NO_PAD have it again.
VCONFIG_CASES = [
    ("default name type", ["p1"], "vconfig add p1 5\nvconfig add p1 0"),
    ("VLAN_PLUS_VID, rem of a padded name", ["p2"], """
vconfig set_name_type VLAN_PLUS_VID
vconfig add p2 6
vconfig add p2 1234
vconfig add p2 42
vconfig rem vlan0042
"""),
    ("VLAN_PLUS_VID_NO_PAD", ["p3"], "vconfig set_name_type VLAN_PLUS_VID_NO_PAD\nvconfig add p3 7"),
    ("DEV_PLUS_VID", ["p4"], "vconfig set_name_type DEV_PLUS_VID\nvconfig add p4 8\nvconfig add p4 4094"),
    ("DEV_PLUS_VID_NO_PAD again, reorder_hdr off", ["p5"],
     "vconfig set_name_type DEV_PLUS_VID_NO_PAD\nvconfig add p5 9\nvconfig set_flag p5.9 1 0"),
    ("reorder_hdr off and on again", ["p6"], "vconfig add p6 14\nvconfig set_flag p6.14 1 0\nvconfig set_flag p6.14 1 1"),
    ("egress maps", ["p8"], """
vconfig add p8 30
vconfig set_egress_map p8.30 0 3
vconfig set_egress_map p8.30 5 7
vconfig set_egress_map p8.30 100 2
vconfig set_egress_map p8.30 5 0
"""),
    ("ingress map with equal priorities", ["p9"], "vconfig add p9 31\nvconfig set_ingress_map p9.31 4 4"),
    ("rem", ["p10"], "vconfig add p10 40\nvconfig add p10 41\nvconfig rem p10.40"),
    ("a VLAN on a VLAN", ["p11"], "vconfig add p11 50\nvconfig add p11.50 60"),
    ("names and ids in variables", ["p14"], """
IF=p14
VID=70
vconfig add "$IF" "$VID"
vconfig set_egress_map "$IF.$VID" 1 2
vconfig set_flag $IF.$VID 1 0
"""),
    # from here on Debian's wrapper reads the arguments otherwise (DEBIAN_WRAPPER)
    ("single flag bits", ["p7"], """
vconfig add p7 10
vconfig add p7 11
vconfig add p7 12
vconfig add p7 13
vconfig set_flag p7.10 2 1
vconfig set_flag p7.11 4 1
vconfig set_flag p7.12 8 1
vconfig set_flag p7.13 16 1
"""),
    ("flag masks", ["p15"], """
vconfig add p15 20
vconfig add p15 21
vconfig add p15 22
vconfig set_flag p15.20 31 1
vconfig set_flag p15.20 5 0
vconfig set_flag p15.21 3 1
vconfig set_flag p15.21 3 0
vconfig set_flag p15.22 24 1
vconfig set_flag p15.22 17 0
"""),
    ("ingress maps", ["p17"], """
vconfig add p17 32
vconfig set_ingress_map p17.32 2 5
vconfig set_ingress_map p17.32 3 1
vconfig set_ingress_map p17.32 7 0
"""),
    ("decimal id", ["p12"], "vconfig add p12 010"),
    ("name cut at 15 bytes", ["p13longname0"], "vconfig add p13longname0 2000"),
    # vconfig rem refuses a link that is not a VLAN (EINVAL); ip link delete would delete it
    ("rem of a link that is not a VLAN", ["p16"], "vconfig rem p16 || ip link set dev p16 mtu 1400"),
]
# Where Debian's wrapper (/usr/sbin/vconfig, vlan 2.0.5) is not vconfig(8): case -> (what it
# does instead, the line of the wrapper that does it). These cases are compared with the
# kernel's ioctl only, and the test checks the wrapper still has those lines (it runs ~0.3 s
# a call here, so it is not run on cases known to differ).
DEBIAN_WRAPPER = {
    "single flag bits": ("set_flag ignores the mask and sets reorder_hdr", 'type vlan reorder_hdr "$FLAG"'),
    "flag masks": ("set_flag ignores the mask and sets reorder_hdr", 'type vlan reorder_hdr "$FLAG"'),
    "ingress maps": ("set_ingress_map gives ip SKB:QOS, but ingress-qos-map is QOS:SKB", 'ingress-qos-map "$2:$3"'),
    "decimal id": ("the id goes to ip as written, which reads 010 as octal 8", 'type vlan id "$VLAN_ID"'),
    "name cut at 15 bytes": ("the whole name goes to ip, which refuses more than 15 bytes", 'name "$NAME" type vlan'),
    "rem of a link that is not a VLAN": ("rem deletes a link of any kind", 'ip link del "$1" || exit 4'),
}

# vconfig(8) on the kernel's ioctl: busybox's applet; busybox takes only flag mask 1 (its own
# range check), so another mask goes to the same SIOCSIFVLAN ioctl (SET_VLAN_FLAG_CMD = 7,
# struct vlan_ioctl_args: int cmd, char device1[24], union u (here: unsigned flag), short
# vlan_qos) through perl, which starts in a fraction of the time Python takes under emulation.
VCONFIG_IOCTL = r"""#!/bin/sh
if [ "$1" = set_flag ] && [ "$3" != 1 ]; then
  exec perl -e 'socket(S, 2, 2, 0) or die "socket: $!";
    ioctl(S, 0x8983, pack("i a24 I x20 s x2", 7, $ARGV[0], $ARGV[1], $ARGV[2])) or die "vconfig set_flag $ARGV[0] $ARGV[1]: $!\n"' "$2" "$3" "$4"
fi
exec busybox vconfig "$@"
"""
NAME_TYPE_FILE = Path("/run/network/vlan/name-type")  # where Debian's wrapper keeps set_name_type


def test_vconfig_translation_does_what_vconfig_did(make_netns, tmp_path, plain_translations):
    assert shutil.which("busybox") and "vconfig" in subprocess.run(["busybox", "--list"], capture_output=True, text=True, check=True).stdout
    macs = stand_in_macs(link for case in VCONFIG_CASES for link in case[1])
    script = batch(VCONFIG_CASES)
    translated, left = plain_translations["vconfig"]
    assert left == []
    known = known_macs_of(macs)
    problems = []

    # the kernel's ioctl (busybox vconfig)
    kernel_ns = fresh(make_netns, macs)
    shim = tmp_path / "ioctl-vconfig"
    write_tool(shim, "vconfig", VCONFIG_IOCTL)
    problems += failed("vconfig (ioctl)", run_script(kernel_ns, script, tmp_path / "ioctl.sh", path_first=shim))
    kernel = namespace_state(kernel_ns, known)

    # the translation, with every legacy tool a failing stub
    modern_ns = fresh(make_netns, macs)
    stubs = failing_stubs(tmp_path / "stubs", LEGACY_TOOLS)
    problems += failed("translated", run_script(modern_ns, translated, tmp_path / "translated.sh", path_first=stubs))
    assert stubs_called(stubs) == "", translated
    for case, found in sorted(by_case(kernel, namespace_state(modern_ns, known), VCONFIG_CASES).items()):
        problems += [f"{case}: {p}" for p in found]

    # Debian's wrapper, on the cases it reads as vconfig(8) does (they come first)
    wrapper = Path(shutil.which("vconfig")).read_text()
    for case, (why, line) in DEBIAN_WRAPPER.items():
        if line not in wrapper:
            problems.append(f"{case}: Debian's vconfig no longer has {line!r} ({why}): compare it on this case")
    agreeing = [c for c in VCONFIG_CASES if c[0] not in DEBIAN_WRAPPER]
    assert VCONFIG_CASES[:len(agreeing)] == agreeing
    wrapper_ns = fresh(make_netns, macs)
    NAME_TYPE_FILE.unlink(missing_ok=True)
    try:
        problems += failed("Debian vconfig", run_script(wrapper_ns, batch(agreeing), tmp_path / "debian.sh"))
    finally:
        NAME_TYPE_FILE.unlink(missing_ok=True)
    per_case = by_case(kernel, namespace_state(wrapper_ns, known), VCONFIG_CASES)
    for case in [c[0] for c in agreeing] + ["?"]:
        problems += [f"{case}: Debian's vconfig differs from the ioctl: {p}" for p in per_case.get(case, [])]

    assert problems == [], "\n".join(problems) + f"\n--- translated script:\n{translated}"


# -- bonding through sysfs -------------------------------------------------------------------

SYS = "/sys/class/net"
SYSFS_CASES = [
    ("802.3ad, names and numbers", ["p11", "p12"], f"""
echo +b1 > {SYS}/bonding_masters
echo "802.3ad 4" > {SYS}/b1/bonding/mode
echo 100 > {SYS}/b1/bonding/miimon
echo 1 > {SYS}/b1/bonding/lacp_rate
echo 1 > {SYS}/b1/bonding/xmit_hash_policy
echo 2 > {SYS}/b1/bonding/ad_select
echo 100 > {SYS}/b1/bonding/ad_actor_sys_prio
echo 5 > {SYS}/b1/bonding/ad_user_port_key
echo 02:00:00:aa:00:01 > {SYS}/b1/bonding/ad_actor_system
echo 1 > {SYS}/b1/bonding/min_links
echo off > {SYS}/b1/bonding/lacp_active
echo +p11 > {SYS}/b1/bonding/slaves
echo +p12 > {SYS}/b1/bonding/slaves
"""),
    ("802.3ad by name", ["p21"], f"""
echo +b2 > {SYS}/bonding_masters
echo 802.3ad > {SYS}/b2/bonding/mode
echo slow > {SYS}/b2/bonding/lacp_rate
echo layer2+3 > {SYS}/b2/bonding/xmit_hash_policy
echo bandwidth > {SYS}/b2/bonding/ad_select
echo 1 > {SYS}/b2/bonding/lacp_active
echo +p21 > {SYS}/b2/bonding/slaves
"""),
    ("active-backup with primary", ["p31", "p32"], f"""
echo +b3 > {SYS}/bonding_masters
echo 1 > {SYS}/b3/bonding/mode
echo 50 > {SYS}/b3/bonding/miimon
echo 100 > {SYS}/b3/bonding/updelay
echo 150 > {SYS}/b3/bonding/downdelay
echo 1 > {SYS}/b3/bonding/primary_reselect
echo active > {SYS}/b3/bonding/fail_over_mac
echo 3 > {SYS}/b3/bonding/num_grat_arp
echo 2 > {SYS}/b3/bonding/resend_igmp
echo 1 > {SYS}/b3/bonding/all_slaves_active
echo +p31 > {SYS}/b3/bonding/slaves
echo +p32 > {SYS}/b3/bonding/slaves
echo p32 > {SYS}/b3/bonding/primary
ip link set dev b3 up
"""),
    ("balance-rr, a port removed, queue_id", ["p41", "p42", "p43"], f"""
echo +b4 > {SYS}/bonding_masters
echo 0 > {SYS}/b4/bonding/mode
echo 3 > {SYS}/b4/bonding/packets_per_slave
echo 100 > {SYS}/b4/bonding/miimon
echo 0 > {SYS}/b4/bonding/use_carrier
echo +p41 > {SYS}/b4/bonding/slaves
echo +p42 > {SYS}/b4/bonding/slaves
echo +p43 > {SYS}/b4/bonding/slaves
echo -p41 > {SYS}/b4/bonding/slaves
echo p42:2 > {SYS}/b4/bonding/queue_id
"""),
    ("balance-xor with the ARP monitor", ["p51"], f"""
echo +b5 > {SYS}/bonding_masters
echo balance-xor > {SYS}/b5/bonding/mode
echo 2 > {SYS}/b5/bonding/xmit_hash_policy
echo 200 > {SYS}/b5/bonding/arp_interval
echo +192.0.2.1 > {SYS}/b5/bonding/arp_ip_target
echo +192.0.2.2 > {SYS}/b5/bonding/arp_ip_target
echo -192.0.2.1 > {SYS}/b5/bonding/arp_ip_target
echo 3 > {SYS}/b5/bonding/arp_validate
echo 1 > {SYS}/b5/bonding/arp_all_targets
echo 3 > {SYS}/b5/bonding/arp_missed_max
echo +p51 > {SYS}/b5/bonding/slaves
"""),
    ("balance-tlb", ["p61"], f"""
echo +b6 > {SYS}/bonding_masters
echo 5 > {SYS}/b6/bonding/mode
echo 0 > {SYS}/b6/bonding/tlb_dynamic_lb
echo 100 > {SYS}/b6/bonding/miimon
echo 2 > {SYS}/b6/bonding/lp_interval
echo 4 > {SYS}/b6/bonding/num_unsol_na
echo +p61 > {SYS}/b6/bonding/slaves
"""),
    ("balance-alb, peer_notif_delay", ["p71"], f"""
echo +b7 > {SYS}/bonding_masters
echo balance-alb > {SYS}/b7/bonding/mode
echo 100 > {SYS}/b7/bonding/miimon
echo 200 > {SYS}/b7/bonding/peer_notif_delay
echo +p71 > {SYS}/b7/bonding/slaves
"""),
    ("broadcast, failure reselect, follow", ["p81"], f"""
echo +b8 > {SYS}/bonding_masters
echo 3 > {SYS}/b8/bonding/mode
echo 100 > {SYS}/b8/bonding/miimon
echo +p81 > {SYS}/b8/bonding/slaves
echo +b9 > {SYS}/bonding_masters
echo active-backup > {SYS}/b9/bonding/mode
echo 2 > {SYS}/b9/bonding/fail_over_mac
echo failure > {SYS}/b9/bonding/primary_reselect
"""),
    ("a bond made and removed", [], f"""
echo +b10 > {SYS}/bonding_masters
echo +b11 > {SYS}/bonding_masters
echo -b10 > {SYS}/bonding_masters
"""),
    # the driver deletes only one of its bonds (ENODEV); ip link delete would delete the dummy
    ("-NAME of a link that is not a bond", ["p131"], f"echo -p131 > {SYS}/bonding_masters || ip link set dev p131 mtu 1400"),
    # the file only known when the script runs: bonding_write picks the ip command then; each
    # write the driver refuses is followed by a change that shows it failed in both namespaces
    ("the file in a variable", ["p141", "p142", "p143", "p144", "p145"], f"""
set_bond() {{ echo "$3" > "{SYS}/$1/bonding/$2"; }}
B=b14
echo +$B > {SYS}/bonding_masters
SETTINGS='mode=1 mode=balance-xor miimon=100 updelay=200 peer_notif_delay=300 xmit_hash_policy=1 num_grat_arp=2'
for setting in $SETTINGS "mode=balance-xor 2" all_slaves_active=1 arp_validate=0 use_carrier=0; do
    key=${{setting%%=*}}
    echo "${{setting#*=}}" > {SYS}/$B/bonding/$key
done
echo +b15 > {SYS}/bonding_masters
for setting in mode=4 lacp_rate=1 ad_select=bandwidth lacp_active=off min_links=1; do
    echo "${{setting#*=}}" > "{SYS}/b15/bonding/${{setting%%=*}}"
done
set_bond b15 ad_select 1
set_bond b15 packets_per_slave 2 || ip link set dev p141 mtu 1410
set_bond $B slaves +p141
set_bond $B slaves +p142
set_bond $B slaves +p143
set_bond $B slaves -p141
set_bond $B queue_id p142:3
set_bond $B arp_ip_target +192.0.2.7
set_bond $B arp_ip_target +192.0.2.8
set_bond $B arp_ip_target -192.0.2.7
set_bond $B mode 0 || ip link set dev p143 mtu 1400
set_bond $B nosuch 1 || ip link set dev p142 mtu 1450
ip link add br14 type bridge
ip link set dev p144 master br14
set_bond $B slaves -p144 || ip link set dev p144 mtu 1300
set_bond nosuch miimon 100 || ip link set dev p144 mtu 1350
# the whole path in a variable that is not set once to a fixed path
for BONDING_MASTERS in /nonexistent/bonding_masters {SYS}/bonding_masters; do
    echo +b16 > "$BONDING_MASTERS" || ip link set dev p145 mtu 1320
done
for b in b16; do
    BONDING={SYS}/$b/bonding
    echo 1 > "$BONDING/mode"
    echo +p145 > "$BONDING/slaves"
    echo -b17 > "$BONDING_MASTERS" || ip link set dev p145 mtu 1330
    echo -p143 > "$BONDING/slaves" || ip link set dev p143 mtu 1340
done
"""),
    ("names in variables, other spellings", ["p121", "p122"], f"""
B=b12
P=p121
echo +$B > {SYS}/bonding_masters
printf active-backup > /sys/devices/virtual/net/$B/bonding/mode
echo -n 100 >> "{SYS}/$B/bonding/miimon"
echo +"$P" > {SYS}/"$B"/bonding/slaves
echo "+p122" > "{SYS}/$B/bonding/slaves"
echo "-$P" > "{SYS}/$B/bonding/slaves"
"""),
]
# left as written, by design: one address per write where ip sets the list
SYSFS_LEFT = [line for line in batch(SYSFS_CASES).splitlines() if "bonding/arp_ip_target" in line]


@pytest.fixture(scope="module")
def bonding_loaded():
    # /sys/class/net/bonding_masters exists once the driver is loaded; max_bonds=0: no bond0
    # in the guest's own namespace (autoloading by `ip link add type bond` does the same)
    if not Path("/sys/module/bonding").exists():
        subprocess.run(["modprobe", "bonding", "max_bonds=0"], check=True)


def test_bonding_sysfs_writes_translation_does_what_sysfs_did(make_netns, tmp_path, bonding_loaded, plain_translations):
    macs = stand_in_macs(link for case in SYSFS_CASES for link in case[1])
    script = batch(SYSFS_CASES)
    translated, left = plain_translations["sysfs"]
    assert left == SYSFS_LEFT
    # what it translated no longer writes to sysfs (it may read it: `[ -d .../bonding ]` before a delete)
    # (bonding_write, defined at the top, writes a file itself where ip has no equivalent)
    function = definition("bonding_write").splitlines()
    assert [line for line in translated.splitlines() if re.search(r">\s*\S*/bonding", line) and not line.startswith("#") and line not in function] == SYSFS_LEFT
    known = known_macs_of(macs, script)
    problems = []

    legacy_ns = fresh(make_netns, macs)
    problems += failed("legacy", run_script(legacy_ns, script, tmp_path / "legacy.sh"))
    modern_ns = fresh(make_netns, macs)
    stubs = failing_stubs(tmp_path / "stubs", LEGACY_TOOLS)
    problems += failed("translated", run_script(modern_ns, translated, tmp_path / "translated.sh", path_first=stubs))
    assert stubs_called(stubs) == "", translated
    settle()
    problems += all_differences(namespace_state(legacy_ns, known), namespace_state(modern_ns, known))
    assert problems == [], "\n".join(problems) + f"\n--- translated script:\n{translated}"


# -- ifenslave -------------------------------------------------------------------------------

# ifenslave(8) through the bonding sysfs files, for a guest without the program: the slave
# taken down first (with ifconfig's SIOCSIFFLAGS, as ifenslave did), refused when the master
# is down (as ifenslave did); -d releases, -c changes the active slave.
IFENSLAVE_SYSFS = r"""#!/bin/sh
action=enslave
while :; do
  case $1 in
    -f|--force) shift ;;
    -d|--detach) action=detach; shift ;;
    -c|--change-active) action=change; shift ;;
    *) break ;;
  esac
done
master=$1; shift
bonding=/sys/class/net/$master/bonding
[ $(( $(cat /sys/class/net/$master/flags) & 1 )) = 1 ] || { echo "ifenslave: master $master is not up" >&2; exit 1; }
for slave; do
  case $action in
    enslave) ifconfig "$slave" down && echo "+$slave" > "$bonding/slaves" || exit 1 ;;
    detach) echo "-$slave" > "$bonding/slaves" || exit 1 ;;
    change) echo "$slave" > "$bonding/active_slave" || exit 1 ;;
  esac
done
"""
IFENSLAVE_CASES = [
    ("enslave two, change the active one, release one", ["p11", "p12", "p13"], """
ip link add b1 type bond mode active-backup miimon 100
ip link set dev b1 up
ifenslave b1 p11 p12 p13
ifenslave -c b1 p12
ifenslave -d b1 p11
"""),
    ("ports that were up, long options, a list in a variable", ["p21", "p22", "p23"], """
ip link add b2 type bond mode balance-xor
ip link set dev b2 up
ip link set dev p22 up
ip link set dev p23 mtu 1400 up
ifenslave --force b2 p21
SLAVES="p22 p23"
ifenslave b2 $SLAVES
ifenslave --detach b2 p21 p22
"""),
    ("change-active by long option", ["p31", "p32"], """
ip link add b3 type bond mode active-backup
ip link set dev b3 up
ifenslave b3 p31 p32
ifenslave --change-active b3 p32
"""),
]


def test_ifenslave_translation_does_what_ifenslave_did(make_netns, tmp_path, bonding_loaded, plain_translations):
    macs = stand_in_macs(link for case in IFENSLAVE_CASES for link in case[1])
    script = batch(IFENSLAVE_CASES)
    translated, left = plain_translations["ifenslave"]
    assert left == []
    known = known_macs_of(macs)
    problems = []

    legacy_path = None
    if shutil.which("ifenslave") is None:  # Debian 12: ifupdown hooks only, no program
        legacy_path = tmp_path / "ifenslave-sysfs"
        write_tool(legacy_path, "ifenslave", IFENSLAVE_SYSFS)
    legacy_ns = fresh(make_netns, macs)
    problems += failed("legacy", run_script(legacy_ns, script, tmp_path / "legacy.sh", path_first=legacy_path))
    modern_ns = fresh(make_netns, macs)
    stubs = failing_stubs(tmp_path / "stubs", LEGACY_TOOLS)
    problems += failed("translated", run_script(modern_ns, translated, tmp_path / "translated.sh", path_first=stubs))
    assert stubs_called(stubs) == "", translated
    settle()
    problems += all_differences(namespace_state(legacy_ns, known), namespace_state(modern_ns, known))
    assert problems == [], "\n".join(problems) + f"\n--- translated script:\n{translated}"


# -- teamd and teamdctl ----------------------------------------------------------------------


def teams_of(state: dict) -> list[str]:
    return sorted(name for name, link in state.items() if link.get("linkinfo", {}).get("info_kind") == "team")


# one `ip netns exec` for every teamdctl call of a namespace: each costs a few tenths of a second
TEAMDCTL_DUMPS = r"""for team; do
  teamdctl "$team" config dump actual || echo '"teamdctl config dump actual failed"'; echo @@
  teamdctl "$team" state dump || echo '"teamdctl state dump failed"'; echo @@
done"""


def teamd_dumps(ns: str, teams) -> dict[str, tuple]:
    """Each team's (``config dump actual``, ``state dump``), as JSON."""
    out = subprocess.run(["ip", "netns", "exec", ns, "sh", "-c", TEAMDCTL_DUMPS, "sh", *teams],
                         capture_output=True, text=True, check=False).stdout
    dumps = [json.loads(chunk) for chunk in out.split("@@\n")[:-1]]
    return {team: (dumps[2 * i], dumps[2 * i + 1]) for i, team in enumerate(teams)}


# teamd's state dump: the daemon's pid, and what LACP and the link watchers decided on their
# own schedule after the script was done, are not the script's doing
TEAMD_VOLATILE = {"pid", "ifindex", "down_count", "selected", "aggregator", "partner_lacpdu_info", "state"}


def _team_clean(value, known_macs, key=None):
    if isinstance(value, dict):
        return {k: _team_clean(v, known_macs, k) for k, v in value.items() if k not in TEAMD_VOLATILE}
    return _clean(value, known_macs, key)


DEFAULT_WATCH = {"name": "ethtool"}


def team_states(ns: str, state: dict, known_macs) -> dict:
    """Each team's live teamd config (``config dump actual``) and state (``state dump``).

    teamd writes the default link watcher into a port's config when it gets round to the new
    port; a ``port config update`` right after ``port add`` lands before or after that (a race
    inside teamd, the same on both sides), so that default entry is left out."""
    out = {}
    for team, (config, state_dump) in teamd_dumps(ns, teams_of(state)).items():
        for port in (config.get("ports") or {}).values() if isinstance(config, dict) else ():
            if port.get("link_watch") == DEFAULT_WATCH:
                del port["link_watch"]
        out[team] = {"config": config, "state": _team_clean(state_dump, known_macs)}
    return out


def stop_teams(ns: str, teams) -> None:
    """``teamd -k`` every team (all at once): their names are free for the next namespace."""
    subprocess.run(["ip", "netns", "exec", ns, "sh", "-c", 'for t; do teamd -t "$t" -k & done; wait', "sh", *teams],
                   capture_output=True, check=False)
    deadline = time.monotonic() + 10
    while any(Path(f"/run/teamd/{t}.pid").exists() for t in teams) and time.monotonic() < deadline:
        time.sleep(0.05)


TEAMD_CASES = [
    ("activebackup, ports by config and by teamdctl, ifconfig and vconfig on top", ["p11", "p12", "p13"], """
teamd -d -t t1 -c '{"runner": {"name": "activebackup", "hwaddr_policy": "by_active"}, "link_watch": {"name": "ethtool", "delay_up": 100}, "ports": {"p11": {"prio": 10, "sticky": true}, "p12": {"prio": 5}}}'
teamdctl t1 port add p13
teamdctl t1 port remove p12
teamdctl t1 state item set runner.active_port p13
ifconfig t1 192.0.2.1 netmask 255.255.255.0 mtu 1400 up
vconfig add t1 10
ifconfig t1.10 198.51.100.1 netmask 255.255.255.128 up
"""),
    ("loadbalance with a balancer", ["p21", "p22"], """
teamd -d -t t2 -c '{"runner": {"name": "loadbalance", "tx_hash": ["eth", "ipv4", "tcp"], "tx_balancer": {"name": "basic"}}, "ports": {"p21": {"queue_id": 1}}}'
teamdctl t2 port add p22
teamdctl t2 port config update p22 '{"prio": 3}'
ifconfig t2 up
"""),
    ("lacp, a team stopped", ["p31", "p32", "p41"], """
teamd -d -t t3 -c '{"runner": {"name": "lacp", "active": true, "fast_rate": true, "sys_prio": 100, "min_ports": 1}, "ports": {"p31": {"lacp_prio": 7, "lacp_key": 2}}}'
teamdctl t3 port add p32
teamd -d -t t4 -c '{"runner": {"name": "roundrobin"}, "ports": {"p41": {}}}'
teamd -t t4 -k
"""),
]
TEAMD_TEAMS = ("t1", "t2", "t3", "t4")


def test_teamd_stays_and_the_legacy_commands_around_it_translate(make_netns, tmp_path, plain_translations):
    macs = stand_in_macs(link for case in TEAMD_CASES for link in case[1])
    script = batch(TEAMD_CASES)
    translated, left = plain_translations["teamd"]
    team_lines = [line for line in script.splitlines() if line.startswith(TEAM_TOOLS)]
    # teamd drives the team driver and nothing else does: every teamd/teamdctl line stays as it was
    assert left == team_lines
    assert [line for line in translated.splitlines() if line.startswith(TEAM_TOOLS)] == team_lines
    known = known_macs_of(macs)
    problems = []

    sides = {}
    stubs = failing_stubs(tmp_path / "stubs", LEGACY_TOOLS)
    for label, text, path_first in (("legacy", script, None), ("translated", translated, stubs)):
        ns = fresh(make_netns, macs)
        try:
            problems += failed(label, run_script(ns, text, tmp_path / f"{label}.sh", path_first=path_first))
            settle()
            state = namespace_state(ns, known)
            sides[label] = {"links": state, "teams": team_states(ns, state, known)}
        finally:
            stop_teams(ns, TEAMD_TEAMS)  # teamd's pid file and socket are global: one t1 at a time
    assert stubs_called(stubs) == "", translated
    assert sorted(sides["legacy"]["teams"]) == ["t1", "t2", "t3"]
    problems += all_differences(sides["legacy"]["links"], sides["translated"]["links"])
    problems += differences(sides["legacy"]["teams"], sides["translated"]["teams"], "teamd")
    assert problems == [], "\n".join(problems) + f"\n--- translated script:\n{translated}"


# -- --team-as-bond ----------------------------------------------------------------------------

# The mapping table of netscript/frontends/legacy/team_as_bond.py (its docstring), written out
# here independently as the bond settings, in `ip -d -j` terms, that a team's config promises.
RUNNER_MODE = {"broadcast": "broadcast", "roundrobin": "balance-rr", "activebackup": "active-backup",
               "loadbalance": "balance-tlb", "lacp": "802.3ad"}
HWADDR_POLICY = {"same_all": "none", "by_active": "active", "only_active": "follow"}
AGG_SELECT = {"lacp_prio": "stable", "lacp_prio_stable": "stable", "bandwidth": "bandwidth", "count": "count",
              "port_config": "stable"}
MIIMON = 100


def promised_hash(fragments) -> str:
    """tx_hash -> xmit_hash_policy: L4 fields hash layer3+4, L3 fields layer2+3, only eth layer2."""
    parts = set(fragments)
    if parts & {"tcp", "udp", "sctp", "l4"}:
        return "layer3+4"
    return "layer2+3" if parts & {"ipv4", "ipv6", "ip", "l3"} else "layer2"


def promised_bond(config: dict) -> dict:
    """The bond's info_data the table promises for a team config as teamd holds it
    (``config dump actual``: teamd's defaults filled in). Keys the config does not set are
    not promised anything but the bond's defaults, which the same comparison checks."""
    runner = config.get("runner") or {}
    name = runner.get("name", "roundrobin")
    want = {"mode": RUNNER_MODE[name]}
    if name == "activebackup":
        want["fail_over_mac"] = HWADDR_POLICY[runner.get("hwaddr_policy", "same_all")]
    if name in ("loadbalance", "lacp") and "tx_hash" in runner:
        want["xmit_hash_policy"] = promised_hash(runner["tx_hash"])
    if name == "loadbalance":
        want["tlb_dynamic_lb"] = int((runner.get("tx_balancer") or {}).get("name") == "basic")
    if name == "lacp":
        want["ad_lacp_rate"] = "fast" if runner.get("fast_rate") else "slow"
        want["ad_actor_sys_prio"] = max(1, runner.get("sys_prio", 65535))
        want["ad_select"] = AGG_SELECT[runner.get("agg_select_policy", "lacp_prio")]
        if "min_ports" in runner:
            want["min_links"] = runner["min_ports"]
    watches = config.get("link_watch") or {"name": "ethtool"}
    watch = watches[0] if isinstance(watches, list) else watches
    if watch["name"] == "ethtool":
        want["miimon"] = MIIMON
        # the bond keeps delays in whole miimon periods
        want["updelay"] = watch.get("delay_up", 0) // MIIMON * MIIMON
        want["downdelay"] = watch.get("delay_down", 0) // MIIMON * MIIMON
    elif watch["name"] == "arp_ping":
        want["arp_interval"] = watch.get("interval", 1000)
        want["arp_ip_target"] = [w["target_host"] for w in (watches if isinstance(watches, list) else [watches])
                                 if w["name"] == "arp_ping"]
        active, inactive = watch.get("validate_active"), watch.get("validate_inactive")
        want["arp_validate"] = "all" if active and inactive else "active" if active else "backup" if inactive else None
    if "count" in (config.get("notify_peers") or {}):
        want["num_peer_notif"] = config["notify_peers"]["count"]
    if "count" in (config.get("mcast_rejoin") or {}):
        want["resend_igmp"] = config["mcast_rejoin"]["count"]
    return want


def promised_port(options: dict) -> dict:
    want = {}
    if "queue_id" in options:
        want["queue_id"] = options["queue_id"]
    if "prio" in options:
        want["prio"] = max(0, options["prio"])
    return want


TEAM_AS_BOND_CASES = [
    ("activebackup with every mapped option", ["p11", "p12", "p13"], """
teamd -d -t t1 -c '{"runner": {"name": "activebackup", "hwaddr_policy": "by_active"}, "link_watch": {"name": "ethtool", "delay_up": 200, "delay_down": 100}, "notify_peers": {"count": 2}, "mcast_rejoin": {"count": 3}, "ports": {"p11": {"prio": 10, "queue_id": 1}, "p12": {}}}'
teamdctl t1 port add p13
teamdctl t1 port remove p12
teamdctl t1 port config update p13 '{"prio": 4, "queue_id": 3}'
ifconfig t1 192.0.2.1 netmask 255.255.255.0 up
vconfig add t1 10
"""),
    # bonding takes an active slave only once its link is up, which updelay (delay_up) holds
    # back: the translation says so in a hint; here a team without delay_up
    ("activebackup, the active port chosen", ["p121", "p122"], """
teamd -d -t t12 -c '{"runner": {"name": "activebackup"}, "ports": {"p121": {}, "p122": {}}}'
teamdctl t12 state item set runner.active_port p122
"""),
    ("loadbalance, basic balancer, l3+l4 hash", ["p21"], """
teamd -d -t t2 -c '{"runner": {"name": "loadbalance", "tx_hash": ["l3", "l4"], "tx_balancer": {"name": "basic"}}, "ports": {"p21": {}}}'
"""),
    ("loadbalance with teamd's own defaults", ["p31", "p32"], """
teamd -d -t t3 -c '{"runner": {"name": "loadbalance"}, "ports": {"p31": {}}}'
teamdctl t3 port add p32
"""),
    ("lacp", ["p41", "p42"], """
teamd -d -t t4 -c '{"device": "t4", "runner": {"name": "lacp", "fast_rate": true, "sys_prio": 100, "min_ports": 2, "agg_select_policy": "count", "tx_hash": ["eth", "ipv4"]}, "ports": {"p41": {"queue_id": 2}, "p42": {}}}'
"""),
    ("lacp with defaults", ["p51"], """
teamd -d -t t5 -c '{"runner": {"name": "lacp"}}'
teamdctl t5 port add p51
"""),
    ("roundrobin with a MAC, broadcast", ["p61", "p71"], """
teamd -d -t t6 -c '{"hwaddr": "02:00:00:bb:00:06", "runner": {"name": "roundrobin"}, "ports": {"p61": {}}}'
teamd -d -t t7 -c '{"runner": {"name": "broadcast"}, "ports": {"p71": {}}}'
ifconfig t7 mtu 1400
"""),
    ("activebackup with the ARP watcher", ["p81"], """
teamd -d -t t8 -c '{"runner": {"name": "activebackup"}, "link_watch": {"name": "arp_ping", "interval": 100, "target_host": "192.0.2.254", "validate_active": true}, "ports": {"p81": {}}}'
"""),
    ("a team stopped", ["p91"], """
teamd -d -t t9 -c '{"runner": {"name": "activebackup"}, "ports": {"p91": {}}}'
teamd -t t9 -k
"""),
    ("no ports (-n), recreated (-r)", ["p101"], """
teamd -d -n -r -t t10 -c '{"runner": {"name": "activebackup"}, "ports": {"p101": {}}}'
"""),
    ("a team that outlives teamd (-N)", ["p111", "p112"], """
teamd -d -N -t t11 -c '{"runner": {"name": "roundrobin"}, "ports": {"p111": {}, "p112": {}}}'
teamd -t t11 -k
"""),
]
TEAM_AS_BOND_TEAMS = tuple(f"t{i}" for i in range(1, 13))
# Their device stays when teamd goes (-N). Its MAC is not compared: the team keeps the one it
# had, bonding gives a bond whose last port leaves a random one.
TEAMS_WITHOUT_TEAMD = ["t11"]
# Compared between a team and the bond that replaces it (the rest of the link is the driver's)
MASTER_KEYS = ("mtu", "flags", "address", "addresses")
PORT_KEYS = ("mtu", "flags", "address", "master", "addresses")
# The one difference the table accepts by choosing the mode: a loadbalance team gives every
# port its MAC; balance-tlb leaves each port its own (bonding.rst: only the receiving port
# carries the bond's), so those ports' MACs are not compared.
OWN_MAC_MODES = ("balance-tlb",)


def test_team_as_bond_builds_the_bond_the_mapping_promises(make_netns, tmp_path, team_as_bond_translation):
    macs = stand_in_macs(link for case in TEAM_AS_BOND_CASES for link in case[1])
    script = batch(TEAM_AS_BOND_CASES)
    translated, left = team_as_bond_translation
    assert left == []
    known = known_macs_of(macs, script)
    problems = []

    team_ns = fresh(make_netns, macs)
    try:
        problems += failed("legacy", run_script(team_ns, script, tmp_path / "legacy.sh"))
        settle()
        team_side = namespace_state(team_ns, known)
        dumps = teamd_dumps(team_ns, [t for t in teams_of(team_side) if t not in TEAMS_WITHOUT_TEAMD])
    finally:
        stop_teams(team_ns, TEAM_AS_BOND_TEAMS)
    bond_ns = fresh(make_netns, macs)
    stubs = failing_stubs(tmp_path / "stubs", LEGACY_TOOLS + TEAM_TOOLS)
    problems += failed("translated", run_script(bond_ns, translated, tmp_path / "translated.sh", path_first=stubs))
    assert stubs_called(stubs) == "", translated
    settle()
    bond_side = namespace_state(bond_ns, known)
    assert sorted(dumps) == sorted(f"t{i}" for i in (1, 2, 3, 4, 5, 6, 7, 8, 10, 12)), dumps
    assert [t for t in teams_of(team_side) if t not in dumps] == TEAMS_WITHOUT_TEAMD
    configs = {team: config for team, (config, _) in dumps.items()}

    ports = {name for name, link in team_side.items() if link.get("master") in configs}
    own_macs = {name for name in ports
                if isinstance(configs[team_side[name]["master"]], dict)
                and promised_bond(configs[team_side[name]["master"]])["mode"] in OWN_MAC_MODES}
    for team, config in configs.items():
        if not isinstance(config, dict):
            problems.append(f"{team}: {config}")
            continue
        bond = bond_side.get(team, {}).get("linkinfo", {})
        if bond.get("info_kind") != "bond":
            problems.append(f"{team}: the translation made no bond ({bond.get('info_kind')})")
            continue
        data = bond.get("info_data", {})
        for key, value in promised_bond(config).items():
            if data.get(key) != value:
                problems.append(f"{team}: {key} is {data.get(key)!r}, the team's config {config.get('runner')} promises {value!r}")
        if "hwaddr" in config and bond_side[team]["address"] != config["hwaddr"].lower():
            problems.append(f"{team}: address is {bond_side[team]['address']}, the team's hwaddr is {config['hwaddr']}")
        for port, options in (config.get("ports") or {}).items():
            slave = bond_side.get(port, {}).get("linkinfo", {}).get("info_slave_data", {})
            for key, value in promised_port(options).items():
                if slave.get(key) != value:
                    problems.append(f"{team} port {port}: {key} is {slave.get(key)!r}, the team's port config promises {value!r}")
        # the active port, where a link watcher sees the links (ethtool; no ARP target answers here)
        active_port = (dumps[team][1].get("runner") or {}).get("active_port") or None
        watch = config.get("link_watch") or {"name": "ethtool"}
        if config["runner"]["name"] == "activebackup" and watch.get("name") == "ethtool" and data.get("active_slave") != active_port:
            problems.append(f"{team}: active slave is {data.get('active_slave')!r}, the team's active port {active_port!r}")
        legacy_ports = {p for p in ports if team_side[p]["master"] == team}
        bond_ports = {name for name, link in bond_side.items() if link.get("master") == team}
        if legacy_ports != bond_ports:
            problems.append(f"{team}: the team's ports are {sorted(legacy_ports)}, the bond's {sorted(bond_ports)}")

    # everything else the same: the masters' and ports' own settings, every other link entire
    def projected(state):
        out = {}
        for name, link in state.items():
            if name in configs or name in TEAMS_WITHOUT_TEAMD:
                out[name] = {k: link.get(k) for k in MASTER_KEYS if not (k == "address" and name in TEAMS_WITHOUT_TEAMD)}
                out[name]["flags"] = sorted(set(link["flags"]) - {"MASTER"})  # bonds say MASTER, teams do not
            elif name in ports:
                out[name] = {k: link.get(k) for k in PORT_KEYS if not (k == "address" and name in own_macs)}
                out[name]["flags"] = sorted(set(link["flags"]) - {"SLAVE"})  # likewise for their ports
            else:
                out[name] = link
        return out

    problems += all_differences(projected(team_side), projected(bond_side))
    assert problems == [], "\n".join(problems) + f"\n--- translated script:\n{translated}"
