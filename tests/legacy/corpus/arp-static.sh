#!/bin/sh
# Static neighbour entries for hosts on a lab network, from a list; one removed again.
# netns-setup: ip link add lan0 type veth peer name lan0p; ip address add 10.40.0.1/24 dev lan0; ip link set lan0 up

while read -r ip mac; do
    arp -s "$ip" "$mac"
done <<HOSTS
10.40.0.11 02:00:00:00:40:11
10.40.0.12 02:00:00:00:40:12
HOSTS
arp -i lan0 -s 10.40.0.13 02:00:00:00:40:13
arp -d 10.40.0.12
