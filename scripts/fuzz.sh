#!/usr/bin/env bash
# Fuzzes `purewheel check` (raw zip parser, libzip streaming, RECORD/WHEEL/METADATA/requirement/file-name
# parsers), the recipe and lock loader, the patch parser and applier, and PEP 440 versions and specifiers with
# libFuzzer through Swift's -sanitize=fuzzer, plus AddressSanitizer for leaks and overflows.
#   scripts/fuzz.sh SECONDS      explore: random seed, the scratch corpus in .build-fuzz/ grows between runs
#   scripts/fuzz.sh --runs N     CI: seed 1, a fresh corpus, N inputs; the same inputs on every machine, so a
#                                failure in CI is a failure here too and never a new random finding
# Seeds: fixtures/fuzz-seeds/ (replayed first by both modes). A crash leaves crash-* in the working folder
# (.build-fuzz/); copy it to fixtures/fuzz-seeds/regressions/ and add a test before fixing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/.build-fuzz"  # matches .gitignore's .build-*/: the corpus is scratch, never committed
mode=(-max_total_time="${1:-60}")
corpus="$work/corpus"
if [ "${1:-}" = "--runs" ]; then
  mode=(-runs="${2:?--runs needs a count}" -seed=1)
  corpus="$(mktemp -d "$work.corpus.XXXXXX")"
  trap 'rm -rf "$corpus"' EXIT
fi
mkdir -p "$work" "$corpus"
cd "$root/scripts/fuzz"
flags=(-c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld)
swift build "${flags[@]}" 2>&1 | tail -3
binary="$(swift build "${flags[@]}" --show-bin-path)/purewheel-fuzz"
cd "$work"
# Third-party leaks only (TOMLKit); see the file.
export LSAN_OPTIONS="suppressions=$root/scripts/fuzz/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
# -timeout turns a hang into a failure.
"$binary" "${mode[@]}" -timeout=10 -rss_limit_mb=2048 -max_len=262144 -print_final_stats=1 \
    "$corpus" "$root/fixtures/fuzz-seeds"
