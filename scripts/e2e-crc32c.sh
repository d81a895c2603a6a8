#!/usr/bin/env bash
# End-to-end proof for the second recipe, recipes/google-crc32c-pure.toml: builds google-crc32c's pure
# py3-none-any wheel from the pinned upstream files, checks its contents against upstream's, that every pinned file
# builds the same wheel and that pip picks upstream's platform wheel where one fits and the pure one elsewhere; then
# installs it with pip into fresh venvs of CPython 3.9-3.13 (a skip where upstream's Requires-Python excludes the
# interpreter) and into the emulated aarch64 CPython (qemu-user, scripts/e2e/arm-rootfs.sh), asserts that the pure
# fallback runs there, and that its checksums equal upstream's native package's on the same bytes.
#
#   scripts/e2e-crc32c.sh [PUREWHEEL_BINARY] [--no-arm] [--pythons 3.10,3.11] [--jobs N]
#
# PUREWHEEL_BINARY defaults to .build/release/purewheel, else .build/debug/purewheel. Caches: upstream files, the
# native venv and the run folder under ${PUREWHEEL_E2E_CACHE:-~/.cache/purewheel-e2e}/crc32c, the aarch64 root file
# system under …/arm/rootfs. pip's own configuration applies to downloads. The last line is `N passed, N failed`;
# the exit status is non-zero on any failure.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)

e2e_name=e2e-crc32c.sh
# shellcheck source=lib/e2e-setup.sh
source "$here/lib/e2e-setup.sh"

parse_part_args 2,14 "--no-arm" "--pythons --jobs" "$@"

find_purewheel "$binary"

# The driver needs tomllib (CPython >= 3.11).
find_driver

cache=${PUREWHEEL_E2E_CACHE:-$HOME/.cache/purewheel-e2e}
mkdir -p "$cache"
run_part crc32c --purewheel "$binary" --recipe "$repo/recipes/google-crc32c-pure.toml" \
  --cache "$cache" "${extra[@]}"
