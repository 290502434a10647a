#!/bin/sh
# The same router's shutdown: routes first, then the addresses, then static neighbours.
# netns-setup: ip link add lan0 type veth peer name lan0p; ip address add 192.168.1.1/24 dev lan0; ip link set lan0 up; ip route add 10.0.0.0/8 via 192.168.1.254; ip route add 192.0.2.77 via 192.168.1.9 metric 5; ip neigh add 192.168.1.200 lladdr 02:00:00:00:00:c8 dev lan0 nud permanent

route del -net 10.0.0.0 netmask 255.0.0.0 gw 192.168.1.254
route del -host 192.0.2.77 gw 192.168.1.9 metric 5 || echo "no host route" >&2
arp -d 192.168.1.200
arp -d 192.168.1.201 2>/dev/null || true
ifconfig lan0 0.0.0.0
ifconfig lan0 down
