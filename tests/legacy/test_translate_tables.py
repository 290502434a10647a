"""One legacy line in, the modern line out: the translations, tool by tool.

Each row states what the old tool did (per its man page and the kernel) as
the modern command that does the same; the traps (seconds vs centiseconds,
%i octal, vconfig name types, the ingress map's order) are rows here.
"""

from __future__ import annotations

import pytest

from netscript.frontends.legacy.helpers import definitions
from netscript.frontends.legacy.model import Options
from netscript.frontends.legacy.rewrite import translate_script


def translated(line: str, **options) -> str:
    result = translate_script(line + "\n", "t.sh", Options(**options))
    return result.text.rstrip("\n")


def codes(text: str, **options) -> list[str]:
    return [d.code for d in translate_script(text + "\n", "t.sh", Options(**options)).diagnostics]


BRCTL = [
    ("brctl addbr br0", "ip link add name br0 type bridge"),
    # brctl deletes only a bridge (ip link delete ... type bridge would delete a veth too)
    ("brctl delbr br0", "{ [ -d /sys/class/net/br0/bridge ] && ip link delete dev br0; } || false"),
    # brctl takes only a device with no master (EBUSY); ip would move a port of another bridge
    ("brctl addif br0 eth0", "{ [ ! -e /sys/class/net/eth0/master ] && ip link set dev eth0 master br0; } || false"),
    ("brctl addif br0 eth0 eth1",
     "{ [ ! -e /sys/class/net/eth0/master ] && ip link set dev eth0 master br0 && [ ! -e /sys/class/net/eth1/master ] && ip link set dev eth1 master br0; } || false"),
    # brctl releases only a port of that bridge; ip would release it from any master
    ("brctl delif br0 eth0", "{ [ -e /sys/class/net/br0/brif/eth0 ] && ip link set dev eth0 nomaster; } || false"),
    ("brctl stp br0 on", "ip link set dev br0 type bridge stp_state 1"),
    ("brctl stp br0 no", "ip link set dev br0 type bridge stp_state 0"),
    # seconds -> centiseconds, with brctl's own truncation
    ("brctl setfd br0 2.5", "ip link set dev br0 type bridge forward_delay 250"),
    ("brctl setfd br0 15", "ip link set dev br0 type bridge forward_delay 1500"),
    ("brctl sethello br0 2.726", "ip link set dev br0 type bridge hello_time 272"),
    ("brctl setmaxage br0 1e1", "ip link set dev br0 type bridge max_age 1000"),
    ("brctl setageing br0 0.29", "ip link set dev br0 type bridge ageing_time 29"),
    ("brctl setageing br0 300", "ip link set dev br0 type bridge ageing_time 30000"),
    ("brctl setfd br0 0x10", "ip link set dev br0 type bridge forward_delay 1600"),
    # %i: octal and hex become the decimal number brctl meant
    ("brctl setbridgeprio br0 010", "ip link set dev br0 type bridge priority 8"),
    ("brctl setbridgeprio br0 0x1000", "ip link set dev br0 type bridge priority 4096"),
    ("brctl setbridgeprio br0 70000", "ip link set dev br0 type bridge priority 4464"),
    ("brctl setpathcost br0 eth0 010", "ip link set dev eth0 type bridge_slave cost 8"),
    ("brctl setportprio br0 eth0 63", "ip link set dev eth0 type bridge_slave priority 63"),
    ("brctl hairpin br0 eth0 yes", "ip link set dev eth0 type bridge_slave hairpin on"),
    ("brctl hairpin br0 eth0 0", "ip link set dev eth0 type bridge_slave hairpin off"),
    # arguments carried over as written
    ('brctl addif "$BR" "${IFACE}"', '{ [ ! -e /sys/class/net/"${IFACE}"/master ] && ip link set dev "${IFACE}" master "$BR"; } || false'),
    ('brctl stp ${BR} on', "ip link set dev ${BR} type bridge stp_state 1"),
    # a variable in a list of names may hold several: one by one, stopping at the first failure
    # with status 1, and failing when there is none, as brctl does
    ("brctl addif br0 $PORTS",
     '(for _ns_port in $PORTS; do [ ! -e /sys/class/net/"$_ns_port"/master ] || exit 1; ip link set dev "$_ns_port" master br0 || exit 1; done; [ -n "${_ns_port-}" ])'),
    # a word that runs a command is expanded once, however many commands use the name
    ('brctl delif br0 "$(pick)"', '(for _ns_port in "$(pick)"; do [ -e /sys/class/net/br0/brif/"$_ns_port" ] || exit 1; ip link set dev "$_ns_port" nomaster || exit 1; done)'),
    ("brctl delif br0 eth0 $MORE",
     '(for _ns_port in eth0 $MORE; do [ -e /sys/class/net/br0/brif/"$_ns_port" ] || exit 1; ip link set dev "$_ns_port" nomaster || exit 1; done)'),
    ('brctl delif $BR "$P"', '{ [ -e /sys/class/net/"$BR"/brif/"$P" ] && ip link set dev "$P" nomaster; } || false'),
    ("/sbin/brctl addbr br0", "ip link add name br0 type bridge"),
    ("/usr/sbin/brctl addbr br0", "ip link add name br0 type bridge"),
    # a name with a dollar sign, named again in a path: escaped, so shellcheck sees no expansion in single quotes (SC2016)
    ("brctl addif br0 'v$x'", "{ [ ! -e /sys/class/net/\"v\\$x\"/master ] && ip link set dev 'v$x' master br0; } || false"),
    # displays (nobody reads them but a person)
    ("brctl show", "bridge link show"),
    ("brctl show br0", "ip link show master br0"),
    ("brctl showmacs br0", "bridge fdb show br br0"),
    ("brctl showstp br0", "ip -d link show dev br0"),
]

