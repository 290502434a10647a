#!/bin/sh
# Commands in a subshell, a group and the background.
# netns-setup: true

( brctl addbr sub0 && ifconfig sub0 up )
{ brctl addbr grp0; brctl stp grp0 on; } >/dev/null
brctl addbr bg0 &
wait
