#!/bin/bash
# OpenVPN's sample bridge-stop.
# netns-setup: ip link add eth0 type veth peer name eth0p; ip tuntap add dev tap0 mode tap; ip link add br0 type bridge; ip link set eth0 master br0; ip link set tap0 master br0; ip link set br0 up
# netns-stub: openvpn

br="br0"
tap="tap0"

ifconfig $br down
brctl delbr $br

for t in $tap; do
    openvpn --rmtun --dev $t
done
