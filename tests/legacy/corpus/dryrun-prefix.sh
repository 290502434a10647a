#!/bin/sh
# A dry-run switch: every command behind $DRYRUN, which is `echo` for a dry run and empty otherwise.
# netns-setup: ip link add v0 type veth peer name v0p
# netns-env: DRYRUN=

$DRYRUN brctl addbr br0
$DRYRUN brctl addif br0 v0
$DRYRUN ifconfig v0 up
$DEBUG ifconfig br0 10.4.0.1 netmask 255.255.255.0 up
