#!/usr/bin/env bash
# Builds the purewheel release binary inside the official Swift image with the oldest glibc Swift 6.3 ships for
# (Amazon Linux 2, glibc 2.26; see docs/releasing.md, "Releasing purewheel itself"), so that the wheel
# scripts/package.sh makes from it carries the lowest manylinux tag the build reaches. Run as root in the image,
# from the repository root:
#   docker run --rm -v "$PWD:/src" -w /src <swift amazonlinux2 image> bash scripts/package/build-in-image.sh OUT_DIR
# then, outside the image: PUREWHEEL_PREBUILT=OUT_DIR bash scripts/package.sh dist
# Writes OUT_DIR/purewheel (`swift build -c release --static-swift-stdlib`), OUT_DIR/lib/ (the libraries it loads
# beyond glibc, libstdc++, libgcc_s and zlib, which auditwheel grafts into the wheel) and
# OUT_DIR/THIRD_PARTY_NOTICES.txt (scripts/package/notices.sh).
# Amazon Linux 2 has no ISA-L and a libzip too old for purewheel (0.11), so both are built from their release
# sources, checked against the sha256 below; OpenSSL 1.1 (openssl11, for EVP_MD_CTX_new) and bzip2 come from yum.
set -euo pipefail
out=$1
deps=/opt/purewheel-deps
sources=/tmp/purewheel-sources
# name version url sha256 (sha256 as published with Homebrew's formulae for these releases)
libzip=(libzip 1.11.4 https://libzip.org/download/libzip-1.11.4.tar.xz
  8a247f57d1e3e6f6d11413b12a6f28a9d388de110adc0ec608d893180ed7097b)
isal=(isa-l 2.32.1 https://github.com/intel/isa-l/archive/refs/tags/v2.32.1.tar.gz
  d9f7179ab0e14a3db9b610fac22793854a1435e8423ec9ce07f4cbedc5f92f5e)
# ISA-L's x86-64 code is nasm assembly and needs nasm 2.14.01 or later; Amazon Linux 2 has an older one.
nasm=(nasm 2.16.03 https://www.nasm.us/pub/nasm/releasebuilds/2.16.03/nasm-2.16.03.tar.xz
  1412a1c760bbd05db026b6c0d1657affd6631cd0a63cddb6f73cc6d4aa616148)

# fetch NAME VERSION URL SHA256: unpacks the checked tarball into $sources/NAME and prints that folder.
fetch() {
  local name=$1 url=$3 sha256=$4 archive
  archive="$sources/$(basename "$url")"
  curl -fsSL --retry 3 -o "$archive" "$url"
  echo "$sha256  $archive" | sha256sum --check --strict >&2
  mkdir -p "$sources/$name"
  tar -xf "$archive" -C "$sources/$name" --strip-components=1
  echo "$sources/$name"
}

echo "== build tools and libraries from yum"
install=(yum -y -q --setopt=skip_missing_names_on_install=False install)
"${install[@]}" bzip2-devel zlib-devel make autoconf automake libtool cmake3 pkgconfig xz tar gzip binutils
# The image's openssl-devel is OpenSSL 1.0.2, which lacks the 1.1 API purewheel uses; openssl11-devel conflicts
# with it.
yum -y -q remove openssl-devel
"${install[@]}" openssl11-devel
mkdir -p "$sources" "$deps/lib/pkgconfig" "$deps/licenses"
export PKG_CONFIG_PATH="$deps/lib/pkgconfig"
# SwiftPM asks pkg-config for `libcrypto`; openssl11-devel names it libcrypto11.
if ! pkg-config --exists libcrypto && pkg-config --exists libcrypto11; then
  cat > "$deps/lib/pkgconfig/libcrypto.pc" <<PC
Name: libcrypto
Description: OpenSSL 1.1 libcrypto (Amazon Linux 2 openssl11)
Version: $(pkg-config --modversion libcrypto11)
Cflags: $(pkg-config --cflags libcrypto11)
Libs: $(pkg-config --libs libcrypto11)
PC
fi
pkg-config --exists 'libcrypto >= 1.1' || { echo "error: no libcrypto 1.1 or later for pkg-config" >&2; exit 1; }

if [ "$(uname -m)" = x86_64 ]; then
  echo "== nasm ${nasm[1]}"
  src=$(fetch "${nasm[@]}")
  (cd "$src" && ./configure -q --prefix="$deps" && make -s -j"$(nproc)" nasm && install -D nasm "$deps/bin/nasm")
  export PATH="$deps/bin:$PATH"
fi

echo "== ISA-L ${isal[1]}"
src=$(fetch "${isal[@]}")
(cd "$src" && ./autogen.sh >/dev/null && ./configure -q --prefix="$deps" --libdir="$deps/lib" \
  && make -s -j"$(nproc)" && make -s install)
cp "$src/LICENSE" "$deps/licenses/isa-l"

echo "== libzip ${libzip[1]}"
src=$(fetch "${libzip[@]}")
cmake3 -S "$src" -B "$src/build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$deps" \
  -DCMAKE_INSTALL_LIBDIR=lib -DBUILD_TOOLS=OFF -DBUILD_REGRESS=OFF -DBUILD_OSSFUZZ=OFF -DBUILD_EXAMPLES=OFF \
  -DBUILD_DOC=OFF -DENABLE_GNUTLS=OFF -DENABLE_MBEDTLS=OFF -DENABLE_OPENSSL=OFF -DENABLE_LZMA=OFF \
  -DENABLE_ZSTD=OFF -DENABLE_BZIP2=ON >/dev/null
cmake3 --build "$src/build" -j"$(nproc)" >/dev/null
cmake3 --install "$src/build" >/dev/null
cp "$src/LICENSE" "$deps/licenses/libzip"

echo "== swift build -c release --static-swift-stdlib"
swift --version
export LD_LIBRARY_PATH="$deps/lib"
swift build -c release --static-swift-stdlib --product purewheel 2>&1 | tail -n 2
binary="$(swift build -c release --static-swift-stdlib --show-bin-path)/purewheel"
version=$("$binary" --version | awk '{print $2}')

rm -rf "$out"
mkdir -p "$out/lib"
cp "$binary" "$out/purewheel"
# Everything the loader finds beyond the manylinux baseline travels with the binary.
ldd "$binary" | awk '$2 == "=>" && $3 ~ /^\// {print $1, $3}' | while read -r soname path; do
  case "$soname" in
    libc.so.* | libm.so.* | libstdc++.so.* | libgcc_s.so.* | libz.so.* | libpthread.so.* | libdl.so.* \
      | librt.so.* | ld-linux*) ;;
    *) cp -L "$path" "$out/lib/$soname" ;;
  esac
done
PUREWHEEL_DEPS="$deps" bash scripts/package/notices.sh "$version" "$out/THIRD_PARTY_NOTICES.txt"
ls -l "$out" "$out/lib"
# The workspace is the runner's: give back what the build wrote.
owner=$(stat -c %u:%g .)
chown -R "$owner" "$out" .build
