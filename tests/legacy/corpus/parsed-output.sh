#!/bin/sh
# A status script: everything it knows, it reads from the old tools' output.
# netns-setup: ip link add br0 type bridge; ip link add v0 type veth peer name v0p; ip link set v0 master br0; ip address add 10.6.0.1/24 dev br0; ip link set br0 up

BR=br0
if brctl show | grep -q "^$BR"; then
    echo "bridge $BR exists"
fi
PORTS=$(brctl show "$BR" | sed -n '2,$p' | awk '{print $NF}')
echo "ports: $PORTS"
brctl showstp "$BR" | grep -A1 '^v0' >/dev/null
ADDR=$(ifconfig "$BR" | grep 'inet ' | awk '{print $2}')
echo "address: $ADDR"
ifconfig -a | grep -c flags >/dev/null
MAC=$(ifconfig v0 | awk '/ether/ {print $2}')
[ -n "$MAC" ] || exit 1
