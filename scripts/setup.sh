#!/usr/bin/env bash
# Installs what building purewheel needs on a fresh Debian machine: the C libraries (libzip, libcrypto,
# ISA-L for the checker's inflate) and their pkg-config files. Swift itself is expected on PATH. Safe to run again.
set -euo pipefail
need=()
for pkg in libzip-dev libssl-dev libisal-dev pkg-config; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq -o DPkg::Lock::Timeout=600 "${need[@]}" >/dev/null
fi
