#!/bin/sh
# ucarp --upscript: the virtual address on a fixed alias of the interface ucarp gives.
# netns-setup: ip link add eth0 type veth peer name eth0p; ip link set eth0 up
# netns-args: eth0 10.99.0.1

exec /sbin/ifconfig "$1":254 "$2" netmask 255.255.255.0
