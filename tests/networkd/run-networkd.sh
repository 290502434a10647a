#!/bin/sh
# (A copy of the networkd lab launcher the project started from, kept here so the tests need nothing
# outside the repository.)
# run-networkd.sh NETNS CONFDIR [SECONDS]: run the real systemd-networkd (Debian's systemd) inside
# network namespace NETNS, reading .netdev/.network/.link files from CONFDIR only, for SECONDS
# (default 6), then stop it. The host's own networkd, /etc and /run are never touched: everything
# happens in a private mount namespace. Needs root. Prints networkd's log on stderr.
set -eu
ns=${1:?usage: run-networkd.sh NETNS CONFDIR [SECONDS]}
conf=$(cd "${2:?usage: run-networkd.sh NETNS CONFDIR [SECONDS]}" && pwd)
secs=${3:-6}
[ -x /lib/systemd/systemd-networkd ] || { echo "run-networkd: no /lib/systemd/systemd-networkd (Debian package systemd)" >&2; exit 2; }
ip netns list | grep -qw "$ns" || { echo "run-networkd: no network namespace $ns" >&2; exit 2; }
exec unshare -m sh -c '
set -e
mount --make-rprivate /
mkdir -p /run/systemd                            # a fresh /run (the kernel lab guest) lacks it
mount -t tmpfs none /run/systemd                 # networkd state and sockets, private
mkdir -p /run/systemd/netif /etc/systemd/network
chown systemd-network:systemd-network /run/systemd/netif 2>/dev/null || true
mount --bind "$1" /etc/systemd/network           # our files only
# /sys read-only tells networkd that no udev will initialise links (as in a container);
# ip netns exec mounts a fresh sysfs for the namespace, so remount that one.
ip netns exec "$2" sh -c "mount -o remount,bind,ro /sys && exec /lib/systemd/systemd-networkd" &
pid=$!
sleep "$3"
kill $pid 2>/dev/null || true
wait $pid 2>/dev/null || true
' run-networkd "$conf" "$ns" "$secs"
