#!/usr/bin/env bash
# The main job on a fresh machine: install the C libraries, build purewheel (release), and build
# ml-metadata-remote from the real upstream ml-metadata wheel (downloaded with pip, checked against its pin).
#   bash scripts/build.sh [VERSION] [OUT]     (defaults: 1.17.1 dist/)
set -euo pipefail
cd "$(dirname "$0")/.."
version="${1:-1.17.1}"
out="${2:-dist}"
bash scripts/setup.sh
swift build -c release --static-swift-stdlib --product purewheel
.build/release/purewheel build recipes/ml-metadata-remote.toml --upstream-version "$version" --out "$out"
