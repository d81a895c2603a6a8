#!/usr/bin/env bash
# The manual baseline for `purewheel build`: what a person does by hand for the ml-metadata recipe, as
# shell steps: `wheel unpack` (checks RECORD), delete the extension, `patch`, copy the injected module,
# edit METADATA and WHEEL with sed, rename the .dist-info folder, `wheel pack` (writes RECORD).
#   manual_build.sh PYTHON WHEEL VERSION OUTDIR      (run from the repository root; 1.14.0 and 1.17.x)
set -euo pipefail
python="$1" wheel="$2" version="$3" out="$4"
recipe=recipes/ml-metadata-remote
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$python" -m wheel unpack -d "$work" "$wheel" >/dev/null
root="$work/ml_metadata-$version"
rm -f "$root"/ml_metadata/metadata_store/pywrap/metadata_store_extension.* "$root/ml_metadata/metadata_store/pywrap/__init__.py" \
  "$root/ml_metadata/metadata_store/metadata_store_test.py"
case "$version" in
  1.14.0 | 1.15.0 | 1.16.0)
    rm -f "$root/ml_metadata/metadata_store/types_test.py"
    patches="0002-remote-only-metadata-store-1.14-1.16.diff 0004-system-types-without-extension-1.14-1.16.diff" ;;
  *)
    rm -f "$root/ml_metadata/metadata_store/conftest.py"
    patches="0003-remote-only-metadata-store-1.17-and-later.diff 0005-system-types-without-extension-1.17-and-later.diff"
    sed -i 's/^Requires-Dist: protobuf.*/Requires-Dist: protobuf<5,>=4.21.6; python_version < "3.11"\nRequires-Dist: protobuf<5,>=4.25.2; python_version >= "3.11"/' \
      "$root/ml_metadata-$version.dist-info/METADATA" ;;
esac
for p in $patches; do patch -s --no-backup-if-mismatch -p1 -d "$root" < "$recipe/patches/$p"; done
cp "$recipe/inject/ml_metadata/simple_types/simple_types_constants.py" "$root/ml_metadata/simple_types/"
info="$root/ml_metadata-$version.dist-info"
sed -i -e 's/^Name: .*/Name: ml-metadata-remote/' -e 's/^Summary: .*/Summary: ML Metadata as a pure-Python gRPC client only/' "$info/METADATA"
sed -i -e '/^Tag: /d' -e '/^$/d' -e 's/^Root-Is-Purelib: .*/Root-Is-Purelib: true/' "$info/WHEEL"
echo "Tag: py3-none-any" >> "$info/WHEEL"
mv "$info" "$root/ml_metadata_remote-$version.dist-info"
mv "$root" "$work/ml_metadata_remote-$version"
"$python" -m wheel pack -d "$out" "$work/ml_metadata_remote-$version" >/dev/null
