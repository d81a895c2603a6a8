#!/usr/bin/env bash
# No false alarm on the current wheels of the most-downloaded PyPI projects (scripts/e2e_popular/projects.txt,
# from the package list's download ranks): pip picks each project's wheel for this interpreter, wheels over
# 50 MB are skipped (counted in the output), and `purewheel check --profile pypi` must give none an error
# that the default profile reports, unless scripts/e2e_popular/allowlist.tsv argues it as a true defect.
# The log names version and sha256 of every wheel checked; nothing is pinned.
#   scripts/e2e-popular.sh [PUREWHEEL_BINARY]     (default .build/debug/purewheel)
#   PUREWHEEL_E2E_CACHE (default ~/.cache/purewheel-e2e); PUREWHEEL_E2E_REFRESH=1 re-resolves within 24 h.
# Warm with a resolution younger than 24 h: ~1 min; re-resolving through pip: 5-10 min on 2 busy cores.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
binary="${1:-$root/.build/debug/purewheel}"
cache="${PUREWHEEL_E2E_CACHE:-$HOME/.cache/purewheel-e2e}/popular"
python=$(ls -d "$(pyenv root 2>/dev/null)"/versions/3.11.*/bin/python 2>/dev/null | sort -V | tail -n1)
[ -n "$python" ] || python=$(command -v python3)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
reuse=24
[ "${PUREWHEEL_E2E_REFRESH:-0}" = 1 ] && reuse=0
start=$(date +%s)
"$python" "$root/scripts/e2e_popular/fetch.py" "$root/scripts/e2e_popular/projects.txt" "$cache" "$work/manifest.tsv" \
  --max-bytes 50000000 --reuse-hours "$reuse" || { echo "fetch failed"; echo "e2e-popular: 0 passed, 1 failed"; exit 1; }
echo "fetched in $(( $(date +%s) - start )) s"
# Many files per invocation, two invocations at a time (each already streams a large wheel on two threads).
awk -F'\t' 'NR > 1 && $5 == "ok" { print $3 }' "$work/manifest.tsv" | sed "s|^|$cache/|" > "$work/files"
split -n r/8 "$work/files" "$work/batch."
for batch in "$work"/batch.*; do
  [ -s "$batch" ] && echo "$batch"
done | xargs -P 2 -I{} bash -c 'mapfile -t f < "$1"; "$2" check --profile pypi --format json "${f[@]}" > "$1.json"; [ $? -le 1 ]' _ {} "$binary" \
  || { echo "purewheel check crashed"; echo "e2e-popular: 0 passed, 1 failed"; exit 1; }
echo "checked in $(( $(date +%s) - start )) s"
exec "$python" "$root/scripts/e2e_popular/evaluate.py" "$work/manifest.tsv" "$root/scripts/e2e_popular/allowlist.tsv" "$work"/batch.*.json
