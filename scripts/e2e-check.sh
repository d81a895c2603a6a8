#!/usr/bin/env bash
# No false alarms on real wheels: every upstream ml-metadata wheel and popular pure and binary wheels,
# downloaded with pip (the user's index settings apply) and verified against the sha256 pins below, must get
# no error-severity finding from `purewheel check`. Warnings are printed, not failed.
#   scripts/e2e-check.sh [cache-folder]      (default .cache/e2e-check)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="${1:-$root/.cache/e2e-check}"
mkdir -p "$cache"
cd "$root"
swift build -c release --product purewheel >/dev/null
purewheel="$(swift build -c release --show-bin-path)/purewheel"

# sha256  file name
pins="$(cat <<'PINS'
50ef7c83e917f591639447e8b395fb97abded9a86be9afddab79b2155eb5a32c  ml_metadata-1.14.0-cp310-cp310-macosx_12_0_x86_64.whl
69bd8690c0c54a9332f4958ec4c541d44f994a7d7e382801fa242e63b182ec37  ml_metadata-1.14.0-cp310-cp310-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
367e9bfe8449baed86242ba0ffc7956b0e8cac1d0bb0ccb296ff5634410fd07b  ml_metadata-1.14.0-cp310-cp310-win_amd64.whl
8823d01fa3488a6918ce8c7b318929b71aff0774c238b2426cc469d2ee115efd  ml_metadata-1.14.0-cp38-cp38-macosx_12_0_x86_64.whl
ebaabd99c1028a98a947787a9d195b752c787270bc5105b2414cdefb0204c0d0  ml_metadata-1.14.0-cp38-cp38-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
b40be36440a63b40a4a788a40fbbe37c086cc89977867f10ae17150146474098  ml_metadata-1.14.0-cp38-cp38-win_amd64.whl
5671da7d3f765fb37d7c2a302d597ad0adeaf9655bf0e59dbe06ff7e9f6b155e  ml_metadata-1.14.0-cp39-cp39-macosx_12_0_x86_64.whl
92bdfccdfe3755ad1545ed052c84f47880713ce49e72a5fcc395ad6699ccedd9  ml_metadata-1.14.0-cp39-cp39-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
8dd44943c61716a9086635f24b75c3b18e1bee33cf5a600600616f0307400845  ml_metadata-1.14.0-cp39-cp39-win_amd64.whl
47b1267839b780cf78a0b4d3c89f48c85441f9b1ae15e4945fc1d66721ba80b9  ml_metadata-1.15.0-cp310-cp310-macosx_12_0_x86_64.whl
96f9acac134314f721b14e9c8d878694ca55dabd6d3587956c51de7a48459fec  ml_metadata-1.15.0-cp310-cp310-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
fba07a3997a7c931511fdd1b3566cd3ff09c703ab135ca0fcb9ed7a13f9209a3  ml_metadata-1.15.0-cp311-cp311-macosx_12_0_x86_64.whl
8012d6e4b217c2b8f4f3a5c8afc9c610c8b442fdce4d90d4a24d164025f6faa4  ml_metadata-1.15.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
9e4255d8ddb7ce77dbf76e8bda8e1de3867d54990d47fb313682f53edc28d48e  ml_metadata-1.15.0-cp39-cp39-macosx_12_0_x86_64.whl
9bb79d9984b308f2a5a8b0aea7b71985bbf5510a890cac31726f5e0425478620  ml_metadata-1.15.0-cp39-cp39-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
1e4d559befa38b4d464565c7fafd7cd30b6acd39f236e1d0224ea22cdf0fa5e6  ml_metadata-1.16.0-cp310-cp310-macosx_12_0_x86_64.whl
cd93577d76e4158cce42c3b98cc2a9d88955137f846e17a2fec3ffe72ba9f0bb  ml_metadata-1.16.0-cp310-cp310-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
e0a0cc74c1e213ad305cfa562445c156aee70400ccadb249b77e3c8b2da53904  ml_metadata-1.16.0-cp311-cp311-macosx_12_0_x86_64.whl
e5d2cd458030df565867957f8dc961dbe9298e3fa22c7f9b86c850ffa7915465  ml_metadata-1.16.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
92dd42a6540f0133a04c187c44a7baaf062e49ce054aab5cc965344fcba1ad7a  ml_metadata-1.16.0-cp39-cp39-macosx_12_0_x86_64.whl
8ebc8172cd360688f9e41bb1d338c7d24f81e0907ac2ac7be50aed6200274993  ml_metadata-1.16.0-cp39-cp39-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
83eafa17bca61117c1794de311fa0fe33b2672982a1f6dedb54a467bfd8c967f  ml_metadata-1.17.0-cp310-cp310-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
6fa353ad2715d5c8766243b50d4ae00da2e5174e563cb5799dfd78fa7751a01d  ml_metadata-1.17.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
5d0403b8601515deeb1f63d420be6731d394c88942498c59a86954500d2dc54a  ml_metadata-1.17.0-cp39-cp39-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
9fae44f5f82210d2607df096f7ce86bdfe5ec9f9719a8854f7497d9edfb6b91d  ml_metadata-1.17.1-cp310-cp310-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
bea3b6dc37a29ba50e4253ae5e15c2c6b3e9a5f16748f37cd5f0f470c4f27eac  ml_metadata-1.17.1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
681a468378c78663420c5f3dd05767a368a1cd2789e1b16f6fe8067ee4470dcc  ml_metadata-1.17.1-cp39-cp39-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
c9b85c654771536f9e14dfe37e84c06a578ae5a49bb217d2e5b25eb49c9ea3e3  ml_metadata-1.21.0-cp310-cp310-macosx_11_0_arm64.whl
a2a0e2049b7d0a3c7de843cdde82bbe089e91a6963e80862b167c71a21b0e7fc  ml_metadata-1.21.0-cp310-cp310-manylinux_2_39_x86_64.whl
6ff0bd82217516ee93294c4b9600618c9314380db7342e28e94c2214f5210040  ml_metadata-1.21.0-cp311-cp311-macosx_11_0_arm64.whl
ad35b9462ce1971d3ca1bc672c36abf2494a738410fa3ac3519131274ea5ae9b  ml_metadata-1.21.0-cp311-cp311-manylinux_2_39_x86_64.whl
4453d036c63b1529ae02ee0b73e7cbfba4c54b4499361556a8f29fa3ba6a3916  ml_metadata-1.21.0-cp312-cp312-macosx_11_0_arm64.whl
e2b691386fe3419c250c48dbba3f8b29649ae00dc1ba448307aa0929fb815140  ml_metadata-1.21.0-cp312-cp312-manylinux_2_39_x86_64.whl
2da2edb12666efb6d7fe1423b465fea65932816e31496b5462b24f39bbb5d287  ml_metadata-1.21.0-cp313-cp313-macosx_11_0_arm64.whl
ced1ded68b7c1a92227337450969476b2159cc647f33f7a7cc62cc074d192722  ml_metadata-1.21.0-cp313-cp313-manylinux_2_39_x86_64.whl
81921eb96de3191c8258c199618104dd27ac608d9366f5e35d011eae1867ede2  attrs-24.2.0-py3-none-any.whl
f9fff78ba10d4250bfc07a01bd6254a6d87dc67f9627adece85c0b2ed754fa96  grpcio-1.67.1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
bc6f24b3d1ecc1eebfbf5d6051faa49af40b03be1aaa781ebdadcbc090b4539b  numpy-2.1.3-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
712319fbdddb46f21abb66cd33cb9e491a5763b2febd8f228251add221981135  protobuf-5.28.3-cp38-abi3-manylinux2014_x86_64.whl
70761cfe03c773ceb22aa2f671b4757976145175cdfca038c02654d061d6dcc6  requests-2.32.3-py3-none-any.whl
8abb2f1d86890a2dfb989f9a77cfcfd3e47c2a354b01111771326f8aa26e0254  six-1.16.0-py2.py3-none-any.whl
8fde4a1a1515f3099119c2d71e1653aa6e7ae81ec58b7cb045cab5e5bb147b8b  tensorflow_cpu-2.16.1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
6746dbcbeb526eb61330b76b41ff1b4eb848951103a892eeb080dfa2b264667b  torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl
PINS
)"

