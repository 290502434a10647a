#!/bin/sh
# Commands inside command substitutions and backquotes, and one as the last command by exec.
# netns-setup: ip link add v0 type veth peer name v0p

brctl addbr br0
brctl addif br0 $(ls /sys/class/net | grep '^v0$')
COUNT=`ls /sys/class/net/br0/brif | wc -l`
echo "$COUNT port(s)"
exec ifconfig br0 up
