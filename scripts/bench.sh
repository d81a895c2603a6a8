#!/usr/bin/env bash
# Benchmarks purewheel against its Python peers on the same inputs, interleaved, and prints one Markdown
# table (medians, min–max, CPU time, peak RSS, ratios to purewheel). Not part of the test command.
#   bash scripts/bench.sh [--quick|--files|--verify-env|--startup]
#     --quick skips the 1 GB synthetic wheel and torch; --files runs only the rows of many wheels in one invocation;
#     --verify-env runs only the installed-environment rows (torch among them only if its wheel is already cached);
#     --startup runs only the start-up rows beside ruff and the wheel sizes
# Start-up is measured on the binaries as users get them: purewheel's wheel (scripts/package.sh) and ruff's from
# PyPI (pinned below by version and sha256) installed with pip into one venv.
# It installs what it needs: the C libraries (scripts/setup.sh), a release build of purewheel (static Swift
# standard library), the C floors (scripts/bench/floor.c), a venv with the pinned peers
# (scripts/bench/requirements.txt), the synthetic wheels (scripts/bench/make_wheels.py) and the upstream
# wheels, fetched with pip and checked against their sha256.
# Inputs are cached in $PUREWHEEL_BENCH_CACHE (default ~/.cache/purewheel-bench); the table also goes to
# .build/bench/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
files_only=0
[ "${1:-}" = "--quick" ] && quick=1
[ "${1:-}" = "--files" ] && files_only=1 && quick=1
verify_only=0
[ "${1:-}" = "--verify-env" ] && verify_only=1 && files_only=1 && quick=1
startup_only=0
[ "${1:-}" = "--startup" ] && startup_only=1 && files_only=1 && quick=1
# ruff's wheel, the start-up and size reference.
ruff_file=ruff-0.17.6-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
ruff_sha=aa3b08254a732acba246891089a152c47c5733dc36b8ecb76ce8602f8326e5e4
# The popular wheels scripts/e2e/ caches (the current wheels of the most-downloaded projects); the row is left out
# where that folder does not exist.
popular="${PUREWHEEL_POPULAR:-$HOME/.cache/purewheel-e2e/popular}"
bench=.build/bench
cache="${PUREWHEEL_BENCH_CACHE:-$HOME/.cache/purewheel-bench}"
mkdir -p "$bench" "$cache"

bash scripts/setup.sh
swift build -c release --static-swift-stdlib --product purewheel >"$bench/build.log" 2>&1 || {
  cat "$bench/build.log" >&2
  exit 1
}
purewheel="$(swift build -c release --static-swift-stdlib --show-bin-path)/purewheel"
# The C floors: the same libraries purewheel uses (ISA-L, OpenSSL), nothing else, one thread.
floor="$bench/floor"
"${CC:-$(command -v cc || command -v clang)}" -O2 -o "$floor" scripts/bench/floor.c -lisal -lcrypto

venv="$bench/venv"
if ! cmp -s scripts/bench/requirements.txt "$venv/requirements.txt"; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r scripts/bench/requirements.txt
  cp scripts/bench/requirements.txt "$venv/requirements.txt"
fi
python="$venv/bin/python"

# fetch NAME SHA256 PIP-ARGS...: a wheel by exact file name, downloaded once and checked against its pin.
fetch() {
  local name="$1" sha="$2"
  shift 2
  if [ ! -f "$cache/$name" ] || [ "$(sha256sum "$cache/$name" | cut -d' ' -f1)" != "$sha" ]; then
    "$python" -m pip download -q --disable-pip-version-check --no-deps --only-binary=:all: -d "$cache" "$@" >&2
  fi
  [ "$(sha256sum "$cache/$name" | cut -d' ' -f1)" = "$sha" ] || {
    echo "error: $cache/$name does not match its pin $sha" >&2
    exit 65
  }
  echo "$cache/$name"
}
pin() { sed -n "s/^\"$1\" = \"\\([0-9a-f]*\\)\"/\\1/p" recipes/ml-metadata-remote.lock; }
mlmd_file() { echo "ml_metadata-$1-cp310-cp310-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"; }
mlmd_args() { echo "ml-metadata==$1 --python-version 3.10 --implementation cp --abi cp310 --platform manylinux_2_17_x86_64"; }
mlmd14=""
mlmd17=""
if [ $files_only = 0 ]; then
  # shellcheck disable=SC2046
  mlmd14="$(fetch "$(mlmd_file 1.14.0)" "$(pin "$(mlmd_file 1.14.0)")" $(mlmd_args 1.14.0))"
  # shellcheck disable=SC2046
  mlmd17="$(fetch "$(mlmd_file 1.17.1)" "$(pin "$(mlmd_file 1.17.1)")" $(mlmd_args 1.17.1))"
  synthetic=(entries10k entries40k entries160k size10m size100m)
  [ $quick = 0 ] && synthetic+=(size1g)
