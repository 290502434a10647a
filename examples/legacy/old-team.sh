#!/bin/sh
# old-team.sh -- a LACP team for the uplink, made by teamd; RHEL 10 removed
# teamd, so this moves to the bonding driver:
#
#   netscript translate --team-as-bond old-team.sh -o new-bond.sh
set -e

for port in eth2 eth3; do
    ip link set dev "$port" down
done

teamd -d -t team0 -c '{
    "runner": {"name": "lacp", "active": true, "fast_rate": true,
               "tx_hash": ["eth", "ipv4", "ipv6"]},
    "link_watch": {"name": "ethtool"},
    "ports": {"eth2": {}, "eth3": {}}
}'
ip address add 198.51.100.7/24 dev team0
ip link set dev team0 up

teamdctl team0 state view
