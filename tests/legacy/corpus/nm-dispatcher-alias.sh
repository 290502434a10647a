#!/bin/sh
# NetworkManager dispatcher script: an alias address that follows the link.
# netns-setup: ip link add eth0 type veth peer name eth0p; ip link set eth0 up
# netns-args: eth0 up

IF=$1
ACTION=$2
ALIAS_IP=172.16.5.5

case "$ACTION" in
    up)
        ifconfig "$IF":0 "$ALIAS_IP" netmask 255.255.255.0 up
        ;;
    down|pre-down)
        ifconfig "$IF":0 down
        ;;
    *)
        exit 0
        ;;
esac
