#!/bin/sh
# Tool paths in variables: set plainly, with a default, found by which, lower-case.
# netns-setup: ip link add v0 type veth peer name v0p

BRCTL=${BRCTL:-/usr/sbin/brctl}
IFCONFIG="$(which ifconfig)"
brctl=/sbin/brctl

$BRCTL addbr br0
$brctl addif br0 v0
"$IFCONFIG" v0 up
${IFCONFIG} br0 up
