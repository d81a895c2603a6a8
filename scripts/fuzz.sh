#!/usr/bin/env bash
# Fuzzes `purewheel check` (raw zip parser, libzip streaming, RECORD/WHEEL/METADATA/requirement/file-name
# parsers), the recipe and lock loader, the patch parser and applier, and PEP 440 versions and specifiers with libFuzzer through Swift's -sanitize=fuzzer, plus AddressSanitizer for leaks and overflows.
#   scripts/fuzz.sh SECONDS     (CI: scripts/fuzz.sh 60)
# Seeds: fixtures/fuzz-seeds/. New interesting inputs go to a scratch corpus, not the seeds. A crash leaves
# crash-* in .build-fuzz/; copy it to fixtures/fuzz-seeds/regressions/ and add a test before fixing.
set -euo pipefail
seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/.build-fuzz"  # matches .gitignore's .build-*/: the corpus is scratch, never committed
mkdir -p "$work/corpus"
cd "$root/scripts/fuzz"
swift build -c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld 2>&1 | tail -3
binary="$(swift build -c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld --show-bin-path)/purewheel-fuzz"
cd "$work"
# Third-party leaks only (TOMLKit); see the file.
export LSAN_OPTIONS="suppressions=$root/scripts/fuzz/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
# Seeds first, so regressions replay every run; -timeout turns a hang into a failure.
"$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=262144 -print_final_stats=1 \
    corpus "$root/fixtures/fuzz-seeds"