fi
inputs=()
for name in "${synthetic[@]+"${synthetic[@]}"}"; do inputs+=("$name=$("$python" scripts/bench/make_wheels.py "$cache" "$name")"); done
# The shipped binaries: purewheel's wheel and ruff's, installed into one venv; their sizes go under the table.
purewheel_wheel=""
shipped="$bench/shipped"
if [ $files_only = 0 ] || [ $startup_only = 1 ]; then
  ruff_wheel="$(fetch "$ruff_file" "$ruff_sha" ruff==0.17.6 --platform manylinux_2_17_x86_64 --python-version 3.12)"
  bash scripts/package.sh "$bench/dist" >"$bench/package.log" 2>&1 || {
    cat "$bench/package.log" >&2
    exit 1
  }
  purewheel_wheel="$(tail -n1 "$bench/package.log")"
  rm -rf "$shipped"
  python3 -m venv "$shipped"
  "$shipped/bin/pip" install -q --disable-pip-version-check --no-deps --no-index "$purewheel_wheel" "$ruff_wheel"
  # Start-up floors: a C program that only loads the shared libraries purewheel loads, and a Swift one (static
  # standard library) that also prints a line, as `--version` does.
  echo 'int main(void) { return 0; }' >"$bench/startup-floor.c"
  "${CC:-$(command -v cc || command -v clang)}" -O2 -o "$bench/startup-floor-c" "$bench/startup-floor.c" \
    -Wl,--no-as-needed -lzip -lisal -lcrypto -lstdc++
  echo 'print("purewheel 0.1.0")' >"$bench/startup-floor.swift"
  swiftc -O -static-stdlib -o "$bench/startup-floor-swift" "$bench/startup-floor.swift" \
    -Xlinker --no-as-needed -lzip -lisal -lcrypto >"$bench/startup-floor.log" 2>&1
fi
# check's memory: a folder of 20,000 small wheels, and (not with --quick) a 1.5 GB wheel piped to `check -`.
many=""
[ $files_only = 0 ] && many="$("$python" scripts/bench/make_wheels.py "$cache" wheels20k)"
small="$("$python" scripts/bench/make_wheels.py "$cache" wheels5k)"
stream=""
[ $quick = 0 ] && stream="$("$python" scripts/bench/make_wheels.py "$cache" stream1500m)"
if [ $quick = 0 ]; then
  # The pin scripts/e2e/check.py uses for torch 2.5.1 (cp311, manylinux1).
  torch_sha="$(sed -n 's/.*"torch-2.5.1-cp311-cp311-manylinux1_x86_64.whl", "\([0-9a-f]*\)".*/\1/p' scripts/e2e/check.py)"
  inputs+=("torch-2.5.1=$(fetch torch-2.5.1-cp311-cp311-manylinux1_x86_64.whl "$torch_sha" torch==2.5.1 --python-version 3.11 \
    --implementation cp --abi cp311 --platform manylinux1_x86_64)")
fi

