#!/bin/sh
# The classic ifenslave sequence: master up with an address, slaves added, one detached later.

modprobe bonding mode=1 miimon=100
ifconfig bond0 192.168.100.2 netmask 255.255.255.0 up
ifenslave bond0 eth0 eth1
ifenslave -d bond0 eth1
ifenslave -c bond0 eth0
