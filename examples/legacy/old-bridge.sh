#!/bin/sh
# old-bridge.sh -- a KVM host's LAN bridge, the way it was set up in 2009:
# the NIC moves onto br0, two taps for guests join it.
#
#   netscript translate old-bridge.sh -o new-bridge.sh
#   netscript translate old-bridge.sh --to dsl -o net.ns
set -e

BR=br0
NIC=eth0
GUEST_USER=kvm

brctl addbr $BR
brctl stp $BR off
brctl setfd $BR 0
brctl setageing $BR 300
ifconfig $NIC 0.0.0.0 up
brctl addif $BR $NIC

tunctl -u $GUEST_USER -t vm0
tunctl -u $GUEST_USER -t vm1
brctl addif $BR vm0 vm1
ifconfig vm0 up
ifconfig vm1 up

ifconfig $BR 192.168.10.2 netmask 255.255.255.0 up
