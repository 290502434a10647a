#!/bin/bash
# guestrun.sh 'shell command'    run the command as root in a throw-away QEMU guest
# guestrun.sh --install          only install the host packages this needs (no boot)
# guestrun.sh --prepare          install + unpack/cache the kernel and initramfs (no boot)
#
# Boots Debian 12's linux-image-cloud-amd64 (bonding, team, 8021q, ipvlan, dummy, vrf, ...
# as modules) under QEMU/TCG with the host's root filesystem shared read-only over virtiofs
# (a tmpfs overlay on top takes the guest's writes), and runs the command with bash in the
# caller's current directory. Exits with the command's exit status (124 = timeout,
# 125 = no status came back). Guest stdout/stderr go to this script's stdout/stderr.
# Host environment variables are NOT passed to the guest: export what you need in the command.
#
# env: KCACHE        cache for the unpacked kernel + initramfs (default /var/cache/guestrun)
#      GUEST_MEM     guest memory (1G)            GUEST_SMP      guest CPUs (1)
#      GUEST_TIMEOUT seconds before kill (900)    GUEST_ACCEL    QEMU accelerator (tcg)
#      GUEST_OUT     host dir mounted read-write at /guest-out in the guest (optional)
#
# Needs root (apt-get, virtiofsd's chroot sandbox) and Debian 12's packages. Adapted from the
# kernel-lab reference launcher.
set -euo pipefail

KCACHE=${KCACHE:-/var/cache/guestrun}
VIRTIOFSD=/usr/lib/qemu/virtiofsd
# host packages: QEMU + initramfs tools, plus the user-space tools the guest tests use
# (the guest runs the host's root filesystem, so installing them here is enough):
#   libteam-utils: teamd/teamdctl   vlan: /sbin/vconfig (a shell wrapper around `ip link`)
#   bridge-utils: brctl             ifenslave: ifupdown hooks for bond-* stanzas (no binary)
PKGS=(qemu-system-x86 busybox-static cpio kmod lz4 libteam-utils vlan bridge-utils ifenslave)

