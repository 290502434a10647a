#!/bin/sh
# Words known only at run time: two words in one variable, constants set earlier.
# netns-setup: ip link add v0 type veth peer name v0p; ip link add br0 type bridge; ip link set v0 master br0

IFACE=br0
PAIRS="v0 100"
NETMASK=255.255.255.0
ADDR=10.9.0.1
# shellcheck disable=SC2086
brctl setpathcost $IFACE $PAIRS
ifconfig $IFACE $ADDR netmask $NETMASK up
DELAY=3
brctl setfd "$IFACE" "$DELAY"
