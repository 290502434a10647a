#!/bin/bash
# Xen vif-bridge: a guest interface onto its bridge, every step through a do-or-die wrapper.
# netns-setup: ip link add xenbr0 type bridge; ip link add vif1.0 type veth peer name vif1.0p
# netns-env: vif=vif1.0 bridge=xenbr0
# netns-args: online

fatal() {
    echo "$*" >&2
    exit 1
}

do_or_die() {
    "$@" || fatal "$* failed"
}

do_without_error() {
    "$@" 2>/dev/null || true
}

command=$1
dev=$vif
case "$command" in
    online)
        do_or_die brctl addif "$bridge" "$dev"
        do_or_die ifconfig "$dev" up
        ;;
    offline)
        do_without_error brctl delif "$bridge" "$dev"
        do_without_error ifconfig "$dev" down
        ;;
esac
