#!/usr/bin/env bash
# Writes THIRD_PARTY_NOTICES.txt for the purewheel wheel: the licence texts of everything inside it, that is the
# statically linked Swift runtime, ArgumentParser, swift-system, TOMLKit and toml++, and the C libraries auditwheel
# grafts (and zlib, which libzip uses).
#   scripts/package/notices.sh VERSION OUT_FILE
# Run from the repository root after `swift build` (the package checkouts are in .build/checkouts). Each C
# library's licence comes from, in order: $PUREWHEEL_DEPS/licenses/<name> (a library built from its source by
# scripts/package/build-in-image.sh), the Debian package's copyright file, or the RPM package's licence file
# (`rpm -qL`, else its README, where zlib keeps its licence). A licence that none of them has is an error naming
# the library.
set -euo pipefail
version=$1
out=$2
swift_license="$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")/share/swift/LICENSE.txt"

# licence NAME DEBIAN_PACKAGE RPM_PACKAGE: prints `FILE<TAB>WHERE FROM`.
licence() {
  local name=$1 deb=$2 rpm=$3 file
  if [ -n "${PUREWHEEL_DEPS:-}" ] && [ -f "$PUREWHEEL_DEPS/licenses/$name" ]; then
    printf '%s\t%s\n' "$PUREWHEEL_DEPS/licenses/$name" "upstream licence file"
  elif [ -f "/usr/share/doc/$deb/copyright" ]; then
    printf '%s\t%s\n' "/usr/share/doc/$deb/copyright" "Debian copyright file"
  elif command -v rpm >/dev/null \
      && file=$({ rpm -qL "$rpm"; rpm -qd "$rpm"; } 2>/dev/null | grep -m1 -iE '/(licen[cs]e|copying|readme)[^/]*$') \
      && [ -f "$file" ]; then
    printf '%s\t%s\n' "$file" "RPM package $rpm"
  else
    echo "error: no licence text for $name (Debian package $deb, RPM package $rpm)" >&2
    return 1
  fi
}

section() { printf '\n==== %s ====\n\n' "$1"; cat "$2"; }
library() {
  local heading=$1 entry
  shift
  entry=$(licence "$@")
  section "$heading; ${entry#*$'\t'})" "${entry%%$'\t'*}"
}

{
  echo "purewheel $version bundles the following software; each is used under the licence shown."
  section "Swift standard library and runtime (statically linked; Apache-2.0 with Runtime Library Exception)" \
    "$swift_license"
  section "swift-argument-parser (Apache-2.0)" .build/checkouts/swift-argument-parser/LICENSE.txt
  section "swift-system (Apache-2.0 with Runtime Library Exception)" .build/checkouts/swift-system/LICENSE.txt
  section "TOMLKit (MIT)" .build/checkouts/TOMLKit/LICENSE
  printf '\n==== toml++ (MIT), vendored by TOMLKit ====\n\n'
  sed -n '/MIT License/,/^\/\/---/p' .build/checkouts/TOMLKit/Sources/CTOML/Sources/toml.hpp | sed -e 's#^// \{0,1\}##' -e '/^---/d'
  library "libzip (BSD-3-Clause" libzip libzip4 libzip
  library "ISA-L libisal (BSD-3-Clause" isa-l libisal2 isa-l
  library "OpenSSL libcrypto (Apache-2.0 from 3.0, OpenSSL and SSLeay licences before" openssl libssl3 openssl11-libs
  library "bzip2 libbz2 (bzip2-1.0.6" bzip2 libbz2-1.0 bzip2-libs
  library "zlib (Zlib" zlib zlib1g zlib
} > "$out.tmp"
mv "$out.tmp" "$out"
