#!/bin/sh
# old-bond.sh -- an active-backup bond made through the bonding driver's
# sysfs files and ifenslave, as RHEL 5 era scripts did.
#
#   netscript translate old-bond.sh --in-place
set -e

BOND=bond0
modprobe bonding max_bonds=0
echo +$BOND > /sys/class/net/bonding_masters
echo active-backup > /sys/class/net/$BOND/bonding/mode
echo 100 > /sys/class/net/$BOND/bonding/miimon
echo 1 > /sys/class/net/$BOND/bonding/fail_over_mac
ifconfig $BOND 192.0.2.20 netmask 255.255.255.0 up
ifenslave $BOND eth0 eth1
echo eth0 > /sys/class/net/$BOND/bonding/primary

if ! grep -q "MII Status: up" /proc/net/bonding/$BOND; then
    echo "bond $BOND has no working port" >&2
fi