VCONFIG = [
    ("vconfig add eth0 5", "ip link add link eth0 name eth0.5 type vlan id 5"),
    # vconfig reads decimal: 010 is VLAN 10 (ip would read 8)
    ("vconfig add eth0 010", "ip link add link eth0 name eth0.10 type vlan id 10"),
    # vconfig removes only a VLAN (the kernel says EINVAL to anything else); ip link delete removes any kind
    ("vconfig rem eth0.5", "{ grep -qx DEVTYPE=vlan /sys/class/net/eth0.5/uevent && ip link delete dev eth0.5; } || false"),
    ("vconfig set_flag eth0.5 1 1", "ip link set dev eth0.5 type vlan reorder_hdr on"),
    ("vconfig set_flag eth0.5 2 1", "ip link set dev eth0.5 type vlan gvrp on"),
    ("vconfig set_flag eth0.5 4 0", "ip link set dev eth0.5 type vlan loose_binding off"),
    ("vconfig set_flag eth0.5 8 1", "ip link set dev eth0.5 type vlan mvrp on"),
    ("vconfig set_flag eth0.5 16 1", "ip link set dev eth0.5 type vlan bridge_binding on"),
    ("vconfig set_flag eth0.5 3 0", "ip link set dev eth0.5 type vlan reorder_hdr off gvrp off"),
    ("vconfig set_egress_map eth0.5 2 5", "ip link set dev eth0.5 type vlan egress-qos-map 2:5"),
    # ingress maps VLAN priority 5 to skb priority 2: ip writes FROM (VLAN) first
    ("vconfig set_ingress_map eth0.5 2 5", "ip link set dev eth0.5 type vlan ingress-qos-map 5:2"),
    ('vconfig add "$IF" 7', 'ip link add link "$IF" name "$IF".7 type vlan id 7'),
]

NAME_TYPES = [
    ("VLAN_PLUS_VID", "vlan0002"),
    ("VLAN_PLUS_VID_NO_PAD", "vlan2"),
    ("DEV_PLUS_VID", "eth0.0002"),
    ("DEV_PLUS_VID_NO_PAD", "eth0.2"),
]

IFENSLAVE = [
    ("ifenslave bond0 eth0", "{ ip link set dev eth0 down && ip link set dev eth0 master bond0; } || false"),
    ("ifenslave -f bond0 eth0", "{ ip link set dev eth0 down && ip link set dev eth0 master bond0; } || false"),
    ("ifenslave -d bond0 eth0 eth1", "{ ip link set dev eth0 nomaster && ip link set dev eth1 nomaster; } || false"),
    ("ifenslave --detach bond0 eth0", "ip link set dev eth0 nomaster"),
    ("ifenslave -c bond0 eth1", "ip link set dev bond0 type bond active_slave eth1"),
    ("ifenslave bond0", "ip -d link show dev bond0"),
    ('ifenslave "$BOND" $SLAVES',
     'for _ns_slave in $SLAVES; do { ip link set dev "$_ns_slave" down && ip link set dev "$_ns_slave" master "$BOND"; } || false; done'),
]

