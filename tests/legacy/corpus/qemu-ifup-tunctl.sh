#!/bin/sh
# A lab's qemu start helper: the tap made by a tunctl found under BINDIR, owned by the caller.
# netns-setup: ip link add br0 type bridge
# netns-env: BINDIR=/usr/bin TAPUSER=0
# netns-args: tap3

TUNCTL=$BINDIR/tunctl
BRCTL=/usr/sbin/brctl
TAP=$1

$TUNCTL -u "$TAPUSER" -t "$TAP" >/dev/null
ifconfig "$TAP" 0.0.0.0 up
$BRCTL addif br0 "$TAP"
