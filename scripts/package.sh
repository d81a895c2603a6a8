#!/usr/bin/env bash
# Builds the purewheel wheel that Python users install with `pip install purewheel`:
#   1. `swift build -c release --static-swift-stdlib` (the binary then needs only glibc, libstdc++, libgcc_s,
#      libzip, libcrypto, libisal, libbz2 and libz),
#   2. lays it out as dist/purewheel-<v>-py3-none-linux_<arch>.whl (scripts/package/make_wheel.py: binary in
#      .data/scripts/, METADATA with the README's description, licence notices, RECORD),
#   3. `auditwheel repair` grafts the shared libraries that are not part of the manylinux baseline into the
#      wheel and retags it manylinux_2_<glibc>_<arch>, so it runs on any glibc at least as new as it needs,
#   4. scripts/package/relocate.py undoes auditwheel's Python stub: the binary itself stays the wheel's script and
#      finds the grafted libraries in .data/data/libexec/purewheel/ through the run path $ORIGIN/../libexec/purewheel,
#      which holds for every install scheme (venv, --user, --prefix, --target),
#   5. checks the result with purewheel itself, `twine check --strict`, and `python -m installer --validate-record all`
#      into a scratch prefix whose bin/purewheel must be an ELF file that finds every library and runs.
# Prints the repaired wheel's path on its last line.
#   scripts/package.sh [OUT_DIR]          (default dist/)
# Tools (scripts/package/requirements.in, locked with hashes in requirements.txt; CPython >= 3.11) live in a venv under
# ${PUREWHEEL_E2E_CACHE:-~/.cache/purewheel-e2e}/package/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/dist}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
cache="${PUREWHEEL_E2E_CACHE:-$HOME/.cache/purewheel-e2e}"
python=$(ls -d "$(pyenv root 2>/dev/null)"/versions/3.1[1-9].*/bin/python 2>/dev/null | sort -V | head -n1 || true)
[ -n "$python" ] || python=$(command -v python3)
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "error: $python is older than CPython 3.11, which the packaging tools need (scripts/package/requirements.txt)" >&2
  exit 69
fi

# The tools venv, rebuilt when the pins change.
key=$(sha256sum "$root/scripts/package/requirements.txt" | cut -c1-12)
tools="$cache/package/tools-$key"
if [ ! -x "$tools/bin/auditwheel" ]; then
  echo "== installing packaging tools into $tools"
  rm -rf "$tools"
  "$python" -m venv "$tools"
  "$tools/bin/python" -m pip install -q --disable-pip-version-check --require-hashes -r "$root/scripts/package/requirements.txt"
fi
export PATH="$tools/bin:$PATH"

echo "== swift build -c release --static-swift-stdlib"
cd "$root"
bash scripts/setup.sh
swift build -c release --static-swift-stdlib --product purewheel 2>&1 | tail -n 2
binary="$(swift build -c release --static-swift-stdlib --show-bin-path)/purewheel"
version=$("$binary" --version | awk '{print $2}')
arch=$(uname -m)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$binary" "$work/purewheel"
strip "$work/purewheel"

# Licence texts of everything inside the wheel: the project's own (if the repository has one), then the statically
# linked Swift runtime, ArgumentParser, swift-system, TOMLKit and toml++, and the libraries auditwheel grafts.
notices="$work/THIRD_PARTY_NOTICES.txt"
{
  section() { printf '\n==== %s ====\n\n' "$1"; cat "$2"; }
  echo "purewheel $version bundles the following software; each is used under the licence shown."
  section "Swift standard library and runtime (statically linked; Apache-2.0 with Runtime Library Exception)" \
    "$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")/share/swift/LICENSE.txt"
  section "swift-argument-parser (Apache-2.0)" .build/checkouts/swift-argument-parser/LICENSE.txt
  section "swift-system (Apache-2.0 with Runtime Library Exception)" .build/checkouts/swift-system/LICENSE.txt
  section "TOMLKit (MIT)" .build/checkouts/TOMLKit/LICENSE
  printf '\n==== toml++ (MIT), vendored by TOMLKit ====\n\n'
  sed -n '/MIT License/,/^\/\/---/p' .build/checkouts/TOMLKit/Sources/CTOML/Sources/toml.hpp | sed -e 's#^// \{0,1\}##' -e '/^---/d'
  section "libzip (BSD-3-Clause; Debian copyright file)" /usr/share/doc/libzip4/copyright
  section "ISA-L libisal (BSD-3-Clause; Debian copyright file)" /usr/share/doc/libisal2/copyright
  section "OpenSSL libcrypto (Apache-2.0; Debian copyright file)" /usr/share/doc/libssl3/copyright
  section "bzip2 libbz2 (bzip2-1.0.6; Debian copyright file)" /usr/share/doc/libbz2-1.0/copyright
  section "zlib (Zlib; Debian copyright file)" /usr/share/doc/zlib1g/copyright
} > "$notices"
license_files=()
for candidate in LICENSE LICENSE.txt LICENSE.md COPYING; do
  [ -f "$root/$candidate" ] && license_files+=("$root/$candidate")
done

echo "== laying out the wheel"
raw=$("$python" scripts/package/make_wheel.py "$work/purewheel" "$version" "linux_$arch" README.md "$work/raw" \
  "${license_files[@]}" "$notices")
echo "$raw"

echo "== auditwheel repair"
auditwheel show "$raw" | sed -n '1,6p'
rm -f "$out"/purewheel-"$version"-*.whl
auditwheel repair --wheel-dir "$work/repaired" "$raw" 2>&1 | tail -n 3
repaired=$(ls "$work"/repaired/purewheel-"$version"-*.whl)

echo "== the binary back as the wheel's script (scripts/package/relocate.py)"
wheel=$("$python" -B scripts/package/relocate.py "$repaired" "$work/relocated")
mv "$wheel" "$out/"
wheel="$out/$(basename "$wheel")"
"$python" -c 'import sys, zipfile; print(*("  " + n for n in zipfile.ZipFile(sys.argv[1]).namelist()), sep="\n")' "$wheel"

echo "== dogfood: purewheel check"
"$binary" check "$wheel"
echo "== twine check --strict"
twine check --strict "$wheel"
echo "== python -m installer --validate-record all, into a scratch prefix"
probe="$work/probe"
"$tools/bin/python" -m installer --validate-record all --destdir "$probe" --prefix /usr/local "$wheel"
installed="$probe/usr/local/bin/purewheel"
if [ "$(head -c 4 "$installed" | od -An -c | tr -d ' ')" != '177ELF' ]; then
  echo "error: $installed is not an ELF file" >&2
  exit 1
fi
deps=$(env -u LD_LIBRARY_PATH ldd "$installed")
if grep 'not found' <<< "$deps"; then
  echo "error: $installed does not find every library through its run path" >&2
  exit 1
fi
env -u LD_LIBRARY_PATH "$installed" --version
ls -l "$wheel"
echo "$wheel"
