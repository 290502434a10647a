#!/bin/sh
# A migration helper: reads eth0's settings from ifconfig's report and a port's cost from brctl showstp, and builds the bridge from them.
# netns-setup: ip link add eth0 address 02:00:00:00:40:01 type veth peer name eth0p; ip address add 10.40.0.2/24 dev eth0; ip address add 10.40.1.2/16 brd 10.40.255.255 dev eth0 label eth0:1; ip link set eth0 mtu 1400 up; ip link add br0 type bridge; ip link add v0 type veth peer name v0p; ip link add v1 type veth peer name v1p; ip link set v0 master br0; ip link set v1 master br0; ip link set v0 type bridge_slave cost 4

ADDR=$(ifconfig eth0 | awk '/inet / {print $2}')
MASK=$(ifconfig eth0 | awk '/inet / {print $4}')
ALIAS=$(ifconfig -a | sed -n 's/^\(eth0:[0-9]*\): .*/\1/p')
ALIAS_ADDR=$(ifconfig "$ALIAS" | awk '/inet / {print $2}')
MAC=$(ifconfig eth0 | awk '/ether/ {print $2}')
MTU=$(ifconfig eth0 | sed -n 's/.* mtu \([0-9]*\).*/\1/p')
ip address add "$ADDR/$MASK" dev br0
ip address add "$ALIAS_ADDR/16" dev br0 label br0:1
ip link set dev br0 address "$MAC" mtu "$MTU"
# a link that is down is listed by ifconfig -a only
if ifconfig | grep -q '^br0:'; then
    exit 4
fi
COST=$(brctl showstp br0 | awk '$1 == "v0" {port = 1} port && /path cost/ {print $NF; exit}')
brctl setpathcost br0 v1 "$((COST + 5))"
STATE=$(brctl showstp br0 | awk '$1 == "v1" {port = 1} port && /state/ {print $NF; exit}')
[ "$STATE" = disabled ] || exit 5
ifconfig eth0 down
ifconfig nosuch >/dev/null 2>&1 || ip link set dev br0 up
