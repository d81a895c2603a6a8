#!/usr/bin/env bash
# End-to-end proof for the ml-metadata-remote pure wheels: real MLMD gRPC servers (upstream C++ store), the
# workload through pip / uv / python -m installer on CPython 3.9-3.13, the differential against upstream clients,
# an emulated aarch64 run, and a self-test on sabotaged wheels. See scripts/e2e/README.md.
#
#   scripts/e2e-mlmd.sh [DIST_DIR] [--no-arm] [--no-self-test] [--self-test-broken] [--versions 1.14.0,...] [--run-dir D]
#                       [--hashed-requirements]
#
# DIST_DIR (default dist/) must hold ml_metadata_remote-<v>-py3-none-any.whl for each version: 1.14.0 1.15.0 1.16.0
# 1.17.0 1.17.1 1.21.0 unless --versions names others (a newer one is compared with the newest upstream baseline).
# Caches go to $PUREWHEEL_E2E_CACHE (default ~/.cache/purewheel-e2e). The last line is `N passed, N failed,
# N skipped`; the exit status is non-zero on any failure. --hashed-requirements installs every dependency from the
# hash-pinned sets in scripts/e2e/requirements/mlmd/ (pip --require-hashes), as the release workflow runs it.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
dist="$repo/dist"
args=()
while (($#)); do
  case "$1" in
    --self-test-broken) args+=(--self-test-only) ;;
    --no-arm | --no-self-test | --hashed-requirements) args+=("$1") ;;
    --versions | --pythons | --installers | --jobs) args+=("$1" "${2:?$1 needs a value}"); shift ;;
    --run-dir) args+=("$1" "$(realpath -m "${2:?$1 needs a value}")"); shift ;;
    -h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "e2e-mlmd.sh: unknown option $1" >&2; echo "0 passed, 1 failed"; exit 64 ;;
    *) dist="$1" ;;
  esac
  shift
done

# The driver needs CPython >= 3.11 with venv and pip (tomllib reads the recipe's lock); prefer pyenv's 3.11 (also a
# server interpreter).
driver=""
if command -v pyenv >/dev/null; then
  driver=$(ls -d "$(pyenv root)"/versions/3.11.*/bin/python 2>/dev/null | sort -V | tail -n1)
fi
[[ -n "$driver" ]] || driver=$(command -v python3 || true)
if [[ -z "$driver" ]] || ! "$driver" -c 'import sys, venv, tomllib' 2>/dev/null; then
  echo "e2e-mlmd.sh: no CPython >= 3.11 found (pyenv or python3)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
if [[ ! -d "$dist" ]]; then
  echo "e2e-mlmd.sh: error: $dist is not a directory" >&2
  echo "  hint: build the pure wheels first (purewheel build) or pass their directory" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
dist=$(cd "$dist" && pwd)
export PUREWHEEL_E2E_CACHE=${PUREWHEEL_E2E_CACHE:-$HOME/.cache/purewheel-e2e}
mkdir -p "$PUREWHEEL_E2E_CACHE"
cd "$here" && exec "$driver" -B -m e2e.mlmd "$dist" --cache "$PUREWHEEL_E2E_CACHE" ${args[@]+"${args[@]}"}
