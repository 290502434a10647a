#!/bin/sh
# A bring-up traced with set -x and logged to a file: redirections on groups and commands.
# netns-setup: ip link add v0 type veth peer name v0p
# netns-env: LOG=/dev/null

exec 3>>"$LOG"
set -x
{
    brctl addbr br0
    brctl addif br0 v0
} >&3 2>&1
ifconfig br0 up >&3 2>&1
ifconfig v0 up 2>>"$LOG"
set +x
