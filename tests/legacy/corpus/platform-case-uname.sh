#!/bin/sh
# A portable lab script: the Linux branch uses brctl and ifconfig, the BSD and macOS ones their own ifconfig.
# netns-setup: ip link add v0 type veth peer name v0p

case "$(uname -s)" in
    Linux)
        brctl addbr br0
        brctl addif br0 v0
        ifconfig br0 10.5.0.1 netmask 255.255.255.0 up
        ;;
    FreeBSD)
        ifconfig bridge0 create
        ifconfig bridge0 addm em0 up
        ;;
    Darwin)
        ifconfig bridge1 create
        ifconfig bridge1 addm en1 up
        ;;
esac
