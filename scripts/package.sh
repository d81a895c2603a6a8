#!/usr/bin/env bash
# Builds the purewheel wheel that Python users install with `pip install purewheel`:
#   1. `swift build -c release --static-swift-stdlib` (the binary then needs only glibc, libstdc++, libgcc_s,
#      libzip, libcrypto, libisal, libbz2 and libz; FoundationEssentials only, no full Foundation or ICU: checked),
#   2. lays it out as dist/purewheel-<v>-py3-none-linux_<arch>.whl (scripts/package/make_wheel.py: binary in
#      .data/scripts/, METADATA with the README's description, licence notices (scripts/package/notices.sh), RECORD),
#   3. computes the platform tag from what the binary and the libraries it carries really need
#      (scripts/package/platform_tag.py: the newest symbol versions they take from glibc, libstdc++ and libgcc_s,
#      against the manylinux baselines), checks that `auditwheel show` reaches the same tag, and has
#      `auditwheel repair --plat <tag>` graft the shared libraries that are not part of the baseline into the wheel,
#      so it installs on any glibc at least as new as it needs: built on a newer glibc, the tag is higher,
#   4. scripts/package/relocate.py undoes auditwheel's Python stub: the binary itself stays the wheel's script and
#      finds the grafted libraries in .data/data/libexec/purewheel/ through the run path $ORIGIN/../libexec/purewheel,
#      which holds for every install scheme (venv, --user, --prefix, --target),
#   5. checks the result with purewheel itself, `twine check --strict`, and `python -m installer --validate-record all`
#      into a scratch prefix whose bin/purewheel must be an ELF file that finds every library and runs.
# Prints the repaired wheel's path on its last line.
#   scripts/package.sh [OUT_DIR]          (default dist/)
# PUREWHEEL_PREBUILT=DIR packages a binary built elsewhere instead of building one (the release workflow builds it
# in an older-glibc image with scripts/package/build-in-image.sh): DIR/purewheel, the libraries it loads that this
# system must not supply in DIR/lib/, and DIR/THIRD_PARTY_NOTICES.txt.
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

cd "$root"
prebuilt="${PUREWHEEL_PREBUILT:-}"
if [ -n "$prebuilt" ]; then
  prebuilt="$(cd "$prebuilt" && pwd)"
  echo "== the binary built elsewhere: $prebuilt"
  binary="$prebuilt/purewheel"
  export LD_LIBRARY_PATH="$prebuilt/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
else
  echo "== swift build -c release --static-swift-stdlib"
  bash scripts/setup.sh
  swift build -c release --static-swift-stdlib --product purewheel 2>&1 | tail -n 2
  binary="$(swift build -c release --static-swift-stdlib --show-bin-path)/purewheel"
fi
# FoundationEssentials only: full Foundation would bring FoundationInternationalization and ICU's data (about 30 MB
# of the binary and a slower start), statically linked or as the shared libraries below.
if ldd "$binary" | grep -E 'lib(Foundation|FoundationInternationalization|_FoundationICU)\.so' || grep -aq 'icudt[0-9]*l' "$binary"; then
  echo "error: $binary links full Foundation or ICU data; the executable's modules may import FoundationEssentials only" >&2
  exit 1
fi
version=$("$binary" --version | awk '{print $2}')
arch=$(uname -m)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$binary" "$work/purewheel"
strip "$work/purewheel"

# Licence texts of everything inside the wheel.
notices="$work/THIRD_PARTY_NOTICES.txt"
if [ -n "$prebuilt" ]; then
  cp "$prebuilt/THIRD_PARTY_NOTICES.txt" "$notices"
else
  bash scripts/package/notices.sh "$version" "$notices"
fi
license_files=()
for candidate in LICENSE LICENSE.txt LICENSE.md COPYING; do
  [ -f "$root/$candidate" ] && license_files+=("$root/$candidate")
done

echo "== laying out the wheel"
raw=$("$python" scripts/package/make_wheel.py "$work/purewheel" "$version" "linux_$arch" README.md "$work/raw" \
  "${license_files[@]}" "$notices")
echo "$raw"

echo "== the platform tag from the ELF files' needs (scripts/package/platform_tag.py)"
"$tools/bin/python" -B scripts/package/test_platform_tag.py | sed 's/^/  /'
plat=$("$tools/bin/python" -B scripts/package/platform_tag.py "$work/purewheel")
# auditwheel's own reading of the symbol versions (sym_tag: before grafting, which the repair then does).
shown=$(auditwheel show --json "$raw" 2>/dev/null | "$python" -c 'import json, sys; print(json.load(sys.stdin)["sym_tag"])')
if [ "$shown" != "$plat" ]; then
  echo "error: platform_tag.py says $plat, auditwheel show says $shown" >&2
  exit 1
fi
echo "auditwheel show agrees: $shown"

echo "== auditwheel repair --plat $plat"
rm -f "$out"/purewheel-"$version"-*.whl
auditwheel repair --plat "$plat" --wheel-dir "$work/repaired" "$raw" 2>&1 | tail -n 3
repaired=$(ls "$work"/repaired/purewheel-"$version"-*.whl)
case "$(basename "$repaired")" in
  purewheel-"$version"-py3-none-"$plat".*whl | purewheel-"$version"-py3-none-"$plat".whl) ;;
  *) echo "error: auditwheel wrote $(basename "$repaired"), not a $plat wheel" >&2; exit 1 ;;
esac

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
echo "== the standalone tarball the release attaches (scripts/package/standalone.py), unpacked and run"
tarball=$("$python" -B scripts/package/standalone.py "$wheel" "$work/standalone")
mkdir -p "$work/unpacked"
tar -xzf "$tarball" -C "$work/unpacked"
env -u LD_LIBRARY_PATH "$work/unpacked/$(basename "$tarball" .tar.gz)/bin/purewheel" --version
ls -l "$wheel"
echo "$wheel"
