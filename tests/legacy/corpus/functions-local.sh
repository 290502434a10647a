#!/bin/bash
# Bash functions with local variables, the function keyword and arrays of ports.
# netns-setup: ip link add a0 type veth peer name a0p; ip link add a1 type veth peer name a1p

function make_bridge {
    local name=$1
    shift
    local -a ports=("$@")
    brctl addbr "$name" || return
    for p in "${ports[@]}"; do
        brctl addif "$name" "$p"
        ifconfig "$p" up
    done
    ifconfig "$name" up
}

make_bridge brA a0 a1
