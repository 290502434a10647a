#!/bin/sh
# Several addresses as numbered aliases, one replaced, one removed.
# netns-setup: ip link add eth0 type veth peer name eth0p; ip address add 192.168.7.1/24 dev eth0; ip link set eth0 up

n=0
for addr in 192.168.7.10 192.168.7.11 192.168.7.12; do
    ifconfig "eth0:$n" "$addr" netmask 255.255.255.0 up
    n=$((n + 1))
done
ifconfig eth0:1 192.168.7.21 netmask 255.255.255.0
ifconfig eth0:2 down