TUNCTL = [
    ('tunctl -t tap0', 'ip tuntap add dev tap0 mode tap user "$(id -u)"'),  # owned by whoever runs it, as tunctl did
    ('tunctl -t tun0 -n', 'ip tuntap add dev tun0 mode tun user "$(id -u)"'),
    ("tunctl -u qemu -g kvm -t tap1", "ip tuntap add dev tap1 mode tap user qemu group kvm"),
    ("tunctl -g kvm -t tap3", "ip tuntap add dev tap3 mode tap group kvm"),
    ("tunctl -ttap2 -u1000", "ip tuntap add dev tap2 mode tap user 1000"),
    ("tunctl -d tap0", "ip tuntap del dev tap0 mode tap"),
    ("tunctl -n -d tun0", "ip tuntap del dev tun0 mode tun"),
    ('tunctl', 'ip tuntap add mode tap user "$(id -u)"'),
]

SYSFS = [
    ("echo +bond0 > /sys/class/net/bonding_masters", "ip link add name bond0 type bond"),
    # the driver deletes only a bond of its own (ENODEV for anything else)
    ("echo -bond0 > /sys/class/net/bonding_masters", "{ [ -d /sys/class/net/bond0/bonding ] && ip link delete dev bond0; } || false"),
    ("echo 1 > /sys/class/net/bond0/bonding/mode", "ip link set dev bond0 type bond mode active-backup"),
    ("echo balance-alb > /sys/class/net/bond0/bonding/mode", "ip link set dev bond0 type bond mode balance-alb"),
    ("echo 100 > /sys/class/net/bond0/bonding/miimon", "ip link set dev bond0 type bond miimon 100"),
    ("echo 2 > /sys/class/net/bond0/bonding/xmit_hash_policy", "ip link set dev bond0 type bond xmit_hash_policy layer2+3"),
    ("echo fast > /sys/class/net/bond0/bonding/lacp_rate", "ip link set dev bond0 type bond lacp_rate fast"),
    ("echo +eth0 > /sys/class/net/bond0/bonding/slaves", "ip link set dev eth0 master bond0"),
    ("echo -eth0 > /sys/class/net/bond0/bonding/slaves", "ip link set dev eth0 nomaster"),
    ("echo eth1 > /sys/class/net/bond0/bonding/primary", "ip link set dev bond0 type bond primary eth1"),
    ("echo eth1:2 > /sys/class/net/bond0/bonding/queue_id", "ip link set dev eth1 type bond_slave queue_id 2"),
    # the sysfs file is peer_notif_delay, ip's keyword peer_notify_delay (the kernel lab caught ip refusing the other)
    ("echo 200 > /sys/class/net/bond0/bonding/peer_notif_delay", "ip link set dev bond0 type bond peer_notify_delay 200"),
    ("echo -n +bond1 >> /sys/devices/virtual/net/bonding_masters", "ip link add name bond1 type bond"),
    ('echo +"$PORT" > /sys/class/net/"$BOND"/bonding/slaves', 'ip link set dev "$PORT" master "$BOND"'),
    ('echo "+$PORT" > "/sys/class/net/$BOND/bonding/slaves"', 'ip link set dev "$PORT" master "$BOND"'),
]

