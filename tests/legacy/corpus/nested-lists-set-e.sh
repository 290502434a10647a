#!/bin/sh
# Under set -e, legacy commands in conditions and && / || lists: what set -e ignored stays ignored, what it saw still stops the script.
# netns-setup: ip link add br0 type bridge; ip link add br1 type bridge; ip link add v0 type veth peer name v0p; ip link add v1 type veth peer name v1p; ip link set v1 master br1
set -e
if brctl addif br0 v0 && brctl stp br0 on; then
    echo "v0 on br0"
fi
brctl addif br0 v1 || echo "v1 is a port of another bridge" >&2
! brctl delbr nosuch
brctl delbr v0p && echo "not reached" || ip link set dev v0p mtu 1400
while ! brctl delif br1 v1; do
    ip link set dev v1 nomaster
done
{ brctl addif br1 v1 && brctl setportprio br1 v1 3; } || exit 7
ifconfig v0p 10.9.0.1 netmask 255.255.255.0 && ifconfig v1p 10.9.1.1 up
if ! ifconfig v1p:1 10.9.2.1 up; then
    exit 3
fi
brctl delif br1 nosuch
ip link set dev br0 up
