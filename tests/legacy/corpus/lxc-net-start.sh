#!/bin/sh
# lxc-net style: the container bridge with its address, NAT left to iptables.
# netns-setup: true
# netns-env: LXC_BRIDGE=lxcbr0 LXC_ADDR=10.0.3.1 LXC_NETMASK=255.255.255.0 LXC_NETWORK=10.0.3.0/24

set -e

start() {
    [ ! -d "/sys/class/net/${LXC_BRIDGE}" ] && brctl addbr "${LXC_BRIDGE}"
    brctl setfd "${LXC_BRIDGE}" 0
    ifconfig "${LXC_BRIDGE}" "${LXC_ADDR}" netmask "${LXC_NETMASK}" up
    iptables -t nat -A POSTROUTING -s "${LXC_NETWORK}" ! -d "${LXC_NETWORK}" -j MASQUERADE
}

stop() {
    ifconfig "${LXC_BRIDGE}" down
    brctl delbr "${LXC_BRIDGE}"
}

case "$1" in
    stop) stop ;;
    *) start ;;
esac
