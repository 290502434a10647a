#!/bin/sh
# An old container host's bridge script: brctl for the bridge, ip for the rest, set -eu.
# netns-setup: true

set -eu
BRIDGE=docker0
CIDR=172.17.42.1/16

if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    brctl addbr "$BRIDGE"
    ip addr add "$CIDR" dev "$BRIDGE"
fi
brctl setfd "$BRIDGE" 0 || true
ip link set dev "$BRIDGE" up
