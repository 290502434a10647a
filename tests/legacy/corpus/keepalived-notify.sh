#!/bin/sh
# keepalived notify script: the service address on an alias, the default route through the peer.
# netns-setup: ip link add eth0 type veth peer name eth0p; ip address add 192.168.50.2/24 dev eth0; ip link set eth0 up
# netns-args: INSTANCE VI_1 MASTER 100

TYPE=$1
NAME=$2
STATE=$3
VIP=192.168.50.10
GW=192.168.50.1

logger -t keepalived-notify "$NAME is now $STATE"
case "$STATE" in
    MASTER)
        ifconfig eth0:1 $VIP netmask 255.255.255.0 up
        route add default gw $GW dev eth0
        ;;
    BACKUP|FAULT)
        ifconfig eth0:1 down
        route del default gw $GW 2>/dev/null
        ;;
    *)
        echo "unknown state $STATE for $TYPE" >&2
        exit 1
        ;;
esac
