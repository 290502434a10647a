#!/bin/sh
# initramfs hook: a bond through the bonding driver's sysfs files, options from the command line.
# shapes: bonding sysfs literal and with the attribute in a variable, loop over options

BOND=bond0
SLAVES="eth0 eth1"
BOND_OPTS="mode=active-backup miimon=100 updelay=200"

modprobe bonding max_bonds=0 2>/dev/null
echo "+$BOND" > /sys/class/net/bonding_masters

for opt in $BOND_OPTS; do
    key=${opt%%=*}
    value=${opt#*=}
    echo "$value" > /sys/class/net/$BOND/bonding/$key
done

for s in $SLAVES; do
    ifconfig "$s" down
    echo "+$s" > /sys/class/net/$BOND/bonding/slaves
done
echo 1 > /sys/class/net/bond0/bonding/all_slaves_active
ifconfig $BOND up
