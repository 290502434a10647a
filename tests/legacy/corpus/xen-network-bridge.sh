#!/bin/bash
# Xen network-bridge: move a NIC's role onto a bridge; start, stop and status.
# netns-setup: ip link add eth0 type veth peer name eth0p; ip address add 10.1.1.5/24 dev eth0; ip link set eth0 up
# netns-args: start

netdev=${netdev:-eth0}
bridge=${bridge:-xenbr0}

bridge_exists() {
    brctl show | grep -q "^$1"
}

create_bridge() {
    local bridge=$1
    if ! bridge_exists "$bridge"; then
        brctl addbr "$bridge"
        brctl stp "$bridge" off
        brctl setfd "$bridge" 0
        sysctl -w "net.bridge.bridge-nf-call-arptables=0" >/dev/null 2>&1
    fi
    ip link set "$bridge" arp off
    ip link set "$bridge" multicast off
    ip link set "$bridge" up
}

add_to_bridge() {
    local bridge=$1
    local dev=$2
    if [ -e "/sys/class/net/${bridge}/brif/${dev}" ]; then
        ip link set "${dev}" up || true
        return
    fi
    brctl addif "${bridge}" "${dev}"
    ip link set "${dev}" up
}

op_start() {
    create_bridge "${bridge}"
    ifconfig "${netdev}" 0.0.0.0 down
    add_to_bridge "${bridge}" "${netdev}"
}

op_stop() {
    ip link set "${bridge}" down
    brctl delif "${bridge}" "${netdev}"
    brctl delbr "${bridge}"
}

case "$1" in
    start) op_start ;;
    stop) op_stop ;;
    status)
        ip addr show "${netdev}"
        brctl show "${bridge}"
        ;;
    *)
        echo "Unknown command: $1" >&2
        echo 'Valid commands are: start, stop, status' >&2
        exit 1
        ;;
esac
