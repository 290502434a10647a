#!/bin/sh
# A lab helper: macvlan endpoints on a parent, addressed with ifconfig's CIDR form.
# netns-setup: ip link add parent0 type veth peer name parent0p; ip link set parent0 up

for i in 1 2; do
    ip link add mv$i link parent0 type macvlan mode bridge
    ifconfig mv$i 10.0.$i.5/24 up
    ifconfig mv$i mtu 1400
done
