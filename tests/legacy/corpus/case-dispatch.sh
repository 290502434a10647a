#!/bin/sh
# A tiny CLI: the first argument picks the brctl command, the rest are its operands.
# netns-setup: ip link add br0 type bridge; ip link add v0 type veth peer name v0p
# netns-args: attach br0 v0

usage() {
    echo "usage: $0 attach|detach BRIDGE PORT" >&2
    exit 2
}

[ $# -eq 3 ] || usage
case "$1" in
    attach) brctl addif "$2" "$3" && ifconfig "$3" up ;;
    detach) brctl delif "$2" "$3" ;;
    *) usage ;;
esac