IFCONFIG = [
    ("ifconfig eth0 up", "ip link set dev eth0 up"),
    ("ifconfig eth0 down", "ip link set dev eth0 down"),
    ("ifconfig eth0 mtu 9000", "ip link set dev eth0 mtu 9000"),
    # decimal for ifconfig; ip would read 01500 as octal
    ("ifconfig eth0 mtu 01500", "ip link set dev eth0 mtu 1500"),
    ("ifconfig eth0 hw ether 02:00:00:00:00:01", "ip link set dev eth0 address 02:00:00:00:00:01"),
    ("ifconfig eth0 promisc", "ip link set dev eth0 promisc on"),
    ("ifconfig eth0 -arp", "ip link set dev eth0 arp off"),
    ("ifconfig eth0 txqueuelen 2000", "ip link set dev eth0 txqueuelen 2000"),
    # the kernel's default broadcast only on a link with IFF_BROADCAST (not tun or lo): asked at run time
    ("ifconfig eth0 192.168.1.10 netmask 255.255.255.0 up",
     "{ if ip -o link show dev eth0 | grep -qw BROADCAST; then ip address replace 192.168.1.10/24 broadcast + dev eth0; else ip address replace 192.168.1.10/24 dev eth0; fi && ip link set dev eth0 up; } || false"),
    # no netmask: the classful one
    # without a netmask, a point-to-point link (tun) gets /32
    ("ifconfig eth0 10.1.2.3",
     "{ if ip -o link show dev eth0 | grep -qw POINTOPOINT; then ip address replace 10.1.2.3/32 dev eth0; elif ip -o link show dev eth0 | grep -qw BROADCAST; then ip address replace 10.1.2.3/8 broadcast + dev eth0; "
     "else ip address replace 10.1.2.3/8 dev eth0; fi && ip link set dev eth0 up; } || false"),
    ("ifconfig eth0 172.16.5.1/16", "{ if ip -o link show dev eth0 | grep -qw BROADCAST; then ip address replace 172.16.5.1/16 broadcast + dev eth0; else ip address replace 172.16.5.1/16 dev eth0; fi && ip link set dev eth0 up; } || false"),
    # a broadcast written on the command line is set on any link
    ("ifconfig eth0 192.0.2.7 netmask 255.255.255.0 broadcast 192.0.2.255", "{ ip address replace 192.0.2.7/24 broadcast 192.0.2.255 dev eth0 && ip link set dev eth0 up; } || false"),
    ("ifconfig eth0:1 192.0.2.9 netmask 255.255.255.0",
     "{ ip -4 address flush dev eth0 label eth0:1 && if ip -o link show dev eth0 | grep -qw BROADCAST; then ip address add 192.0.2.9/24 broadcast + dev eth0 label eth0:1; "
     "else ip address add 192.0.2.9/24 dev eth0 label eth0:1; fi; } || false"),
    # a link in a variable is one word to ifconfig: quoted, as the translation may name it several times
    ("ifconfig $t 0.0.0.0 promisc up", '{ { ip -4 address delete dev "$t" label "$t" 2>/dev/null || true; } && ip link set dev "$t" up promisc on; } || false'),
    ("ifconfig eth0 inet6 add 2001:db8::1/64", "ip -6 address add 2001:db8::1/64 dev eth0"),
    ("ifconfig eth0 0.0.0.0", "{ { ip -4 address delete dev eth0 label eth0 2>/dev/null || true; } && ip link set dev eth0 up; } || false"),
    ("ifconfig eth0", "ip address show dev eth0"),
    ("ifconfig -a", "ip address show"),
    ("ifconfig eth0:1 down", "ip -4 address delete dev eth0 label eth0:1"),
    ("ifconfig eth0:1 up", '[ -n "$(ip -4 -o address show dev eth0 label eth0:1)" ]'),
    ("ifconfig eth0:1 0.0.0.0", "ip -4 address flush dev eth0 label eth0:1"),
    ("ifconfig eth0:1 mtu 1400", "ip link set dev eth0 mtu 1400"),
    ("ifconfig eth0 txqueuelen 010", "ip link set dev eth0 txqueuelen 8"),
]


@pytest.mark.parametrize("legacy,modern", BRCTL + VCONFIG + IFENSLAVE + TUNCTL + SYSFS + IFCONFIG)
def test_translation(legacy, modern):
    assert translated(legacy) == modern


@pytest.mark.parametrize("name_type,name", NAME_TYPES)
def test_vconfig_name_type_names_the_later_vlans(name_type, name):
    script = f"vconfig set_name_type {name_type}\nvconfig add eth0 2"
    # the set_name_type line has nothing left to do once the add is named: it is dropped
    assert translated(script).splitlines() == [f"ip link add link eth0 name {name} type vlan id 2"]


def test_vconfig_name_type_applies_only_after_it_is_set():
    script = "vconfig add eth0 2\nvconfig set_name_type VLAN_PLUS_VID\nvconfig add eth0 3\nvconfig set_name_type DEV_PLUS_VID_NO_PAD\nvconfig add eth0 4"
    names = [line.split(" name ")[1].split()[0] for line in translated(script).splitlines() if " name " in line]
    assert names == ["eth0.2", "vlan0003", "eth0.4"]


def test_vconfig_names_are_cut_at_fifteen_bytes_like_the_kernel_did():
    assert translated("vconfig add enp0s31f6long 4000") == "ip link add link enp0s31f6long name enp0s31f6long.4 type vlan id 4000"


def test_vconfig_padded_name_of_a_run_time_vlan_id_is_left_alone():
    script = 'vconfig set_name_type VLAN_PLUS_VID\nvconfig add eth0 "$VID"'
    assert translated(script).splitlines()[1] == 'vconfig add eth0 "$VID"'
    assert "NS402" in codes(script)