fetch() {  # fetch SPEC [--platform P --python-version V]
    pip download --quiet --no-deps --only-binary=:all: -d "$cache" "$@" 2>/dev/null || true
}

# Every ml-metadata wheel 1.14.0 … 1.21.0 (36 files: Linux x86-64, macOS x86-64/arm64, Windows).
for version in 1.14.0 1.15.0 1.16.0 1.17.0 1.17.1 1.21.0; do
    for python in 3.8 3.9 3.10 3.11 3.12 3.13; do
        for platform in manylinux2014_x86_64 manylinux_2_39_x86_64 macosx_12_0_x86_64 macosx_11_0_arm64 win_amd64; do
            fetch "ml-metadata==$version" --platform "$platform" --python-version "$python"
        done
    done
done
# Popular wheels: pure, binary, abi3, and large (tensorflow-cpu 214 MB; the torch wheel in /opt/wheels).
fetch six==1.16.0
fetch requests==2.32.3
fetch attrs==24.2.0
for spec in protobuf==5.28.3 grpcio==1.67.1 numpy==2.1.3 tensorflow-cpu==2.16.1; do
    fetch "$spec" --platform manylinux2014_x86_64 --python-version 3.11
done
torch=/opt/wheels/torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl
if [ -f "$torch" ] && [ ! -f "$cache/$(basename "$torch")" ]; then cp "$torch" "$cache/"; fi

status=0
checked=0
for wheel in "$cache"/*.whl; do
    name="$(basename "$wheel")"
    pin="$(awk -v n="$name" '$2 == n { print $1 }' <<<"$pins")"
    actual="$(sha256sum "$wheel" | cut -d' ' -f1)"
    if [ -z "$pin" ]; then
        echo "UNPINNED $name sha256=$actual (add it to the pins after checking it)"; status=1; continue
    fi
    if [ "$pin" != "$actual" ]; then
        echo "PIN MISMATCH $name: expected $pin, got $actual"; status=1; continue
    fi
    start=$(date +%s%N)
    if "$purewheel" check "$wheel" > "$cache/$name.report" 2>&1; then result=ok; else result=FAIL; status=1; fi
    echo "$result $(( ($(date +%s%N) - start) / 1000000 )) ms $name"
    grep -E '^(error|warning):' "$cache/$name.report" | sed 's/^/     /' || true
    checked=$((checked + 1))
done
expected="$(grep -c . <<<"$pins")"
echo "$checked of $expected pinned wheels checked"
[ "$checked" -ge "$expected" ] || status=1
exit $status
