#!/usr/bin/env bash
# End-to-end proof of the release path on this machine (no network but the package registries):
#   1. test-made next releases of ml-metadata, served by a local pypiserver: 1.22.0 (the real 1.21.0 files with every
#      patched region of metadata_store.py moved by 3 lines) and a broken 1.23.0 (a line inside a patched region
#      changed)
#   2. purewheel pending -> lock -> lock-diff -> build -> check -> provenance for 1.22.0 with no recipe edit, then
#      the MLMD workload (e2e-mlmd.sh, CPython 3.11, pip, hash-pinned dependencies) against real MLMD gRPC servers
#   3. the broken 1.23.0: lock and build exit 78 naming the patch and the hunk; nothing written
#   4. publish with twine to a second pypiserver with upload authentication (htpasswd); wrong password and re-upload
#      refused; pip installs it from there into a fresh venv; pending no longer lists it
#   4b. a fixed repack: the recipe gives the published 1.22.0 `revision = 1`; pending lists it again, build writes
#      1.22.0.post1 (METADATA, .dist-info, SBOM purl; the lock unchanged), the statement records the revision
#      (another claimed revision is exit 4), the index takes the new file name and pip picks it over 1.22.0
#   5. bad input: exit 66 / 74 / 78 / 3 with messages naming the thing; the lock and outputs unchanged
#   5b. a misbehaving index on 127.0.0.1 (HTTP 429/407/410, a login page, TLS, untrusted http, slow, rate-limiting,
#      lying): exit 74 (65 for the lying one), never "nothing pending"; what counts as published
# It works on a temporary copy of recipes/ (the repository's recipe and lock are never written) and stops every
# server it starts by PID, also on failure.
#
#   scripts/e2e-release.sh [PUREWHEEL_BINARY] [--python PY] [--keep] [--only faults]
#
# PUREWHEEL_BINARY defaults to .build/release/purewheel, else .build/debug/purewheel. Tools (pypiserver, passlib,
# twine: scripts/e2e/requirements/release-tools.txt, --require-hashes), the real upstream files and the dependency wheelhouse
# are cached under ${PUREWHEEL_E2E_CACHE:-~/.cache/purewheel-e2e}. Needs CPython >= 3.11. The last line is
# `N passed, N failed`; the exit status is non-zero on any failure.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)

e2e_name=e2e-release.sh
# shellcheck source=lib/e2e-setup.sh
source "$here/lib/e2e-setup.sh"

parse_part_args 2,23 "--keep" "--python --only" "$@"

find_purewheel "$binary"

# The driver needs tomllib (CPython >= 3.11).
find_driver

export PUREWHEEL_E2E_CACHE=${PUREWHEEL_E2E_CACHE:-$HOME/.cache/purewheel-e2e}
run_part release --purewheel "$binary" --repo "$repo" ${extra[@]+"${extra[@]}"}