# verify-env's inputs: venvs with wheels installed by pip (--no-deps, no index), remade when the wheels change. The
# popular wheels give tens of thousands of small files; torch 2.5.1 gives 1.7 GB in a few large ones.
make_venv() {
  local dir="$cache/$1" stamp
  shift
  stamp="$(printf '%s\n' "$@" | sha256sum | cut -c1-16)"
  if [ ! -f "$dir/.bench-$stamp" ]; then
    rm -rf "$dir"
    python3 -m venv "$dir"
    "$dir/bin/pip" install -q --disable-pip-version-check --no-deps --no-index "$@" >&2
    touch "$dir/.bench-$stamp"
  fi
  "$dir/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])'
}
venvs=()
popular_wheels=("$popular"/*.whl)
[ $files_only = 0 ] || [ $verify_only = 1 ] && [ -f "${popular_wheels[0]}" ] && venvs+=("the ${#popular_wheels[@]} popular wheels=$(make_venv venv-popular "${popular_wheels[@]}")")
torch_wheel="$cache/torch-2.5.1-cp311-cp311-manylinux1_x86_64.whl"
if [ $quick = 0 ] || { [ $verify_only = 1 ] && [ -f "$torch_wheel" ]; }; then
  torch_sha="$(sed -n 's/.*"torch-2.5.1-cp311-cp311-manylinux1_x86_64.whl", "\([0-9a-f]*\)".*/\1/p' scripts/e2e/check.py)"
  torch_wheel="$(fetch torch-2.5.1-cp311-cp311-manylinux1_x86_64.whl "$torch_sha" torch==2.5.1 --python-version 3.11 \
    --implementation cp --abi cp311 --platform manylinux1_x86_64)"
  venvs+=("torch 2.5.1=$(make_venv venv-torch "$torch_wheel")")
fi

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
venv_specs="$scratch/venvs.json"
"$python" - "$purewheel" "$python" "$floor" "$scratch" "${venvs[@]+"${venvs[@]}"}" >"$venv_specs" <<'PY'
import json, os, subprocess, sys
purewheel, python, floor, scratch, *venvs = sys.argv[1:]
groups = []
for number, item in enumerate(venvs):
    label, site = item.split("=", 1)
    files = sum(len(names) for _, _, names in os.walk(site))
    megabytes = sum(os.path.getsize(os.path.join(folder, name)) for folder, _, names in os.walk(site) for name in names) // 10**6
    # The floor hashes what RECORD lists with a hash, as verify-env does, and nothing else.
    listing = f"{scratch}/hashed-{number}.txt"
    with open(listing, "w") as out:
        subprocess.run([python, "scripts/bench/verify_installed.py", site, "--list"], stdout=out, check=True)
    big = megabytes > 1000
    groups.append({
        "group": "verify-env", "input": f"venv: {label} ({files:,} files, {megabytes:,} MB)", "rounds": 3 if big else 5,
        "warmup": [[purewheel, "verify-env", site], ["sh", "-c", 'xargs -d "\\n" cat <"$0" >/dev/null', listing]],
        "tools": [
            {"name": "purewheel verify-env", "argv": [purewheel, "verify-env", site], "ok": [0, 1]},
            {"name": "Python verifier, 2 processes", "argv": [python, "scripts/bench/verify_installed.py", site, "-j", "2"]},
            {"name": "Python verifier, 1 process", "argv": [python, "scripts/bench/verify_installed.py", site]},
            {"name": "floor: read + SHA-256 of the hashed files (C, 2 threads)", "argv": [floor, "files", listing, "2"]},
            {"name": "floor: read + SHA-256 of the hashed files (C, 1 thread)", "argv": [floor, "files", listing, "1"]},
        ]})
json.dump(groups, sys.stdout, indent=1)
PY
if [ $verify_only = 1 ]; then
  cp "$venv_specs" "$bench/spec.json"
else
"$python" - "$purewheel" "$python" "$floor" "$scratch" "$mlmd14" "$mlmd17" "$many" "$stream" "$small" "$popular" \
  "$files_only" "$venv_specs" "$shipped/bin" "$startup_only" "$bench" "${inputs[@]}" >"$bench/spec.json" <<'PY'
import glob, json, os, sys
purewheel, python, floor, scratch, mlmd14, mlmd17, many, stream, small, popular, files_only, venv_specs, shipped, \
    startup_only, bench, *inputs = sys.argv[1:]
with open(venv_specs) as f:
    venv_groups = json.load(f)
# Many wheels in one invocation: whole wheels in parallel against the Python verifier on 1 and 2 processes.
# Start-up beside ruff, both as pip installed them from their wheels, timed without /usr/bin/time in between
# (which would add its own start to both); and `check` of one small wheel, whose target is 2× `--version`.
small_wheel = sorted(glob.glob(small + "/*.whl"))[0]
startup = [{
    "group": "startup", "input": "installed from the wheels", "rounds": 40, "direct": True,
    "warmup": [[f"{shipped}/purewheel", "--version"], [f"{shipped}/ruff", "--version"], ["cat", small_wheel]],
    "tools": [
        {"name": "purewheel --version", "argv": [f"{shipped}/purewheel", "--version"]},
        {"name": "ruff --version (target ≥ 1.00)", "argv": [f"{shipped}/ruff", "--version"]},
        {"name": "purewheel check of one small wheel (target ≤ 2.00)", "argv": [f"{shipped}/purewheel", "check", small_wheel]},
        {"name": "python -c pass", "argv": [python, "-c", "pass"]},
        {"name": "floor: C, loading purewheel's shared libraries", "argv": [f"{bench}/startup-floor-c"]},
        {"name": "floor: Swift runtime and those libraries", "argv": [f"{bench}/startup-floor-swift"]},
    ]}]
if startup_only == "1":
    json.dump(startup, sys.stdout, indent=1)
    sys.exit(0)
folders = [(f"the {len(glob.glob(popular + '/*.whl'))} popular wheels ({sum(os.path.getsize(p) for p in glob.glob(popular + '/*.whl')) // 10**6} MB)", popular)] \
    if glob.glob(popular + "/*.whl") else []
folders.append(("5,000 small wheels", small))
files = [{
    "group": "check many", "input": label, "rounds": 5, "warmup": [["sh", "-c", 'cat "$0"/*.whl >/dev/null', folder]],
    "tools": [
        {"name": "purewheel check DIR", "argv": [purewheel, "check", folder], "ok": [0, 1]},
        {"name": "Python verifier, 1 process", "argv": [python, "scripts/bench/verify_record.py", folder], "ok": [0, 1]},
        {"name": "Python verifier, 2 processes", "argv": [python, "scripts/bench/verify_record.py", folder, "-j", "2"], "ok": [0, 1]},
    ]} for label, folder in folders]
if files_only == "1":
    json.dump(files, sys.stdout, indent=1)
    sys.exit(0)
groups = list(startup)
for version, wheel in (("1.14.0", mlmd14), ("1.17.1", mlmd17)):
    out = f"{scratch}/build"
    reset = ["sh", "-c", f"rm -rf {out} && mkdir -p {out}"]
    groups.append({
        "group": "build ml-metadata", "input": version, "rounds": 15, "warmup": [reset],
        "tools": [
            # The local pinned file only, as the peers get it: `--upstream-version` as well would build a second input.
            {"name": "purewheel build", "after": reset, "argv": [purewheel, "build", "recipes/ml-metadata-remote.toml",
             "--wheel", wheel, "--out", out]},
            {"name": "Python zipfile rewriter", "after": reset, "argv": [python, "scripts/bench/rewrite_wheel.py",
             "recipes/ml-metadata-remote.toml", "recipes/ml-metadata-remote.lock", wheel, version, out]},
            {"name": "wheel unpack/patch/pack", "after": reset, "argv": ["bash", "scripts/bench/manual_build.sh", python, wheel,
             version, out]},
            # What every build must do first (the whole checker on every input), and its floor.
            {"name": "purewheel check of the input alone", "argv": [purewheel, "check", wheel]},
            {"name": "floor: inflate the input only (ISA-L, 1 core)", "argv": [python, "scripts/bench/floors.py", "inflate", wheel]},
            # What no build can go below, since the check must inflate it and one deflate stream is decoded in order.
            {"name": "floor: inflate the largest entry only (C)", "argv": [floor, "largest", wheel]},
        ]})
for item in inputs:
    label, wheel = item.split("=", 1)
    big = label in ("size1g", "torch-2.5.1", "entries160k")
    unpacked = f"{scratch}/unpacked"
    groups.append({
        "group": "check", "input": label, "rounds": 3 if big else 5,
        "warmup": [["cat", wheel], [purewheel, "check", wheel]],
        "tools": [
            {"name": "purewheel check", "argv": [purewheel, "check", wheel], "ok": [0, 1]},
            {"name": "Python verifier, 1 process", "argv": [python, "scripts/bench/verify_record.py", wheel]},
            {"name": "Python verifier, 2 processes", "argv": [python, "scripts/bench/verify_record.py", wheel, "-j", "2"]},
            # Writes every file to disk: slow on the big inputs, so fewer rounds there.
            {"name": "python -m wheel unpack", "argv": [python, "-m", "wheel", "unpack", "-d", unpacked, wheel],
             "after": ["rm", "-rf", unpacked], "rounds": 1 if big else 3},
            {"name": "check-wheel-contents", "argv": [python, "-m", "check_wheel_contents", wheel], "ok": [0, 1]},
            {"name": "floor: inflate only (ISA-L, 1 core)", "argv": [python, "scripts/bench/floors.py", "inflate", wheel]},
            {"name": "floor: SHA-256 only (1 core)", "argv": [python, "scripts/bench/floors.py", "sha256", wheel]},
            # In C: inflate and hash every entry on one core (half of it is the two-core floor), and the largest
            # entry's inflate alone (the floor on any number of cores).
            {"name": "floor: inflate + SHA-256, every entry (C, 1 core)", "argv": [floor, "verify", wheel]},
            {"name": "floor: inflate the largest entry only (C)", "argv": [floor, "largest", wheel]},
        ]})
# Memory: the report is written wheel by wheel and standard input is spooled to disk, so peak RSS must not grow
# with the number of wheels (target under 100 MiB) or the size of the stream (under 64 MiB). Each small wheel has
# 40 findings (20 errors), hence exit 1.
groups.append({
    "group": "check memory", "input": "20,000 small wheels", "rounds": 3,
    "tools": [{"name": "purewheel check DIR (target < 100 MiB)", "argv": [purewheel, "check", many], "ok": [1]}]})
if stream:
    pipe = 'cat "$1" | "$0" check - --stdin-filename "${1##*/}"'
    groups.append({
        "group": "check memory", "input": "1.5 GB on standard input", "rounds": 3, "warmup": [["cat", stream]],
        "tools": [{"name": "purewheel check - (target < 64 MiB)", "argv": ["sh", "-c", pipe, purewheel, stream]}]})
json.dump(groups + files + venv_groups, sys.stdout, indent=1)
PY
fi
{
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), load $(cut -d' ' -f1-3 /proc/loadavg) at start"
  libraries="$(ldd "$purewheel")"
  inflate=zlib
  [[ "$libraries" == *libisal* ]] && inflate=ISA-L
  echo "purewheel $("$purewheel" --version) (release, static Swift stdlib, inflate: $inflate)"
  echo
  BENCH_JSON="$bench/results.json" "$python" scripts/bench/run.py "$bench/spec.json"
  [ -z "$purewheel_wheel" ] || "$python" - "$purewheel_wheel" "$ruff_wheel" "$shipped/bin" <<'PY'
import os, sys
ours, ruff, shipped = sys.argv[1:]
rows = [(os.path.basename(ours), os.path.getsize(ours), os.path.getsize(f"{shipped}/purewheel")),
        (os.path.basename(ruff), os.path.getsize(ruff), os.path.getsize(f"{shipped}/ruff"))]
print("\n| wheel | wheel size | installed binary | × purewheel |\n|---|---:|---:|---:|")
for name, wheel, binary in rows:
    print(f"| {name} | {wheel / 1e6:.1f} MB | {binary / 1e6:.1f} MB | {wheel / rows[0][1]:.2f} |")
PY
} | tee "$bench/results.md"
