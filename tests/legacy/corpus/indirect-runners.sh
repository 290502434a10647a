#!/bin/sh
# The tools run by other programs: xargs, sh -c, a timeout, nohup.
# netns-setup: ip link add v0 type veth peer name v0p; ip link add v1 type veth peer name v1p

brctl addbr br0
echo v0 v1 | xargs -n1 brctl addif br0
sh -c "ifconfig br0 up"
timeout 5 brctl setfd br0 3
nohup ifconfig v0 up >/dev/null 2>&1
