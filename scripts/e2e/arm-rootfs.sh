#!/usr/bin/env bash
# Prepares an emulated aarch64 CPython (Debian bookworm's python3.11) under qemu-user, without chroot or binfmt.
#
#   scripts/e2e/arm-rootfs.sh ROOTFS
#
# Installs qemu-user-static and debootstrap from apt if missing, runs the first (foreign) debootstrap stage, unpacks
# the downloaded .debs with `dpkg -x`, and byte-compiles the stdlib once (each emulated start costs ~5 s without
# .pyc files). Idempotent: a finished ROOTFS has ROOTFS/.purewheel-e2e-ready and is reused as it is.
# Prints the command prefix to run the emulated interpreter on its last line.
set -euo pipefail

rootfs=${1:?usage: arm-rootfs.sh ROOTFS}
suite=bookworm
python=usr/bin/python3.11

log() { echo "arm-rootfs: $*" >&2; }

need=()
command -v qemu-aarch64-static >/dev/null || need+=(qemu-user-static)
command -v debootstrap >/dev/null || need+=(debootstrap)
if ((${#need[@]})); then
  log "installing ${need[*]} from apt"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -q >&2
  apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${need[@]}" >&2
fi

if [[ ! -e "$rootfs/.purewheel-e2e-ready" ]]; then
  log "debootstrap --foreign --arch=arm64 $suite into $rootfs"
  rm -rf "$rootfs"
  mkdir -p "$rootfs"
  # The apt mirror comes from this machine's own apt sources, so no index host is written here.
  mirror=$(apt-get indextargets --format '$(REPO_URI)' 'Created-By: Packages' 2>/dev/null | grep -m1 -E '/debian/?$' || true)
  debootstrap --arch=arm64 --variant=minbase --foreign --include=python3 "$suite" "$rootfs" ${mirror:+"$mirror"} >&2
  log "unpacking $(ls "$rootfs"/var/cache/apt/archives/*.deb | wc -l) packages with dpkg -x"
  for deb in "$rootfs"/var/cache/apt/archives/*.deb; do
    dpkg -x "$deb" "$rootfs"
  done
  [[ -x "$rootfs/$python" ]] || { log "no $python in the rootfs"; exit 1; }
  log "byte-compiling the emulated stdlib"
  qemu-aarch64-static -L "$rootfs" "$rootfs/$python" -m compileall -q -j 0 "$rootfs/usr/lib/python3.11" >/dev/null 2>&1 || \
    qemu-aarch64-static -L "$rootfs" "$rootfs/$python" -m compileall -q "$rootfs/usr/lib/python3.11" >/dev/null 2>&1 || true
  machine=$(qemu-aarch64-static -L "$rootfs" "$rootfs/$python" -c 'import platform; print(platform.machine())')
  [[ "$machine" == aarch64 ]] || { log "emulated interpreter reports machine=$machine"; exit 1; }
  touch "$rootfs/.purewheel-e2e-ready"
fi
echo "qemu-aarch64-static -L $rootfs $rootfs/$python"
