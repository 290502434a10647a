#!/bin/sh
# Heartbeat IPaddr-style resource agent: the address on a numbered alias, found again by parsing ifconfig.
# netns-setup: ip link add eth0 type veth peer name eth0p; ip address add 10.20.0.2/16 dev eth0; ip link set eth0 up
# netns-args: start

IFCONFIG=/sbin/ifconfig
ROUTE=/sbin/route
IP=10.20.0.99
NETMASK=255.255.0.0
BROADCAST=10.20.255.255
NIC=eth0

find_alias() {
    $IFCONFIG | grep -B1 "inet addr:$IP " | head -n 1 | cut -d' ' -f1
}

add_interface() {
    ifname="$NIC:0"
    $IFCONFIG "$ifname" $IP netmask $NETMASK broadcast $BROADCAST
    rc=$?
    if [ $rc -ne 0 ]; then
        echo "ERROR: $IFCONFIG $ifname failed" >&2
        return $rc
    fi
    $ROUTE add -host $IP dev "$ifname"
}

delete_interface() {
    ifname=$(find_alias)
    [ -n "$ifname" ] && $IFCONFIG "$ifname" down
}

case "$1" in
    start) add_interface ;;
    stop) delete_interface ;;
    status) find_alias ;;
esac