install_deps() {
  local need=() p
  for p in "${PKGS[@]}"; do
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" = installed ] || need+=("$p")
  done
  [ ${#need[@]} -eq 0 ] && return 0
  echo "guestrun: installing ${need[*]}" >&2
  apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
}

kernel_pkg() {
  apt-cache depends linux-image-cloud-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}'
}

# Unpack (not install) the newest linux-image-<ver>-cloud-amd64 and build a busybox initramfs
# for it under $KROOT. Called with the cache lock held.
build_kernel() {
  local KPKG=$1 KVER=$2 KROOT=$3 off W m a
  rm -rf "$KROOT"; mkdir -p "$KROOT"
  (cd "$KROOT" && apt-get download -qq -o APT::Sandbox::User=root "$KPKG" &&
    dpkg -x "$KPKG"_*.deb . && rm -f "$KPKG"_*.deb)
  depmod -b "$KROOT" "$KVER"
  # uncompressed ELF vmlinux for QEMU's PVH entry (skips BIOS real-mode setup + decompression)
  off=$(grep -obUaP '\x02\x21\x4c\x18' "$KROOT/boot/vmlinuz-$KVER" | head -1 | cut -d: -f1) || true
  if [ -n "$off" ]; then
    tail -c +$((off + 1)) "$KROOT/boot/vmlinuz-$KVER" | unlz4 -q -c >"$KROOT/vmlinux" 2>/dev/null || true
  fi
  head -c4 "$KROOT/vmlinux" 2>/dev/null | grep -q ELF || rm -f "$KROOT/vmlinux"
  # initramfs: busybox + virtio/virtiofs/overlay modules + init
  W=$(mktemp -d)
  mkdir -p "$W"/{bin,proc,sys,dev,newroot,lower,upper,mods}
  cp "$(command -v busybox)" "$W/bin/busybox"
  for a in sh mount mkdir insmod cat echo poweroff cp grep switch_root; do ln -s busybox "$W/bin/$a"; done
  modprobe -d "$KROOT" -S "$KVER" --show-depends -a virtio_pci virtiofs overlay |
    awk '$1=="insmod" && !seen[$2]++ {print $2}' | while read -r m; do
      cp "$m" "$W/mods/"; basename "$m" >>"$W/mods/order"
    done
  cat >"$W/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
for m in $(cat /mods/order); do insmod /mods/$m; done
for a in $(cat /proc/cmdline); do case $a in gr.cmd=*) CMD=${a#gr.cmd=};; gr.kmods=*) KMODS=${a#gr.kmods=};; gr.kver=*) KVER=${a#gr.kver=};; esac; done
mount -t virtiofs -o ro hostroot /lower || { echo "virtiofs mount failed"; poweroff -f; }
mount -t tmpfs tmpfs /upper; mkdir -p /upper/u /upper/w
mount -t overlay -o lowerdir=/lower,upperdir=/upper/u,workdir=/upper/w,xino=off overlay /newroot || { echo "overlay failed"; poweroff -f; }
mount --move /proc /newroot/proc; mount -t sysfs sys /newroot/sys; mount -t devtmpfs dev /newroot/dev
mkdir -p /newroot/dev/pts /newroot/dev/shm; mount -t devpts devpts /newroot/dev/pts; mount -t tmpfs tmpfs /newroot/dev/shm
mount -t tmpfs tmpfs /newroot/run; mount -t cgroup2 none /newroot/sys/fs/cgroup 2>/dev/null
mkdir -p /newroot/run/netns
mkdir -p /newroot/guest-out; mount -t virtiofs out /newroot/guest-out 2>/dev/null
# modprobe in the guest (kernel request_module -> /sbin/modprobe) needs /lib/modules/$KVER
mkdir -p /newroot/lib/modules/$KVER && mount --bind /newroot$KMODS /newroot/lib/modules/$KVER
mkdir -p /newroot/run/gr && cp /bin/busybox /newroot/run/gr/busybox
cat > /newroot/run/gr/stage2 <<S2
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=dumb LANG=C.UTF-8
/run/gr/busybox stty -F /dev/ttyS1 -onlcr; /run/gr/busybox stty -F /dev/ttyS2 -onlcr
/run/gr/busybox hostname guest; ip link set lo up
/bin/bash $CMD </dev/null >/dev/ttyS1 2>/dev/ttyS2
echo \$? > /dev/ttyS3
/run/gr/busybox sync; /run/gr/busybox poweroff -f
S2
# stage 2 runs as PID 1 in the overlay root, so the kernel's modprobe helper sees the real root
exec switch_root /newroot /run/gr/busybox sh /run/gr/stage2
INIT
  chmod +x "$W/init"
  (cd "$W" && find . | cpio -o -H newc 2>/dev/null | gzip -1) >"$KROOT/initrd.gz"
  rm -rf "$W"
  touch "$KROOT/.ready"
}

# sets KVER and KROOT; builds the cache entry for the current kernel if needed
prepare_kernel() {
  local KPKG d
  KPKG=$(kernel_pkg)
  [ -n "$KPKG" ] || { apt-get update -qq; KPKG=$(kernel_pkg); }
  [ -n "$KPKG" ] || { echo "guestrun: cannot resolve linux-image-cloud-amd64 (apt sources?)" >&2; exit 1; }
  KVER=${KPKG#linux-image-}
  KROOT=$KCACHE/$KVER
  [ -f "$KROOT/.ready" ] && return 0
  mkdir -p "$KCACHE"
  exec 9>"$KCACHE/.lock"
  flock 9 # two first runs at once: one builds, the other waits
  if [ ! -f "$KROOT/.ready" ]; then
    echo "guestrun: unpacking $KPKG into $KROOT (first use)" >&2
    build_kernel "$KPKG" "$KVER" "$KROOT"
    # the version moves with Debian updates: drop older kernels (~160 MB each)
    for d in "$KCACHE"/*/; do
      d=${d%/}
      [ "$d" != "$KROOT" ] && [ -f "$d/.ready" ] && rm -rf "$d"
    done
  fi
  flock -u 9; exec 9>&-
}

case "${1:-}" in
  --install) install_deps; exit ;;
  --prepare) install_deps; prepare_kernel; echo "guestrun: kernel $KVER ready in $KROOT"; exit 0 ;;
  ''|-h|--help) sed -n '2,20s/^# \{0,1\}//p' "$0"; exit 2 ;;
esac

install_deps
prepare_kernel
KIMG=$KROOT/vmlinux
[ -f "$KIMG" ] || KIMG=$KROOT/boot/vmlinuz-$KVER

T=$(mktemp -d /tmp/guestrun.XXXXXX)
pids=()
# shellcheck disable=SC2329  # invoked by the EXIT trap
cleanup() {
  [ ${#pids[@]} -gt 0 ] && { kill "${pids[@]}" 2>/dev/null; wait "${pids[@]}" 2>/dev/null; }
  rm -rf "$T"
}
trap cleanup EXIT

printf 'cd %q || exit 126\n%s\n' "$PWD" "$1" >"$T/cmd.sh"
"$VIRTIOFSD" --socket-path="$T/root.sock" -o source=/ -o cache=always -o sandbox=chroot \
  -o no_posix_lock 2>"$T/virtiofsd.log" &
pids+=($!)
outdev=()
if [ -n "${GUEST_OUT:-}" ]; then
  mkdir -p "$GUEST_OUT"
  "$VIRTIOFSD" --socket-path="$T/out.sock" -o source="$GUEST_OUT" -o cache=none -o sandbox=chroot \
    2>>"$T/virtiofsd.log" &
  pids+=($!)
  outdev=(-chardev "socket,id=vo,path=$T/out.sock" -device "vhost-user-fs-pci,chardev=vo,tag=out")
fi
for _ in $(seq 100); do
  [ -S "$T/root.sock" ] && { [ -z "${GUEST_OUT:-}" ] || [ -S "$T/out.sock" ]; } && break
  sleep 0.05
done
MEM=${GUEST_MEM:-1G}
# guest stdout/stderr via FIFOs + cat, so they are written through this script's own
# stdout/stderr (a -serial file:/proc/self/fd/1 reopens the file and clobbers it when stdout is a file)
mkfifo "$T/o" "$T/e"
cat "$T/o" & cpid1=$!
cat "$T/e" >&2 & cpid2=$!
set +e
# in the background + wait, so that INT/TERM reach us (and qemu, through timeout) at once
timeout "${GUEST_TIMEOUT:-900}" qemu-system-x86_64 -accel "${GUEST_ACCEL:-tcg}" \
  -machine q35,memory-backend=mem -cpu max -m "$MEM" -smp "${GUEST_SMP:-1}" \
  -object "memory-backend-memfd,id=mem,size=$MEM,share=on" \
  -nographic -nodefaults -no-reboot -display none \
  -kernel "$KIMG" -initrd "$KROOT/initrd.gz" \
  -append "console=ttyS0 quiet loglevel=3 panic=-1 gr.cmd=$T/cmd.sh gr.kver=$KVER gr.kmods=$KROOT/lib/modules/$KVER" \
  -chardev "socket,id=vr,path=$T/root.sock" -device "vhost-user-fs-pci,chardev=vr,tag=hostroot" "${outdev[@]}" \
  -serial "file:$T/console.log" -serial "file:$T/o" -serial "file:$T/e" -serial "file:$T/rc" \
  -device virtio-rng-pci &
qpid=$!
interrupted=
trap 'interrupted=1; kill -TERM "$qpid" 2>/dev/null' INT TERM
wait "$qpid"; qrc=$?
while kill -0 "$qpid" 2>/dev/null; do wait "$qpid"; qrc=$?; done
trap - INT TERM
# the cats end at EOF once qemu closed the FIFOs; if qemu died before opening one, they'd
# block in open() forever: give them a moment to drain, then stop them
for _ in $(seq 40); do kill -0 "$cpid1" 2>/dev/null || kill -0 "$cpid2" 2>/dev/null || break; sleep 0.05; done
kill "$cpid1" "$cpid2" 2>/dev/null
wait "$cpid1" "$cpid2" 2>/dev/null
[ -n "$interrupted" ] && { echo "guestrun: interrupted" >&2; exit 130; }
rc=$(tr -dc 0-9 <"$T/rc" 2>/dev/null)
if [ -z "$rc" ]; then
  echo "guestrun: no exit status from guest (qemu/timeout rc=$qrc); console:" >&2
  tail -n 30 "$T/console.log" >&2
  rc=$([ "$qrc" = 124 ] && echo 124 || echo 125)
fi
exit "$rc"
