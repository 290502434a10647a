#!/bin/sh
# A developer's tap helper run as a user: sudo makes the tap root's unless -u says whose.
# netns-setup: ip link add br0 type bridge

sudo tunctl -t tap0
sudo tunctl -u 0 -t tap1
sudo -u root tunctl -t tap2
sudo ifconfig tap0 up
sudo brctl addif br0 tap0
sudo tunctl -d tap2
