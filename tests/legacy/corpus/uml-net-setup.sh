#!/bin/sh
# User-mode Linux lab: one tap per machine, owned by the uml user, with a /24 each.
# netns-setup: true
# netns-env: UMLUSER=0 COUNT=3

i=1
while [ "$i" -le "$COUNT" ]; do
    tunctl -u "$UMLUSER" -t "tap$i" >/dev/null
    ifconfig "tap$i" "192.168.$i.254" netmask 255.255.255.0 up
    i=$((i + 1))
done
