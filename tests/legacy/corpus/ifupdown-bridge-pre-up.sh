#!/bin/sh
# ifupdown hook: make the bridge named by IFACE out of bridge_ports, set its timers.
# netns-setup: ip link add eth0 type veth peer name eth0p; ip link add eth1 type veth peer name eth1p
# netns-env: IFACE=br0 IF_BRIDGE_PORTS="eth0 eth1" IF_BRIDGE_FD=0 IF_BRIDGE_STP=off MODE=start

[ -n "$IF_BRIDGE_PORTS" ] || exit 0

add_port() {
    port=$1
    ifconfig "$port" 0.0.0.0 up
    brctl addif "$IFACE" "$port"
}

case "$MODE" in
    start)
        brctl addbr "$IFACE" || exit 1
        for port in $IF_BRIDGE_PORTS; do
            add_port "$port"
        done
        [ -n "$IF_BRIDGE_FD" ] && brctl setfd "$IFACE" "$IF_BRIDGE_FD"
        if [ "$IF_BRIDGE_STP" = "on" ]; then
            brctl stp "$IFACE" on
        else
            brctl stp "$IFACE" off
        fi
        ifconfig "$IFACE" up
        ;;
    stop)
        exit 0
        ;;
esac
exit 0
