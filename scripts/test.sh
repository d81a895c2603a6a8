#!/usr/bin/env bash
# Runs every test: the hermetic Swift suite, then the real-world checks (upstream wheels, pip/uv/installer
# installs, twine, an MLMD gRPC server, emulated ARM), then a short fuzz run. Prints one closing line
# `N passed, N failed` that sums all of them, and exits non-zero if anything failed.
#   bash scripts/test.sh            everything
#   PUREWHEEL_SKIP_E2E=1 bash scripts/test.sh   only the Swift suite
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
logs=$(mktemp -d)
passed=0
failed=0
failed_parts=()

bash scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }

# The e2e driver needs CPython >= 3.11 (tomllib); pyenv's 3.11 when there, as CI runs it.
driver=$(ls -d "$(pyenv root 2>/dev/null)"/versions/3.11.*/bin/python 2>/dev/null | sort -V | tail -n1)
[ -n "$driver" ] || driver=$(command -v python3)
# e2e PART ARGS...: one part of `python -m e2e` (scripts/e2e/).
e2e() { PYTHONPATH="$root/scripts" "$driver" -B -m e2e "$@"; }

# Adds the counts of a part's closing `N passed, N failed` line (or counts the part as one failure).
tally() {
  local name=$1 log=$2 status=$3 line
  line=$(grep -E '^([A-Za-z0-9-]+: )?[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
  if [ -n "$line" ]; then
    p=$(echo "$line" | sed -E 's/^([A-Za-z0-9-]+: )?([0-9]+) passed.*/\2/')
    f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then failed=$((failed + 1)); fi
  else
    if [ "$status" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
  fi
  [ "$status" -ne 0 ] && failed_parts+=("$name")
  echo "== $name: ${line:-exit $status}"
}

echo "== swift build"
if ! swift build --build-tests 2>&1 | tail -n 3; then
  echo "swift build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

echo "== swift test"
swift test --skip-build 2>&1 | tee "$logs/swift-test.log" | grep -E '✘|Test run with|error:' | tail -n 40
status=${PIPESTATUS[0]}
# Swift Testing closes with "Test run with N tests in M suites passed/failed ... with K issues".
total=$(grep -E 'Test run with [0-9]+ tests' "$logs/swift-test.log" | tail -n 1 | sed -E 's/.*Test run with ([0-9]+) tests.*/\1/')
bad_tests=$(grep -E '^✘ Test [^ ]+ .*failed after' "$logs/swift-test.log" | wc -l)
echo "swift: $(( ${total:-0} - bad_tests )) passed, ${bad_tests} failed" > "$logs/swift.count"
[ "$status" -ne 0 ] && [ "$bad_tests" -eq 0 ] && echo "swift: 0 passed, 1 failed" > "$logs/swift.count"
tally "swift test" "$logs/swift.count" "$status"

echo "== swift format lint --strict (house style: .swift-format)"
swift format lint --strict -r Sources Tests Package.swift > "$logs/format.log" 2>&1
status=$?
head -n 20 "$logs/format.log"
findings=$(grep -cE 'error:|warning:' "$logs/format.log")
echo "format: $([ "$status" -eq 0 ] && [ "$findings" -eq 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed")" > "$logs/format.count"
tally "swift format lint" "$logs/format.count" "$([ "$findings" -eq 0 ] && echo "$status" || echo 1)"

if [ "${PUREWHEEL_SKIP_E2E:-0}" != "1" ]; then
  bin="$root/.build/debug/purewheel"
  cache="${PUREWHEEL_E2E_CACHE:-$HOME/.cache/purewheel-e2e}"
  dist="$logs/dist"
  echo "== purewheel build --all-versions (the wheels the MLMD e2e installs)"
  "$bin" build recipes/ml-metadata-remote.toml --all-versions --out "$dist" --cache-dir "$cache/purewheel" > "$logs/build.log" 2>&1
  status=$?
  grep -E '^/|sha256  |^error' "$logs/build.log"
  tally "build --all-versions" "$logs/build.log" "$status"
  if [ -f scripts/check-workflows.sh ]; then
    echo "== check-workflows"
    bash scripts/check-workflows.sh > "$logs/check-workflows.log" 2>&1
    status=$?
    tail -n 8 "$logs/check-workflows.log"
    tally "check-workflows" "$logs/check-workflows.log" "$status"
  fi
  for part in build release check verify-env scan mlmd crc32c; do
    echo "== e2e $part"
    where=(--purewheel "$bin")
    [ "$part" = mlmd ] && where=("$dist")
    [ "$part" = verify-env ] && where+=(--mlmd-dist "$dist")
    e2e "$part" "${where[@]}" > "$logs/e2e-$part.log" 2>&1
    status=$?
    tail -n 25 "$logs/e2e-$part.log"
    tally "e2e $part" "$logs/e2e-$part.log" "$status"
  done
  if [ -f scripts/fuzz.sh ]; then
    echo "== fuzz"
    bash scripts/fuzz.sh --runs "${PUREWHEEL_FUZZ_RUNS:-2000}" > "$logs/fuzz.log" 2>&1
    status=$?
    tail -n 10 "$logs/fuzz.log"
    tally "fuzz" "$logs/fuzz.log" "$status"
  fi
fi

if [ "${PUREWHEEL_SKIP_E2E:-0}" != "1" ]; then
  # The purewheel wheel for Python users: release build, auditwheel, pip/uv installs, SARIF schema validation,
  # GitHub annotations, pyproject configuration, pre-commit hooks.
  echo "== e2e package"
  e2e package > "$logs/e2e-package.log" 2>&1
  status=$?
  tail -n 40 "$logs/e2e-package.log"
  tally "e2e package" "$logs/e2e-package.log" "$status"

  echo "== e2e popular (no error on the current wheels of the most-downloaded projects)"
  e2e popular --purewheel "$bin" > "$logs/e2e-popular.log" 2>&1
  status=$?
  grep -vE '^ok ' "$logs/e2e-popular.log" | tail -n 25
  tally "e2e popular" "$logs/e2e-popular.log" "$status"
fi

if [ ${#failed_parts[@]} -gt 0 ]; then
  echo "failed parts: ${failed_parts[*]} (logs in $logs)"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ ${#failed_parts[@]} -eq 0 ]
