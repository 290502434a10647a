#!/bin/sh
# A small router's boot script: LAN address, a static network behind a second router, forwarding.
# netns-setup: ip link add lan0 type veth peer name lan0p; ip link add dmz0 type veth peer name dmz0p

set -e

ifconfig lan0 192.168.1.1 netmask 255.255.255.0 up
ifconfig dmz0 172.30.0.1 netmask 255.255.255.0 broadcast 172.30.0.255 up
route add -net 10.0.0.0 netmask 255.0.0.0 gw 192.168.1.254
route add -net 172.31.0.0/16 dev dmz0
route add -host 192.0.2.77 gw 172.30.0.9 metric 5
echo 1 > /proc/sys/net/ipv4/ip_forward
