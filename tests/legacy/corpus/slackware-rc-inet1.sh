#!/bin/bash
# Slackware rc.inet1 style: a bridge from numbered arrays of settings, with a debug logger.
# netns-setup: ip link add eth0 type veth peer name eth0p
# netns-env: DEBUG_ETH_UP=yes

BRNICS[0]="eth0"
IFNAME[0]="br0"
IPADDR[0]="192.168.10.1"
NETMASK[0]="255.255.255.0"

debug_log() {
    if [ "$DEBUG_ETH_UP" = "yes" ]; then
        echo "/etc/rc.d/rc.inet1:  $*"
    fi
}

br_up() {
    i=0
    debug_log "/sbin/brctl addbr ${IFNAME[$i]}"
    /sbin/brctl addbr "${IFNAME[$i]}"
    for BRNIC in ${BRNICS[$i]}; do
        debug_log "/sbin/brctl addif ${IFNAME[$i]} $BRNIC"
        /sbin/ifconfig "$BRNIC" down
        /sbin/ifconfig "$BRNIC" 0.0.0.0 promisc up
        /sbin/brctl addif "${IFNAME[$i]}" "$BRNIC"
    done
    /sbin/ifconfig "${IFNAME[$i]}" "${IPADDR[$i]}" netmask "${NETMASK[$i]}" up
}

br_up
