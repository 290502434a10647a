#!/bin/sh
# A wrapper that prints and runs its arguments; every command goes through it.
# netns-setup: ip link add v0 type veth peer name v0p

run() {
    echo "+ $*"
    "$@"
}

run brctl addbr br0
run brctl addif br0 v0
run ifconfig v0 up
run ifconfig br0 up
