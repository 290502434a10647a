#!/bin/sh
# set -e: the first failing command ends the script with its status.
# netns-setup: ip link add v0 type veth peer name v0p

set -e
brctl addbr br0
brctl addif br0 v0
brctl addif br0 nosuch
ifconfig br0 up
echo "not reached"
