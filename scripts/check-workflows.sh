#!/usr/bin/env bash
# Validates the GitHub Actions workflows in .github/workflows/:
#   - check-jsonschema --builtin-schema vendor.github-workflows (GitHub's workflow schema, vendored: offline)
#   - zizmor --offline --persona auditor --min-severity low (static security analysis with every audit on: zero
#     findings of low severity or higher)
#   - every `uses:` is pinned by a full 40-hex commit sha with a `# vX.Y.Z` comment
#   - the privilege structure (check_workflows/privileges.py, with its own self-tests): no job with a write
#     permission runs project or downloaded code, no job with id-token: write checks out, a downloaded artifact is
#     compared with a recorded sha256 first, `gh` runs only as `gh release create|upload` there, every `docker run`
#     names its image by digest; and no pre-commit hook resolves a name from the user's index by default
# Both tools are installed with --require-hashes (scripts/check_workflows/requirements.txt) into a venv kept in
# ${PUREWHEEL_E2E_CACHE:-~/.cache/purewheel-e2e}/check-workflows-<pins>. One check per workflow and tool; the last
# line is `N passed, N failed`; the exit status is non-zero on any failure.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
requirements="$here/check_workflows/requirements.txt"
cache=${PUREWHEEL_E2E_CACHE:-$HOME/.cache/purewheel-e2e}
passed=0
failed=0

ok() { passed=$((passed + 1)); echo "ok - $1"; }
fail() { failed=$((failed + 1)); echo "FAIL - $1"; [ -n "${2:-}" ] && sed 's/^/    /' <<<"$2"; }
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }

# The tools' pins are resolved for CPython 3.11; prefer pyenv's.
python=""
if command -v pyenv >/dev/null 2>&1; then
  python=$(ls -d "$(pyenv root)"/versions/3.11.*/bin/python 2>/dev/null | sort -V | tail -n1 || true)
fi
[ -n "$python" ] || python=$(command -v python3.11 || command -v python3 || true)
if [ -z "$python" ]; then fail "a CPython 3.11 to install the tools with"; finish; fi

venv="$cache/check-workflows-$(sha256sum "$requirements" | cut -c1-12)"
if [ ! -f "$venv/.complete" ]; then
  rm -rf "$venv"
  if ! out=$("$python" -m venv "$venv" 2>&1 && "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
      --no-input --only-binary=:all: --require-hashes -r "$requirements" 2>&1); then
    fail "install check-jsonschema and zizmor (--require-hashes)" "$(tail -n 12 <<<"$out")"
    finish
  fi
  touch "$venv/.complete"
fi
ok "check-jsonschema $("$venv/bin/check-jsonschema" --version | awk '{print $NF}') and zizmor $("$venv/bin/zizmor" --version | awk '{print $NF}') ready ($venv)"

shopt -s nullglob
workflows=("$repo"/.github/workflows/*.yml "$repo"/.github/workflows/*.yaml)
if [ ${#workflows[@]} -eq 0 ]; then fail "workflows found in .github/workflows"; finish; fi

for workflow in "${workflows[@]}"; do
  name=${workflow#"$repo"/}
  if out=$("$venv/bin/check-jsonschema" --builtin-schema vendor.github-workflows "$workflow" 2>&1); then
    ok "$name: valid against GitHub's workflow schema"
  else
    fail "$name: valid against GitHub's workflow schema" "$out"
  fi
  if out=$("$venv/bin/zizmor" --offline --persona auditor --min-severity low --no-progress --color never \
      "$workflow" 2>&1); then
    ok "$name: zizmor --persona auditor finds nothing of low severity or higher"
  else
    fail "$name: zizmor --persona auditor finds nothing of low severity or higher" "$out"
  fi
  # `uses: owner/repo@<40 hex> # vX.Y.Z[-pre]` (local ./ actions and docker:// images aside).
  bad=$(grep -nE '^[[:space:]-]*uses:' "$workflow" | grep -vE 'uses:[[:space:]]*\./' \
    | grep -vE 'uses:[[:space:]]*[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}[[:space:]]+#[[:space:]]*v[0-9]+\.[0-9]+\.[0-9]+([-.][A-Za-z0-9.]+)?[[:space:]]*$' || true)
  if [ -z "$bad" ]; then
    ok "$name: every uses: is pinned by a full commit sha with a # vX.Y.Z comment"
  else
    fail "$name: every uses: is pinned by a full commit sha with a # vX.Y.Z comment" "$bad"
  fi
done

# The privilege structure: one ok/FAIL line per check, counted here; a crash is a failure of its own.
status=""
while IFS= read -r line; do
  case "$line" in
    "ok - "*) passed=$((passed + 1)); echo "$line" ;;
    "FAIL - "*) failed=$((failed + 1)); echo "$line" ;;
    "privileges.py exit "*) status=${line#privileges.py exit } ;;
    *) echo "$line" ;;
  esac
done < <("$venv/bin/python" -B "$here/check_workflows/privileges.py" "$repo" 2>&1; echo "privileges.py exit $?")
if [ "$status" != 0 ] && [ "$failed" -eq 0 ]; then
  fail "check_workflows/privileges.py ran to its end (exit $status)"
fi
finish
