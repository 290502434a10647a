#!/bin/sh
# A lab's cleanup: every bridge that brctl lists, its ports removed, then the bridge.
# netns-setup: ip link add labbr0 type bridge; ip link add v0 type veth peer name v0p; ip link set v0 master labbr0

for br in $(brctl show | awk 'NR > 1 && /^[a-z]/ {print $1}'); do
    for port in $(ls /sys/class/net/"$br"/brif); do
        brctl delif "$br" "$port"
    done
    ifconfig "$br" down
    brctl delbr "$br"
done
