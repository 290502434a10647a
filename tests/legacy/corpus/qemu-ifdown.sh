#!/bin/sh
# qemu-ifdown: the tap off the bridge and down.
# netns-setup: ip link add br0 type bridge; ip tuntap add dev tap0 mode tap; ip link set tap0 master br0; ip link set tap0 up
# netns-args: tap0

switch=br0
brctl delif "$switch" "$1"
ifconfig "$1" down