# the file known only at run time: a function defined in the script picks the ip command then
RUNTIME_FILE = [
    ('echo "$value" > /sys/class/net/$BOND/bonding/$key', 'bonding_write "/sys/class/net/$BOND/bonding/$key" "$value"'),
    ('echo "$2" > "/sys/class/net/$BOND/bonding/$1"', 'bonding_write "/sys/class/net/$BOND/bonding/$1" "$2"'),
    ("echo $v > /sys/class/net/bond0/bonding/${KEY}", 'bonding_write "/sys/class/net/bond0/bonding/${KEY}" $v'),
    ('echo "${opt#*=}" > "/sys/class/net/$B/bonding/${opt%%=*}"', 'bonding_write "/sys/class/net/$B/bonding/${opt%%=*}" "${opt#*=}"'),
    # the whole path in a variable the script does not set once to a fixed path
    ('echo "+$b" > $BONDING_MASTERS', 'bonding_write "$BONDING_MASTERS" "+$b"'),
    ('echo +eth0 > "$BOND_PATH/slaves"', 'bonding_write "$BOND_PATH/slaves" +eth0'),
    ('echo 100 > "$(bond_dir)/bonding/miimon"', 'bonding_write "$(bond_dir)/bonding/miimon" 100'),
    # appending is writing, in sysfs
    ('echo 100 >> /sys/class/net/bond0/bonding/$KEY', 'bonding_write "/sys/class/net/bond0/bonding/$KEY" 100'),
    ('SYSFS=/sys/class/net\nfor key in mode miimon; do\n    echo "${OPTS[$key]}" > "$SYSFS/$BOND/bonding/$key"\ndone',
     'SYSFS=/sys/class/net\nfor key in mode miimon; do\n    bonding_write "$SYSFS/$BOND/bonding/$key" "${OPTS[$key]}"\ndone'),
]


@pytest.mark.parametrize("legacy,modern", RUNTIME_FILE)
def test_a_bonding_write_whose_file_is_known_at_run_time_calls_a_function_defined_once(legacy, modern):
    text = translated(f"{legacy}\n{legacy.splitlines()[-1]}" if "\n" not in legacy else legacy)
    assert text.startswith(definitions(["bonding_write"]))
    assert text.endswith("\n" + modern + ("" if "\n" in legacy else "\n" + modern))
    assert text.count("bonding_write() (") == 1


def test_clearing_a_bond_option_through_sysfs_is_left_with_the_reason():
    script = "echo > /sys/class/net/bond0/bonding/primary"
    assert translated(script) == script
    assert codes(script) == ["NS402"]


TEAMD_AB = """teamd -d -t team0 -c '{"runner": {"name": "activebackup", "hwaddr_policy": "by_active"}, "ports": {"eth1": {}, "eth2": {}}}'"""


def test_teamd_stays_without_team_as_bond():
    assert translated(TEAMD_AB) == TEAMD_AB
    assert codes(TEAMD_AB) == ["NS402"]


RUNNERS = [
    ("broadcast", "broadcast"),
    ("roundrobin", "balance-rr"),
    ("activebackup", "active-backup"),
    ("loadbalance", "balance-tlb"),
    ("lacp", "802.3ad"),
]


@pytest.mark.parametrize("runner,mode", RUNNERS)
def test_team_runner_becomes_bond_mode(runner, mode):
    line = f"""teamd -d -t team0 -c '{{"runner": {{"name": "{runner}"}}}}'"""
    out = translated(line, team_as_bond=True)
    assert out.startswith(f"ip link add name team0 type bond mode {mode} ")
    assert "miimon 100" in out  # teamd's default ethtool watcher


def test_team_as_bond_maps_options_and_ports():
    line = (
        """teamd -d -c '{"device": "team1", "hwaddr": "02:AA:00:00:00:01", "runner": {"name": "lacp", "fast_rate": true, "sys_prio": 100,"""
        """ "min_ports": 2, "agg_select_policy": "count", "tx_hash": ["eth", "ipv4", "ipv6"]},"""
        """ "link_watch": {"name": "ethtool", "delay_up": 200, "delay_down": 100}, "ports": {"eth3": {"queue_id": 1}, "eth4": {}}}'"""
    )
    assert translated(line, team_as_bond=True) == (
        "{ ip link add name team1 address 02:aa:00:00:00:01 type bond mode 802.3ad xmit_hash_policy layer2+3 lacp_rate fast"
        " ad_actor_sys_prio 100 min_links 2 ad_select count miimon 100 updelay 200 downdelay 100"
        " && ip link set dev eth3 master team1 && ip link set dev eth3 type bond_slave queue_id 1"
        " && ip link set dev eth4 master team1; } || false"
    )


