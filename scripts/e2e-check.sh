#!/usr/bin/env bash
# No false alarms on real wheels (see scripts/e2e/check.py): every pinned upstream ml-metadata wheel and popular
# pure and binary wheels (one over 500 MB), downloaded with pip and checked against their sha256 pins, get no
# error-severity finding from `purewheel check`; and first, native objects compiled here with gcc (an extension with
# PT_INTERP, libc.so.6, a PIE) in pure wheels fail the check unless they are programs (scripts/e2e/native.py).
#   scripts/e2e-check.sh [PUREWHEEL_BINARY]     (default .build/debug/purewheel)
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
binary="${1:-$root/.build/debug/purewheel}"
binary=$(realpath -m "$binary")
python=$(ls -d "$(pyenv root 2>/dev/null)"/versions/3.11.*/bin/python 2>/dev/null | sort -V | tail -n1)
[ -n "$python" ] || python=$(command -v python3)
cd "$root/scripts" && exec "$python" -B -m e2e.check "$binary"
