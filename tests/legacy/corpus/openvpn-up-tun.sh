#!/bin/sh
# An OpenVPN --up script with --ifconfig-noexec: it sets the tun's address itself.
# netns-setup: ip tuntap add dev tun0 mode tun
# netns-env: ifconfig_local=10.8.0.6 ifconfig_remote=10.8.0.5 tun_mtu=1500
# netns-args: tun0 1500 1557 10.8.0.6 10.8.0.5 init

dev=$1
mtu=$2

/sbin/ifconfig "$dev" "$ifconfig_local" netmask 255.255.255.252 mtu "$mtu" up
