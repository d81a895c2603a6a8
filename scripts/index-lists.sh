#!/usr/bin/env bash
# Regenerates the tables of PyPI's classifier and licence lists, Sources/WheelChecks/Checks/TroveClassifiers.swift
# (PW645, PW648) and SPDXLicenseList.swift (PW649), from the releases pinned by version and hash in
# scripts/index_lists/requirements.txt. pip downloads the two wheels (your index settings apply) and
# index_lists/generate.py reads their data with `ast`; nothing is installed and no downloaded code runs.
# To move to a newer list, change the pins (version and sha256), run this, and update the versions in docs/check.md.
#   scripts/index-lists.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --no-deps --only-binary=:all: --require-hashes \
  -r "$root/scripts/index_lists/requirements.txt" -d "$work"
python3 "$root/scripts/index_lists/generate.py" "$work"/trove_classifiers-*.whl "$work"/packaging-*.whl \
  "$root/Sources/WheelChecks/Checks"
echo "wrote Sources/WheelChecks/Checks/TroveClassifiers.swift and SPDXLicenseList.swift"
