#!/bin/sh
# Checks that the old tools exist, each a different way.
# netns-setup: ip link add v0 type veth peer name v0p

[ -x /sbin/brctl ] || exit 0
which ifconfig >/dev/null 2>&1 || { echo "ifconfig missing" >&2; exit 1; }
if ! command -v brctl >/dev/null; then
    echo "install bridge-utils" >&2
    exit 1
fi

brctl addbr br0
brctl addif br0 v0
ifconfig br0 up
