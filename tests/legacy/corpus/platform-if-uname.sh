#!/bin/sh
# A test helper that adds a second loopback address, per platform.
# netns-setup: ip link set lo up

OS=$(uname)
if [ "$OS" = "Linux" ]; then
    ifconfig lo:1 127.0.0.2 netmask 255.0.0.0 up
elif [ "$OS" = "Darwin" ] || [ "$OS" = "FreeBSD" ]; then
    ifconfig lo0 alias 127.0.0.2 up
fi
