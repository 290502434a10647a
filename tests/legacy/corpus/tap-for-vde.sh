#!/bin/sh
# A tap for a VDE switch: vde_tunctl is another program and stays; tunctl makes the second tap.
# netns-setup: true

vde_tunctl -t vtap0 >/dev/null 2>&1 || true
tunctl -t tap9 -u 0 >/dev/null
ifconfig tap9 up
