#!/bin/sh
# SUSE style ifup-tunnel: a persistent tap owned by a user, brought up with an address.
# netns-setup: true
# netns-env: INTERFACE=tap7 TUNNEL_SET_OWNER=0 IPADDR=10.7.0.1/24

if [ -z "$TUNNEL_SET_OWNER" ]; then
    tunctl -t "$INTERFACE" >/dev/null || exit 1
else
    tunctl -u "$TUNNEL_SET_OWNER" -t "$INTERFACE" >/dev/null || exit 1
fi
ifconfig "$INTERFACE" "$IPADDR" up
