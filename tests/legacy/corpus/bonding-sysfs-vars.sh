#!/bin/bash
# Bonding through sysfs with every path in variables, and writes in lists and conditions.
# shapes: path and attribute in variables, && and ||, if ! echo

SYSFS=/sys/class/net
BONDING_MASTERS=$SYSFS/bonding_masters
BOND=bond0
declare -A OPTS=([mode]=802.3ad [miimon]=100 [lacp_rate]=fast)

echo "+$BOND" > "$BONDING_MASTERS" || exit 1
for key in mode miimon lacp_rate; do
    echo "${OPTS[$key]}" > "$SYSFS/$BOND/bonding/$key"
done
echo +eth0 > /sys/class/net/$BOND/bonding/slaves && echo "eth0 enslaved"
if ! echo +eth1 > /sys/class/net/$BOND/bonding/slaves; then
    echo "eth1 failed" >&2
fi
printf '%s' -eth1 > /sys/class/net/bond0/bonding/slaves
echo -n 1 > /sys/class/net/bond0/bonding/use_carrier
echo "-$BOND" > $BONDING_MASTERS
