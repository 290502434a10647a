#!/bin/sh
# A switch-lab helper: VLANs in a loop, each brought up with an address.

TRUNK=${TRUNK:-eth1}
vconfig set_name_type DEV_PLUS_VID_NO_PAD
for vid in 10 20 30; do
    vconfig add "$TRUNK" "$vid" || continue
    ifconfig "$TRUNK.$vid" "10.$vid.0.1" netmask 255.255.255.0 up
done
vconfig set_flag "$TRUNK.10" 1 0
