#!/bin/bash
# OpenVPN's sample bridge-start: taps made by openvpn, bridged with the NIC, the address moved.
# netns-setup: ip link add eth0 type veth peer name eth0p
# netns-stub: openvpn

br="br0"
tap="tap0 tap1"
eth="eth0"
eth_ip="192.168.8.4"
eth_netmask="255.255.255.0"
eth_broadcast="192.168.8.255"

for t in $tap; do
    openvpn --mktun --dev $t
done

brctl addbr $br
brctl addif $br $eth

for t in $tap; do
    brctl addif $br $t
done

for t in $tap; do
    ifconfig $t 0.0.0.0 promisc up
done

ifconfig $eth 0.0.0.0 promisc up
ifconfig $br $eth_ip netmask $eth_netmask broadcast $eth_broadcast
