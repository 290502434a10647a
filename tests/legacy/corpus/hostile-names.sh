#!/bin/sh
# Names a shell must not split or expand: a dollar sign, a star, a leading dash, quotes.
# netns-setup: ip link add 'v$x' type veth peer name vxp; ip link add 'v*' type veth peer name vsp

brctl addbr 'br$HOME'
brctl addbr "br-'q'"
brctl addif 'br$HOME' 'v$x'
brctl addif "br-'q'" 'v*'
ifconfig 'v$x' up
ifconfig 'v*' 10.3.3.3 netmask 255.255.255.0
brctl addbr -- -dash 2>/dev/null || echo "brctl refused -dash"
