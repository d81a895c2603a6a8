#!/usr/bin/env bash
# The corpus scan of .github/workflows/scan.yml, run here with real pip and real wheels (scripts/e2e/scan.py):
# per shard, the names scripts/scan/pick.py picks from scan/distributions.txt are downloaded with pip into the same
# folder the workflow uses, checked with `check --shard K/N --format jsonl`, and `merge-reports` must then equal,
# byte for byte, an unsharded `check` of all those wheels; pick.py must agree with `check --shard` on every wheel
# of the e2e-popular cache when it is there; a cut-short shard must be refused.
#   scripts/e2e-scan.sh [PUREWHEEL_BINARY]     (default .build/debug/purewheel)
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
binary="${1:-$root/.build/debug/purewheel}"
binary=$(realpath -m "$binary")
python=$(ls -d "$(pyenv root 2>/dev/null)"/versions/3.11.*/bin/python 2>/dev/null | sort -V | tail -n1)
[ -n "$python" ] || python=$(command -v python3)
cd "$root/scripts" && exec "$python" -B -m e2e.scan "$binary"
