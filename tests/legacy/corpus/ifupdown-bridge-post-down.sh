#!/bin/sh
# ifupdown hook: take the bridge down and apart again.
# netns-setup: ip link add eth0 type veth peer name eth0p; ip link add eth1 type veth peer name eth1p; ip link add br0 type bridge; ip link set eth0 master br0; ip link set eth1 master br0; ip link set br0 up; ip link set eth0 up
# netns-env: IFACE=br0 IF_BRIDGE_PORTS="eth0 eth1"

ifconfig "$IFACE" down || true
for port in $IF_BRIDGE_PORTS; do
    brctl delif "$IFACE" "$port"
    ifconfig "$port" down
done
brctl delbr "$IFACE"