def test_team_as_bond_loadbalance_balancer_and_arp_ping():
    line = (
        """teamd -d -t t0 -c '{"runner": {"name": "loadbalance", "tx_balancer": {"name": "basic"}, "tx_hash": ["l3", "l4"]},"""
        """ "link_watch": {"name": "arp_ping", "interval": 100, "target_host": "192.0.2.1", "validate_active": true}}'"""
    )
    assert translated(line, team_as_bond=True) == (
        "ip link add name t0 type bond mode balance-tlb xmit_hash_policy layer3+4 tlb_dynamic_lb 1"
        " arp_interval 100 arp_ip_target 192.0.2.1 arp_validate active"
    )


def test_team_as_bond_refuses_random_and_warns_about_lossy_options():
    random = """teamd -d -t t0 -c '{"runner": {"name": "random"}}'"""
    assert translated(random, team_as_bond=True) == random
    assert codes(random, team_as_bond=True) == ["NS415"]
    lossy = """teamd -d -t t0 -c '{"runner": {"name": "activebackup"}, "ports": {"eth1": {"sticky": true}}}'"""
    assert "NS406" in codes(lossy, team_as_bond=True)


TEAMD_OTHER = [
    ("teamd -t team0 -k", "ip link delete dev team0"),
    ("teamd --team-dev=team0 --kill", "ip link delete dev team0"),
    ("teamd -t team0 -e", "[ -d /sys/class/net/team0/bonding ]"),
    ("teamdctl team0 port add eth1", "ip link set dev eth1 master team0"),
    ("teamdctl team0 port remove eth1", "ip link set dev eth1 nomaster"),
    ("teamdctl team0 port present eth1", "[ -e /sys/class/net/team0/lower_eth1 ]"),
    ("teamdctl team0 state item set runner.active_port eth2", "ip link set dev team0 type bond active_slave eth2"),
    ("""teamdctl team0 port config update eth1 '{"prio": 10}'""", "ip link set dev eth1 type bond_slave prio 10"),
    # without a tx_hash teamd hashes eth,ipv4,ipv6 (its own default): layer2+3, not the bond's layer2
    ("""teamd -d -t t0 -c '{"runner": {"name": "lacp"}}'""", "ip link add name t0 type bond mode 802.3ad xmit_hash_policy layer2+3 miimon 100"),
    ("""teamd -d -t t0 -c '{"runner": {"name": "loadbalance"}}'""",
     "ip link add name t0 type bond mode balance-tlb xmit_hash_policy layer2+3 tlb_dynamic_lb 0 miimon 100"),
]


def test_teamd_kill_of_a_team_started_with_no_quit_destroy_keeps_the_bond():
    # teamd -N leaves the team device when it quits and only releases the ports (seen in the kernel lab)
    script = """teamd -d -N -t t0 -c '{"runner": {"name": "roundrobin"}, "ports": {"p1": {}}}'\nteamd -t t0 -k"""
    assert translated(script, team_as_bond=True).splitlines()[1] == (
        '{ ip -br link show master t0 | while read -r _ns_port _; do ip link set dev "${_ns_port%@*}" nomaster || exit; done; }'
    )
    # without -N the bond goes, as the team did; -N under a condition: left, with the reason
    assert translated("teamd -d -t t0 -c '{}'\nteamd -t t0 -k", team_as_bond=True).splitlines()[1] == "ip link delete dev t0"
    assert "NS402" in codes("if true; then teamd -d -N -t t0 -c '{}'; fi\nteamd -t t0 -k", team_as_bond=True)


@pytest.mark.parametrize("legacy,modern", TEAMD_OTHER)
def test_teamd_and_teamdctl_as_bond(legacy, modern):
    assert translated(legacy, team_as_bond=True) == modern


IDEMPOTENT = [
    ("brctl addbr br0", "ip link show dev br0 >/dev/null 2>&1 || ip link add name br0 type bridge"),
    ("vconfig add eth0 5", "ip link show dev eth0.5 >/dev/null 2>&1 || ip link add link eth0 name eth0.5 type vlan id 5"),
    ('tunctl -t tap0', 'ip link show dev tap0 >/dev/null 2>&1 || ip tuntap add dev tap0 mode tap user "$(id -u)"'),
    ("echo +bond0 > /sys/class/net/bonding_masters", "ip link show dev bond0 >/dev/null 2>&1 || ip link add name bond0 type bond"),
    # a creation inside a list keeps its meaning in braces
    ("true && brctl addbr br0", "true && { ip link show dev br0 >/dev/null 2>&1 || ip link add name br0 type bridge; }"),
]


