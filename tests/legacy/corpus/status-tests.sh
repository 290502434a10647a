#!/bin/sh
# No set -e: each failure tested its own way (||, if !, $?).
# netns-setup: ip link add v0 type veth peer name v0p; ip link add br1 type bridge; ip link add v1 type veth peer name v1p; ip link set v1 master br1

brctl addbr br0 || exit 3
if ! brctl addif br0 v0; then
    echo "could not add v0" >&2
fi
brctl addif br0 v1 >/dev/null 2>&1
if [ $? -ne 0 ]; then
    echo "v1 is busy" >&2
fi
brctl delif br0 v1
status=$?
brctl delbr v0 || echo "v0 is not a bridge"
exit $status
