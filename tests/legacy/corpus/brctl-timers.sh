#!/bin/sh
# Every brctl setting a script sets on a bridge and its ports.
# netns-setup: ip link add v0 type veth peer name v0p

brctl addbr br0
brctl stp br0 on
brctl setfd br0 4
brctl sethello br0 1
brctl setmaxage br0 12
brctl setageing br0 120
brctl setbridgeprio br0 8192
brctl setgcint br0 4
brctl addif br0 v0
brctl setpathcost br0 v0 50
brctl setportprio br0 v0 3
brctl hairpin br0 v0 on
