#!/bin/sh
# Long commands on continued lines, and two commands on one line.
# netns-setup: ip link add v0 type veth peer name v0p

brctl addbr \
    br0
ifconfig br0 \
    10.12.0.1 \
    netmask 255.255.255.0 \
    up
brctl addif br0 v0; ifconfig v0 up
