#!/bin/sh
# libvirt /etc/libvirt/hooks/qemu: guests named lab-* get their tap on a second bridge too.
# netns-setup: ip link add virbr1 type bridge; ip link add vnet0 type veth peer name vnet0p
# netns-args: lab-web started begin -

GUEST=$1
OPERATION=$2
TAP=vnet0

case "$GUEST" in
    lab-*)
        case "$OPERATION" in
            started)
                brctl addif virbr1 "$TAP" && ifconfig "$TAP" up
                ;;
            stopped)
                brctl delif virbr1 "$TAP" || :
                ;;
        esac
        ;;
esac
exit 0
