#!/bin/sh
# ucarp --downscript.
# netns-setup: ip link add eth0 type veth peer name eth0p; ip link set eth0 up; ip address add 10.99.0.1/24 dev eth0 label eth0:254
# netns-args: eth0 10.99.0.1

/sbin/ifconfig "$1":254 down
