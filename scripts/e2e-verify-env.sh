#!/usr/bin/env bash
# End-to-end proof of `purewheel verify-env` (scripts/e2e/verify_env.py): fresh environments made by pip, uv and
# `python -m installer` on CPython 3.9-3.13 (each one installed; a skip otherwise) and a `pip install --user` with a
# throwaway HOME verify clean; a tampered environment (modified file, deleted file, orphan .pth with an import line,
# RECORD path out of the prefix, FIFO in place of a listed file) is reported code by code; no run changes a file.
#
#   scripts/e2e-verify-env.sh [PUREWHEEL_BINARY] [--pythons 3.11,3.12]
#
# PUREWHEEL_BINARY defaults to .build/release/purewheel, else .build/debug/purewheel. uv and installer come pinned by
# sha256 (scripts/e2e/requirements/tools.txt) into ${PUREWHEEL_E2E_CACHE:-~/.cache/purewheel-e2e}/verify-env-tools.
# The last line is `N passed, N failed, N skipped`; the exit status is non-zero on any failure.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)

e2e_name=e2e-verify-env.sh
# shellcheck source=lib/e2e-setup.sh
source "$here/lib/e2e-setup.sh"

parse_part_args 2,11 "" "--pythons" "$@"

find_purewheel "$binary"

find_driver

cache=${PUREWHEEL_E2E_CACHE:-$HOME/.cache/purewheel-e2e}
mkdir -p "$cache"
run_part verify_env --purewheel "$binary" --cache "$cache" "${extra[@]}"
