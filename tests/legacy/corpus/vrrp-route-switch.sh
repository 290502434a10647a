#!/bin/sh
# A router's failover: the default route through the other uplink, the peer's MAC pinned.
# netns-setup: ip link add wan0 type veth peer name wan0p; ip link add wan1 type veth peer name wan1p; ip address add 198.51.100.2/24 dev wan0; ip address add 203.0.113.2/24 dev wan1; ip link set wan0 up; ip link set wan1 up; ip route add default via 198.51.100.1 dev wan0
# netns-args: wan1

UPLINK=$1
case "$UPLINK" in
    wan0) GW=198.51.100.1; PEERMAC=02:00:00:00:aa:01 ;;
    wan1) GW=203.0.113.1; PEERMAC=02:00:00:00:bb:01 ;;
    *) exit 2 ;;
esac

route del default
route add default gw "$GW" dev "$UPLINK" metric 10
arp -s "$GW" "$PEERMAC" -i "$UPLINK"
