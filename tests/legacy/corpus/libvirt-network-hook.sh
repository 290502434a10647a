#!/bin/sh
# libvirt network hook run by hand too: a ${SUDO} prefix that is empty under root.
# netns-setup: ip link add br-ext type bridge; ip link add uplink type veth peer name uplinkp
# netns-env: SUDO=

NET=$1
${SUDO} brctl addif br-ext uplink
${SUDO} ifconfig uplink up
${SUDO} brctl setageing br-ext 0
[ -n "$NET" ] && echo "network $NET hooked"
exit 0
