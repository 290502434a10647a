#!/bin/bash
# Red Hat style ifup-eth fragment: a bridge from ifcfg variables, its options one by one.
# netns-setup: ip link add eth0 type veth peer name eth0p
# netns-env: DEVICE=br0 TYPE=Bridge STP=yes DELAY=2 BRIDGING_OPTS="setageing=600 sethello=3" IPADDR=192.0.2.10 NETMASK=255.255.255.0 BRIDGE_PORT=eth0

if [ "${TYPE}" = "Bridge" ]; then
    if [ ! -x /sbin/brctl ]; then
        echo "Bridge support not available: brctl not found" >&2
        exit 1
    fi
    if [ ! -d "/sys/class/net/${DEVICE}/bridge" ]; then
        /sbin/brctl addbr -- "${DEVICE}" || exit 1
    fi
    [ -n "${DELAY}" ] && /sbin/brctl setfd "${DEVICE}" "${DELAY}"
    if [ "${STP}" = "yes" ] || [ "${STP}" = "on" ]; then
        /sbin/brctl stp "${DEVICE}" on
    else
        /sbin/brctl stp "${DEVICE}" off
    fi
    for arg in $BRIDGING_OPTS; do
        key=${arg%%=*}
        value=${arg##*=}
        /sbin/brctl "$key" "${DEVICE}" "$value"
    done
fi

if [ -n "${BRIDGE_PORT}" ]; then
    /sbin/ifconfig "${BRIDGE_PORT}" 0.0.0.0 up
    /sbin/brctl addif "${DEVICE}" "${BRIDGE_PORT}" || exit 1
fi

if [ -n "${IPADDR}" ]; then
    /sbin/ifconfig "${DEVICE}" "${IPADDR}" netmask "${NETMASK}" up
fi
