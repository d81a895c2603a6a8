#!/usr/bin/env bash
# End-to-end proof of `purewheel build` on the real upstream ml-metadata wheels (recipes/ml-metadata-remote.toml):
#   1. pip download every pinned upstream file (as purewheel's fetcher does) and verify its sha256 pin
#   2. purewheel build RECIPE --upstream-version 1.17.1 through pip, as a user runs it
#   3. every pinned file builds with --wheel; one sha256 per version (table); Windows inputs compare equal
#   4. each version's output installs with its dependencies in a fresh venv and works (imports, system types,
#      ConnectionConfig refused, no native files); installer --validate-record all, wheel unpack, twine check
#      --strict, check-wheel-contents (only W002), purewheel check --profile pypi, packaging's validation, the SBOM
#      against the CycloneDX 1.6 schema; Metadata 2.5 / Import-Name / licence / classifiers / notices / SBOM contents
#   5. determinism (cwd, TZ, umask, --wheel order, SOURCE_DATE_EPOCH)
#   6. failure behaviour (exit 65 / 66 / 78, no output on failure, a good output is never replaced), and builds
#      sharing an output folder (a kill mid-publish, a simultaneous start), interleaved by strace (needs strace)
#
#   scripts/e2e-build.sh [PUREWHEEL_BINARY] [--python PY] [--jobs N] [--keep]
#
# PUREWHEEL_BINARY defaults to .build/release/purewheel, else .build/debug/purewheel. Upstream files are cached in
# ${PUREWHEEL_E2E_CACHE:-~/.cache/purewheel-e2e}/upstream (a file with the wrong sha256 is downloaded again). pip's
# own configuration (index URL, proxy, credentials) applies. Needs CPython >= 3.11 (pyenv 3.11 preferred) and the
# network for a cold cache. The last line is `N passed, N failed`; the exit status is non-zero on any failure.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)

e2e_name=e2e-build.sh
# shellcheck source=lib/e2e-setup.sh
source "$here/lib/e2e-setup.sh"

parse_part_args 2,17 "--keep" "--python --jobs" "$@"

find_purewheel "$binary"

# The driver needs tomllib (CPython >= 3.11).
find_driver

run_part build --purewheel "$binary" --recipe "$repo/recipes/ml-metadata-remote.toml" \
  ${extra[@]+"${extra[@]}"}
