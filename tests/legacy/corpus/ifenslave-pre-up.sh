#!/bin/sh
# Debian ifenslave-2.6 hook: the bond made through sysfs, slaves by ifenslave, errors tested.
# shapes: if ! echo > sysfs, && / || after sysfs, ifenslave

BOND_MASTER=bond1
BOND_MODE=802.3ad
BOND_SLAVES="eth2 eth3"
BONDING_MASTERS=/sys/class/net/bonding_masters

if [ ! -e "/sys/class/net/$BOND_MASTER" ]; then
    echo "+$BOND_MASTER" > "$BONDING_MASTERS" || exit 1
fi

if ! echo "$BOND_MODE" > /sys/class/net/$BOND_MASTER/bonding/mode; then
    echo "cannot set bond mode $BOND_MODE" >&2
fi
[ -n "$BOND_MIIMON" ] && echo "$BOND_MIIMON" > /sys/class/net/$BOND_MASTER/bonding/miimon
echo 200 > /sys/class/net/$BOND_MASTER/bonding/downdelay || true

ifconfig "$BOND_MASTER" up
for slave in $BOND_SLAVES; do
    ifenslave "$BOND_MASTER" "$slave" || echo "failed to enslave $slave" >&2
done
