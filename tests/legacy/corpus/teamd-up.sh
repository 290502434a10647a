#!/bin/sh
# A teamd bring-up: the team from a JSON config, ports added by teamdctl, torn down by pid file.
# shapes: teamd -d -f, teamdctl port add, teamd -k -p, here-document config

CONF=/run/team0.conf
cat > "$CONF" <<'JSON'
{"device": "team0", "runner": {"name": "activebackup"}, "link_watch": {"name": "ethtool"}}
JSON
teamd -d -f "$CONF" || exit 1
teamdctl team0 port add eth0
teamdctl team0 port add eth1
ifconfig team0 10.30.0.1 netmask 255.255.255.0 up
[ "$1" = stop ] && teamd -k -p /run/teamd/team0.pid