@pytest.mark.parametrize("legacy,modern", IDEMPOTENT)
def test_idempotent_creations(legacy, modern):
    assert translated(legacy, idempotent=True) == modern
    assert translated(legacy) != modern  # faithful by default: a second run fails as it did


WRAPPERS = [
    ("sudo brctl addbr br0", "sudo ip link add name br0 type bridge"),
    ("sudo -u root brctl delif br0 a", "{ sudo -u root [ -e /sys/class/net/br0/brif/a ] && sudo -u root ip link set dev a nomaster; } || false"),
    ("ip netns exec red brctl addbr br0", "ip netns exec red ip link add name br0 type bridge"),
    ("FOO=1 brctl addbr br0", "FOO=1 ip link add name br0 type bridge"),
    ("env LC_ALL=C brctl stp br0 on", "env LC_ALL=C ip link set dev br0 type bridge stp_state 1"),
    # where set -e cannot stop the script (after !, in a condition, before && / ||) no `|| false` is needed
    ("! brctl delbr br0", "! { [ -d /sys/class/net/br0/bridge ] && ip link delete dev br0; }"),
    ("brctl delbr br0 || exit 1", "{ [ -d /sys/class/net/br0/bridge ] && ip link delete dev br0; } || exit 1"),
    ("brctl addif br0 eth0 && ip link set eth0 up", "{ [ ! -e /sys/class/net/eth0/master ] && ip link set dev eth0 master br0; } && ip link set eth0 up"),
    ("if brctl delbr br0; then :; fi", "if { [ -d /sys/class/net/br0/bridge ] && ip link delete dev br0; }; then :; fi"),
    ("while ! brctl delbr br0; do :; done", "while ! { [ -d /sys/class/net/br0/bridge ] && ip link delete dev br0; }; do :; done"),
    ("a || brctl delbr br0", "a || { { [ -d /sys/class/net/br0/bridge ] && ip link delete dev br0; } || false; }"),
    ("{ brctl delbr br0; } || exit 1", "{ [ -d /sys/class/net/br0/bridge ] && ip link delete dev br0; } || exit 1"),
    ("brctl delbr br0 | logger", "{ { [ -d /sys/class/net/br0/bridge ] && ip link delete dev br0; } || false; } | logger"),
    ("brctl delbr br0 2>/dev/null", "{ { [ -d /sys/class/net/br0/bridge ] && ip link delete dev br0; } || false; } 2>/dev/null"),
    ("exec brctl addbr br0", "exec ip link add name br0 type bridge"),
    ("exec brctl addif br0 a b", "exec brctl addif br0 a b"),
]


# A prefix in a variable stays in front of each command; the script's functions that run their
# arguments run the translation when it is one command; a tool path built from a variable is the tool.
THROUGH = [
    ("$DRYRUN brctl addbr x", "$DRYRUN ip link add name x type bridge"),
    ("${SUDO} brctl delbr x", "{ ${SUDO} [ -d /sys/class/net/x/bridge ] && ${SUDO} ip link delete dev x; } || false"),
    ("$DEBUG /sbin/brctl stp x on", "$DEBUG ip link set dev x type bridge stp_state 1"),
    ('run() { echo "+ $*"; "$@"; }\nrun brctl addbr x', 'run() { echo "+ $*"; "$@"; }\nrun ip link add name x type bridge'),
    ("f() { \"$@\" || exit 1; }\nf vconfig add eth0 5", "f() { \"$@\" || exit 1; }\nf ip link add link eth0 name eth0.5 type vlan id 5"),
    ('retry() { until "$@"; do sleep 1; done; }\nretry ifconfig br0 up', 'retry() { until "$@"; do sleep 1; done; }\nretry ip link set dev br0 up'),
    ('log() { eval "$@"; }\nlog brctl setfd x 2.5', 'log() { eval "$@"; }\nlog ip link set dev x type bridge forward_delay 250'),
    # a runner that passes a failure on runs each command; one that swallows it runs only the last, after the checks
    ('run() { echo "+ $*"; "$@"; }\nrun brctl delbr x', 'run() { echo "+ $*"; "$@"; }\n{ run [ -d /sys/class/net/x/bridge ] && run ip link delete dev x; } || false'),
    ("die() { exit 1; }\nf() { \"$@\" || die; }\nf brctl delbr x", "die() { exit 1; }\nf() { \"$@\" || die; }\n{ f [ -d /sys/class/net/x/bridge ] && f ip link delete dev x; } || false"),
    ("q() { \"$@\" 2>/dev/null || true; }\nq brctl delif b p", "q() { \"$@\" 2>/dev/null || true; }\nif [ -e /sys/class/net/b/brif/p ]; then q ip link set dev p nomaster; fi"),
    ("q() { \"$@\" || :; }\nx && q brctl delbr b", "q() { \"$@\" || :; }\nx && if [ -d /sys/class/net/b/bridge ]; then q ip link delete dev b; fi"),
    ("TUNCTL=$BINDIR/tunctl\n$TUNCTL -u 0 -t tap0", "TUNCTL=$BINDIR/tunctl\nip tuntap add dev tap0 mode tap user 0"),
    ('IFCONFIG="$(which ifconfig)"\n"$IFCONFIG" v0 up', 'IFCONFIG="$(which ifconfig)"\nip link set dev v0 up'),
    ("brctl=/sbin/brctl\n$brctl addbr x", "brctl=/sbin/brctl\nip link add name x type bridge"),
]


