"""Shell functions a translated script defines once, for output a script parses.

``brctl show | grep -q "^br0"`` reads a format no modern command prints. The
translation calls a function that prints it (``brctl_show | grep -q "^br0"``),
defined once near the top of the translated script. Each reads what the old
tool read (bridge-utils' libbridge: sysfs; net-tools' ifconfig: the link's
flags and addresses, which ``ip -o`` prints, and /proc/net/dev, /proc/net/if_inet6)
and is checked line for line, with its exit status, against the real tool in
network namespaces (tests/legacy/test_output_helpers.py).

ifconfig_show prints the hardware line of Ethernet-like links, the loopback
and tun (``unspec``); the ``device interrupt`` line a physical NIC may add is
not printed.
"""

from __future__ import annotations

# name -> definition (POSIX sh; the body runs in a subshell, so its variables stay its own)
HELPERS = {
    "brctl_show": r"""# What `brctl show [BRIDGE...]` printed (bridge-utils 1.7), read from sysfs as brctl read it
brctl_show() (
    if [ $# -eq 0 ]; then
        for dir in /sys/class/net/*/bridge; do
            [ -d "$dir" ] || continue
            dir=${dir%/bridge}
            set -- "$@" "${dir##*/}"
        done
    fi
    status=0
    header=yes  # printed before the first bridge shown
    for br in "$@"; do
        if [ ! -d "/sys/class/net/$br/bridge" ]; then
            if [ -e "/sys/class/net/$br" ]; then
                echo "device $br is not a bridge!" >&2
            else
                echo "bridge $br does not exist!" >&2
            fi
            status=1
            continue
        fi
        [ -z "$header" ] || printf 'bridge name\tbridge id\t\tSTP enabled\tinterfaces\n'
        header=
        stp=yes
        [ "$(cat "/sys/class/net/$br/bridge/stp_state")" != 0 ] || stp=no
        printf '%s\t\t%s\t%s\t\t' "$br" "$(cat "/sys/class/net/$br/bridge/bridge_id")" "$stp"
        ports=0
        for port in "/sys/class/net/$br/brif/"*; do
            [ -e "$port" ] || continue
            [ "$ports" = 0 ] || printf '\t\t\t\t\t\t\t'
            printf '%s\n' "${port##*/}"
            ports=1
        done
        [ "$ports" = 1 ] || echo
    done
    exit "$status"
)
""",
    "brctl_showstp": r"""# What `brctl showstp BRIDGE` printed (bridge-utils 1.7), read from sysfs as brctl read it
brctl_showstp() (
    br=$1
    if [ ! -d "/sys/class/net/$br/bridge" ]; then
        if [ -e "/sys/class/net/$br" ]; then
            echo "device $br is not a bridge!" >&2
        else
            echo "bridge $br does not exist!" >&2
        fi
        exit 1
    fi
    value() { cat "$at/$1"; }
    # a timer as brctl printed it: sysfs counts centiseconds
    timer() { value "$1" | { read -r cs; printf '%4d.%02d' $((cs / 100)) $((cs % 100)); }; }
    at=/sys/class/net/$br/bridge
    printf '%s\n bridge id\t\t%s\n designated root\t%s\n' "$br" "$(value bridge_id)" "$(value root_id)"
    printf ' root port\t\t%4d\t\t\tpath cost\t\t%4d\n' "$(value root_port)" "$(value root_path_cost)"
    printf ' max age\t\t%s\t\t\tbridge max age\t\t%s\n' "$(timer max_age)" "$(timer max_age)"
    printf ' hello time\t\t%s\t\t\tbridge hello time\t%s\n' "$(timer hello_time)" "$(timer hello_time)"
    printf ' forward delay\t\t%s\t\t\tbridge forward delay\t%s\n' "$(timer forward_delay)" "$(timer forward_delay)"
    printf ' ageing time\t\t%s\n' "$(timer ageing_time)"
    printf ' hello timer\t\t%s\t\t\ttcn timer\t\t%s\n' "$(timer hello_timer)" "$(timer tcn_timer)"
    printf ' topology change timer\t%s\t\t\tgc timer\t\t%s\n' "$(timer topology_change_timer)" "$(timer gc_timer)"
    printf ' flags\t\t\t'
    [ "$(value topology_change)" = 0 ] || printf 'TOPOLOGY_CHANGE '
    [ "$(value topology_change_detected)" = 0 ] || printf 'TOPOLOGY_CHANGE_DETECTED '
    printf '\n\n\n'
    for port in "/sys/class/net/$br/brif/"*; do
        [ -e "$port" ] || continue
        at=$port
        printf '%s (%d)\n' "${port##*/}" "$(value port_no)"
        printf ' port id\t\t%04x\t\t\tstate\t\t%15s\n' "$(value port_id)" \
            "$(value state | sed 's/^0$/disabled/; s/^1$/listening/; s/^2$/learning/; s/^3$/forwarding/; s/^4$/blocking/')"
        printf ' designated root\t%s\tpath cost\t\t%4d\n' "$(value designated_root)" "$(value path_cost)"
        printf ' designated bridge\t%s\tmessage age timer\t%s\n' "$(value designated_bridge)" "$(timer message_age_timer)"
        printf ' designated port\t%04x\t\t\tforward delay timer\t%s\n' "$(value designated_port)" "$(timer forward_delay_timer)"
        printf ' designated cost\t%4d\t\t\thold timer\t\t%s\n' "$(value designated_cost)" "$(timer hold_timer)"
        printf ' flags\t\t\t'
        [ "$(value config_pending)" = 0 ] || printf 'CONFIG_PENDING '
        [ "$(value change_ack)" = 0 ] || printf 'TOPOLOGY_CHANGE_ACK '
        [ "$(value hairpin_mode)" = 0 ] || printf '\n hairpin mode\t\t%4d' "$(value hairpin_mode)"
        printf '\n\n'
    done
)
""",
    "ifconfig_show": r"""# What `ifconfig [-a | IFACE]` printed (net-tools 2.10): flags and addresses from ip, counters from /proc/net/dev
ifconfig_show() (
    all=
    [ "${1-}" != -a ] || { all=yes; shift; }
    {
        cat /proc/net/dev
        echo @link
        ip -o link show
        echo @inet
        ip -o -4 address show
        echo @inet6
        cat /proc/net/if_inet6 2>/dev/null
    } | awk -v all="$all" -v want="${1-}" '
    function hex(s,    n, i) {
        n = 0
        for (i = 1; i <= length(s); i++) n = n * 16 + index("0123456789abcdef", tolower(substr(s, i, 1))) - 1
        return n
    }
    function netmask(len,    out, i, octet) {
        for (i = 0; i < 4; i++) {
            octet = len >= 8 ? 255 : (len <= 0 ? 0 : 256 - 2 ^ (8 - len))
            out = out (i ? "." : "") octet
            len -= 8
        }
        return out
    }
    function inet6(h,    group, n, i, best, bestlen, run, start, out) {  # inet_ntop: the longest run of zero groups as ::
        for (i = 0; i < 8; i++) group[i] = sprintf("%x", hex(substr(h, 4 * i + 1, 4)))
        best = -1; bestlen = 1; run = 0
        for (i = 0; i < 8; i++) {
            if (group[i] == "0") { if (!run++) start = i; if (run > bestlen) { best = start; bestlen = run } } else run = 0
        }
        out = ""
        for (i = 0; i < 8; i++) {
            if (i == best) { out = out "::"; i += bestlen - 1; continue }
            out = out ((out == "" || out ~ /:$/) ? "" : ":") group[i]
        }
        return out
    }
    function scaled(n,    unit, ext) {
        ext = "B"; unit = 1
        if (n > 1125899906842624) { unit = 1125899906842624; ext = "PiB" }
        else if (n > 1099511627776) { unit = 1099511627776; ext = "TiB" }
        else if (n > 1073741824) { unit = 1073741824; ext = "GiB" }
        else if (n > 1048576) { unit = 1048576; ext = "MiB" }
        else if (n > 1024) { unit = 1024; ext = "KiB" }
        n = int(n * 10 / unit)
        return sprintf("%d.%d %s", int(n / 10), n % 10, ext)
    }
    function before(a, b,    an, bn, aa, ba, ai, bi, i) {  # net-tools nstrcmp: a trailing number and an :alias compare as numbers
        aa = ba = ""
        if (i = index(a, ":")) { aa = substr(a, i + 1); a = substr(a, 1, i - 1) }
        if (i = index(b, ":")) { ba = substr(b, i + 1); b = substr(b, 1, i - 1) }
        match(a, /[0-9]*$/); ai = RSTART; an = substr(a, ai) + 0
        match(b, /[0-9]*$/); bi = RSTART; bn = substr(b, bi) + 0
        if (substr(a, 1, ai - 1) != substr(b, 1, bi - 1)) return substr(a, 1, ai - 1) < substr(b, 1, bi - 1)
        if (an != bn) return an < bn
        if (a != b) return a < b
        if (aa == "" || ba == "") return aa == "" && ba != ""
        if (aa + 0 != ba + 0) return aa + 0 < ba + 0
        return aa < ba
    }
    function add(name,    i) {
        if (name in shown) return
        shown[name] = 1
        for (i = count++; i > 0 && before(name, order[i - 1]); i--) order[i] = order[i - 1]
        order[i] = name
    }
    BEGIN {
        SCOPES[0] = "global"; SCOPES[16] = "host"; SCOPES[32] = "link"; SCOPES[64] = "site"; SCOPES[128] = "compat"
        part = "dev"; n = split("UP BROADCAST DEBUG LOOPBACK POINTOPOINT NOTRAILERS RUNNING NOARP PROMISC ALLMULTI MASTER SLAVE MULTICAST PORTSEL AUTOMEDIA DYNAMIC", NAMES, " ")
    }
    /^@/ { part = substr($0, 2); next }
    part == "link" {
        name = named[$1 + 0]  # by index: ip writes the parent of a link after its name (veth0@veth1)
        flags = $3; gsub(/[<>]/, "", flags)
        value[name] = 0; names = ""
        up = 0
        for (i = 1; i <= n; i++) {
            if (NAMES[i] == "RUNNING") on = up && ($0 ~ / state (UP|UNKNOWN) /)
            else on = index("," flags ",", "," NAMES[i] ",") > 0
            if (NAMES[i] == "UP") up = on
            if (on) { value[name] += 2 ^ (i - 1); names = names (names == "" ? "" : ",") NAMES[i] }
        }
        flagnames[name] = names
        for (i = 4; i <= NF; i++) {
            if ($i == "mtu") mtu[name] = $(i + 1)
            if ($i == "qlen") { qlen[name] = $(i + 1); sub(/\\$/, "", qlen[name]) }
            if ($i ~ /^link\//) { type[name] = substr($i, 6); mac[name] = $(i + 1) }
        }
        next
    }
    part == "inet" {
        for (i = 4; i <= NF; i++) if ($i ~ /\\$/) { label = $i; sub(/\\$/, "", label); break }
        add(label)
        if (label in address) next
        local = $4; peer = ""; bcast = "0.0.0.0"
        for (i = 5; i <= NF; i++) {
            if ($i == "peer") peer = $(i + 1)
            if ($i == "brd") bcast = $(i + 1)
        }
        split(peer != "" ? peer : local, prefix, "/")
        sub(/\/.*/, "", local)
        address[label] = local; mask[label] = netmask(prefix[2] == "" ? 32 : prefix[2]); broadcast[label] = bcast
        destination[label] = peer != "" ? prefix[1] : local
        next
    }
    part == "inet6" { six[$6] = six[$6] sprintf("        inet6 %s  prefixlen %d  scopeid 0x%x<%s>\n", inet6($1), hex($3), hex($4), SCOPES[hex($4)]); next }
    part == "dev" && index($0, ":") {
        name = substr($0, 1, index($0, ":") - 1); sub(/^ */, "", name)
        split(substr($0, index($0, ":") + 1), s, " ")
        add(name)
        getline index_ < ("/sys/class/net/" name "/ifindex")
        named[index_ + 0] = name
        stats[name] = sprintf("        RX packets %s  bytes %s (%s)\n        RX errors %s  dropped %s  overruns %s  frame %s\n        TX packets %s  bytes %s (%s)\n        TX errors %s  dropped %s overruns %s  carrier %s  collisions %s\n", s[2], s[1], scaled(s[1]), s[3], s[4], s[5], s[6], s[10], s[9], scaled(s[9]), s[11], s[12], s[13], s[16], s[14])
    }
    function show(name,    base) {
        base = name; sub(/:.*/, "", base)
        printf "%s: flags=%d<%s>  mtu %s\n", name, value[base], flagnames[base], mtu[base]
        if (name in address) {
            printf "        inet %s  netmask %s", address[name], mask[name]
            if (index("," flagnames[base] ",", ",BROADCAST,")) printf "  broadcast %s", broadcast[name]
            if (index("," flagnames[base] ",", ",POINTOPOINT,")) printf "  destination %s", destination[name]
            printf "\n"
        }
        if (name == base) printf "%s", six[name]
        if (type[base] == "ether") printf "        ether %s  txqueuelen %s  (Ethernet)\n", mac[base], qlen[base]
        else if (type[base] == "loopback") printf "        loop  txqueuelen %s  (Local Loopback)\n", qlen[base]
        else printf "        unspec 00-00-00-00-00-00-00-00-00-00-00-00-00-00-00-00  txqueuelen %s  (UNSPEC)\n", qlen[base]
        printf "%s\n", stats[name]
    }
    END {
        if (want != "") {
            base = want; sub(/:.*/, "", base)
            if (!(base in value)) { printf "%s: error fetching interface information: Device not found\n", want > "/dev/stderr"; exit 1 }
            show(want)
            exit 0
        }
        for (i = 0; i < count; i++) {
            base = order[i]; sub(/:.*/, "", base)
            if (all != "" || index("," flagnames[base] ",", ",UP,")) show(order[i])
        }
    }'
)
""",
    "netmask_prefix": r"""# The prefix length of a netmask (255.255.255.0 -> 24); fails on anything that is not one
netmask_prefix() (
    IFS=.
    set -f
    # shellcheck disable=SC2086 # the four numbers
    set -- $1
    [ $# -eq 4 ] || exit 1
    mask=0
    for part in "$@"; do
        case $part in '' | *[!0-9]*) exit 1 ;; esac
        [ "$part" -le 255 ] || exit 1
        mask=$((mask * 256 + part))
    done
    length=0
    while [ $((mask & 0x80000000)) -ne 0 ]; do
        length=$((length + 1))
        mask=$(((mask << 1) & 0xFFFFFFFF))
    done
    [ "$mask" -eq 0 ] || exit 1
    echo "$length"
)
""",
}


def definition(name: str) -> str:
    """One helper's definition (bonding_write's is built from the bonding driver's table, which lives in sysfs_bonding)."""
    if name == "bonding_write":
        from .sysfs_bonding import write_function

        return write_function()
    return HELPERS[name]


def definitions(names) -> str:
    """The definitions of the helpers named, in a fixed order, as one block of script text."""
    return "".join("\n" + definition(n) for n in sorted(set(names)))  # each after a blank line


def insertion_point(source: bytes) -> int:
    """Where the definitions go: after the first line's `#!` and the comment lines right after it."""
    pos = 0
    for line in source.splitlines(keepends=True):
        if not line.startswith(b"#"):
            break
        pos += len(line)
    return pos
