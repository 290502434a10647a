#!/bin/bash
# A container's veth pair onto the host bridge; names computed from a PID.
# netns-setup: ip link add br-ctr type bridge
# netns-env: PID=4242

HOST_IF="veth${PID}"
CTR_IF="vethc${PID}"
ip link add "$HOST_IF" type veth peer name "$CTR_IF"
brctl addif br-ctr "$HOST_IF"
ifconfig "$HOST_IF" up
ifconfig "$CTR_IF" 172.18.0.2 netmask 255.255.0.0 up
route add default gw 172.18.0.1 2>/dev/null || echo "no gateway yet"
