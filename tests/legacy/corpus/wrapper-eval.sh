#!/bin/bash
# A logging wrapper built on eval (so its argument is one string), and one on "$@" with retries.
# netns-setup: ip link add v0 type veth peer name v0p

log_cmd() {
    echo "running: $*" >&2
    eval "$@"
}

retry() {
    local n=0
    until "$@"; do
        n=$((n + 1))
        [ $n -ge 2 ] && return 1
    done
}

log_cmd brctl addbr br0
log_cmd "brctl addif br0 v0"
retry ifconfig br0 up
retry brctl setfd br0 2