@pytest.mark.parametrize("legacy,modern", THROUGH)
def test_prefix_variables_runner_functions_and_tool_paths(legacy, modern):
    assert translate_script(legacy + "\n", "t.sh", Options()).text == modern + "\n"


@pytest.mark.parametrize("legacy,modern", WRAPPERS)
def test_wrappers_lists_and_redirections_keep_their_meaning(legacy, modern):
    assert translated(legacy) == modern


def test_team_active_port_as_bond_says_when_the_bond_takes_it():
    # the kernel refuses active_slave while updelay holds the port back, where teamd took it at once (kernel lab)
    result = translate_script("teamdctl t0 state item set runner.active_port p1\n", "t.sh", Options(team_as_bond=True))
    assert [d.code for d in result.diagnostics] == ["NS401"]
    assert "updelay" in result.diagnostics[0].hint


# A bonding sysfs path in a variable the script sets once, to a fixed path, before the write;
# the write failed where the file did not exist (no driver, no bond), so that is tested first
FIXED_PATHS = [
    ('M=/sys/class/net/bonding_masters\necho "+$B" > "$M"', 'M=/sys/class/net/bonding_masters\n{ [ -e "$M" ] && ip link add name "$B" type bond; } || false'),
    (
        'S=/sys/class/net\nM=$S/bonding_masters\necho -bond0 > $M || exit 1',
        "S=/sys/class/net\nM=$S/bonding_masters\n{ [ -e \"$M\" ] && [ -d /sys/class/net/bond0/bonding ] && ip link delete dev bond0; } || exit 1",
    ),
    ('S=/sys/class/net\necho 100 > "$S/bond0/bonding/miimon"', 'S=/sys/class/net\n{ [ -e "$S/bond0/bonding/miimon" ] && ip link set dev bond0 type bond miimon 100; } || false'),
]
# ... and where it may hold something else: set twice, in a branch, after the write, read, or not a path
NOT_FIXED = [
    'M=/sys/class/net/bonding_masters\nM=/tmp/x\necho +b > "$M"',
    'if x; then M=/sys/class/net/bonding_masters; fi\necho +b > "$M"',
    'echo +b > "$M"\nM=/sys/class/net/bonding_masters',
    'M=/sys/class/net/bonding_masters\nread -r M\necho +b > "$M"',
    'M=/sys/class/net/bonding_masters\nf() { local M=/tmp/x; echo +b > "$M"; }',
    'M=$(pick)/bonding_masters\necho +b > "$M"',
]


@pytest.mark.parametrize("legacy,modern", FIXED_PATHS)
def test_a_bonding_path_in_a_variable_set_once_is_the_file(legacy, modern):
    assert translate_script(legacy + "\n", "t.sh", Options()).text == modern + "\n"


@pytest.mark.parametrize("legacy", NOT_FIXED)
def test_a_bonding_path_in_a_variable_that_may_hold_another_is_left_and_reported(legacy):
    result = translate_script(legacy + "\n", "t.sh", Options())
    assert result.text == legacy + "\n"
    assert result.translated == 0
