#!/bin/bash
# A lab helper: N switches, each a bridge with veth ports, built in loops from arrays.
# netns-setup: true

SWITCHES=(sw1 sw2)
PORTS_PER_SWITCH=2

for sw in "${SWITCHES[@]}"; do
    brctl addbr "$sw"
    brctl stp "$sw" on
    brctl setbridgeprio "$sw" 4096
    for n in $(seq 1 "$PORTS_PER_SWITCH"); do
        ip link add "$sw-p$n" type veth peer name "$sw-h$n"
        brctl addif "$sw" "$sw-p$n"
        brctl setportprio "$sw" "$sw-p$n" 16
        ifconfig "$sw-p$n" up
    done
    ifconfig "$sw" up
done
