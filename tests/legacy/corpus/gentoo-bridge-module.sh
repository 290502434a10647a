#!/bin/sh
# Gentoo netifrc style: the tool found once into a lower-case variable, functions per step.
# netns-setup: ip link add eth0 type veth peer name eth0p; ip link add eth1 type veth peer name eth1p
# netns-env: IFVAR=br0 bridge_ports="eth0 eth1" brctl_opts="setfd 0|sethello 1"

brctl=$(command -v brctl)

_bridge_exists() {
    [ -d /sys/class/net/"$1"/bridge ]
}

bridge_pre_start() {
    if ! _bridge_exists "$IFVAR"; then
        $brctl addbr "$IFVAR" || return 1
    fi
    IFS='|'
    for opt in $brctl_opts; do
        IFS=' '
        # shellcheck disable=SC2086
        $brctl $opt "$IFVAR"
    done
    unset IFS
    for port in $bridge_ports; do
        $brctl addif "$IFVAR" "$port" || return 1
        ifconfig "$port" promisc up
    done
}

bridge_pre_start || exit 1
