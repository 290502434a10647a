#!/bin/sh
# A lab helper: a VXLAN segment bridged to local veths; ip for the tunnel, brctl for the bridge.
# netns-setup: ip link add underlay type veth peer name underlayp; ip address add 10.200.0.1/24 dev underlay; ip link set underlay up; ip link add h1 type veth peer name h1p

VNI=42
BR=br-vx$VNI

ip link add vxlan$VNI type vxlan id $VNI dstport 4789 dev underlay local 10.200.0.1
brctl addbr $BR
brctl addif $BR vxlan$VNI
brctl addif $BR h1
ifconfig vxlan$VNI up
ifconfig h1 up
ifconfig $BR up
