#!/bin/bash
# Red Hat style ifup for a VLAN: the name type decides the device name vconfig makes.
# shapes: vconfig name types, function, $? test

PHYSDEV=eth0
VID=${1:-100}

set_vlan_name() {
    case "$1" in
        eth*.*) /sbin/vconfig set_name_type DEV_PLUS_VID_NO_PAD >/dev/null 2>&1 ;;
        vlan*) /sbin/vconfig set_name_type VLAN_PLUS_VID_NO_PAD >/dev/null 2>&1 ;;
    esac
}

set_vlan_name "${PHYSDEV}.${VID}"
/sbin/ifconfig "${PHYSDEV}" up
/sbin/vconfig add "${PHYSDEV}" "${VID}" >/dev/null 2>&1
if [ $? -ne 0 ]; then
    echo "ERROR: could not add vlan ${VID} on ${PHYSDEV}" >&2
    exit 1
fi
/sbin/vconfig set_flag "${PHYSDEV}.${VID}" 1 1 >/dev/null 2>&1 || true
/sbin/ifconfig "${PHYSDEV}.${VID}" mtu 1496 up
