#!/bin/sh
# The ifconfig settings a script changes on a link besides addresses.
# netns-setup: ip link add v0 type veth peer name v0p; ip link add v1 type veth peer name v1p

ifconfig v0 mtu 1400
ifconfig v0 hw ether 02:00:00:00:10:01
ifconfig v0 txqueuelen 500
ifconfig v0 promisc
ifconfig v0 -arp
ifconfig v0 allmulti up
ifconfig v1 inet6 add 2001:db8:1::1/64
ifconfig v1 10.10.0.1 netmask 255.255.255.0 broadcast 10.10.0.255
ifconfig v1 -promisc arp
