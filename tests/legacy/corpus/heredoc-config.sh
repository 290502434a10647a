#!/bin/sh
# A setup script that writes a config file with a here-document, then builds what it describes.
# netns-setup: ip link add v0 type veth peer name v0p
# netns-env: CONF=/dev/null

cat > "$CONF" <<CONFIG
# generated: the bridge br-lab holds v0; do not run brctl by hand
BRIDGE=br-lab
PORTS="v0"
CONFIG

cat <<'USAGE' >/dev/null
usage: setup [--no-stp]
  The bridge is made with brctl addbr and its ports with brctl addif.
USAGE

brctl addbr br-lab
brctl addif br-lab v0
brctl stp br-lab on
ifconfig br-lab up
