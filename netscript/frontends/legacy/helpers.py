"""Shell functions a translated script defines once, for output a script parses.

``brctl show | grep -q "^br0"`` reads a format no modern command prints. The
translation calls a function that prints it (``brctl_show | grep -q "^br0"``),
defined once near the top of the translated script. Each is read from sysfs,
as bridge-utils' libbridge read it, and checked line for line against the
real tool in network namespaces (tests/legacy/test_output_helpers.py).
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


def definitions(names) -> str:
    """The definitions of the helpers named, in a fixed order, as one block of script text."""
    return "".join("\n" + HELPERS[n] for n in sorted(set(names)))  # each after a blank line


def insertion_point(source: bytes) -> int:
    """Where the definitions go: after the first line's `#!` and the comment lines right after it."""
    pos = 0
    for line in source.splitlines(keepends=True):
        if not line.startswith(b"#"):
            break
        pos += len(line)
    return pos
