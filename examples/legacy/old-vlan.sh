#!/bin/sh
# old-vlan.sh -- tagged uplinks for the storage and management networks,
# named the old way (vlan0100, vlan0200).
#
#   netscript translate old-vlan.sh --diff
set -e

vconfig set_name_type VLAN_PLUS_VID
vconfig add eth1 100
vconfig add eth1 200
vconfig set_flag vlan0100 1 1
# storage traffic: skb priority 4 goes out with VLAN priority 5, and back
vconfig set_egress_map vlan0100 4 5
vconfig set_ingress_map vlan0100 4 5
ifconfig vlan0100 10.10.0.5 netmask 255.255.0.0 mtu 9000 up
ifconfig vlan0200 10.20.0.5 netmask 255.255.255.0 up
