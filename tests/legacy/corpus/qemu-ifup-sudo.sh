#!/bin/sh
# qemu-ifup run by an unprivileged qemu: every command through sudo.
# netns-setup: ip link add br0 type bridge; ip tuntap add dev tap0 mode tap
# netns-args: tap0

BRIDGE=br0
echo "Executing /etc/qemu-ifup"
echo "Bringing up $1 for bridged mode..."
sudo /sbin/ifconfig "$1" 0.0.0.0 promisc up
echo "Adding $1 to $BRIDGE..."
sudo /usr/sbin/brctl addif $BRIDGE "$1"
sleep 0
