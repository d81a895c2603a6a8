# Shared set-up of the e2e entry points (sourced, not run): the failure line every part ends with, the purewheel
# binary to test, and the CPython that runs the Python driver.
#   e2e_name=e2e-x.sh; source "$here/lib/e2e-setup.sh"
#   fail_setup MESSAGE            prints MESSAGE and `0 passed, 1 failed`, exits 1
#   parse_part_args HELP FLAGS VALUED ARGS...   sets $binary (the one positional argument, or empty) and $extra
#                                 (the options to pass on): HELP is the sed line range of the caller's help text,
#                                 FLAGS the options without a value, VALUED those with one (space-separated)
#   find_purewheel BINARY_OR_EMPTY   sets $binary (absolute): the argument, else .build/release, else .build/debug
#   find_driver                   sets $driver: pyenv's lowest CPython >= 3.11, else python3 (tomllib and venv needed)
#   run_part PART ARGS...         runs `$driver -B -m e2e.PART ARGS...` from scripts/ (the e2e package's home);
#                                 paths in ARGS must be absolute

fail_setup() {
  echo "$e2e_name: $*" >&2
  echo "0 passed, 1 failed"
  exit 1
}

parse_part_args() {
  local help=$1 flags=" $2 " valued=" $3 "
  shift 3
  binary=""
  extra=()
  while (($#)); do
    case "$1" in
      -h | --help) sed -n "${help}p" "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
      -*)
        if [[ $flags == *" $1 "* ]]; then
          extra+=("$1")
        elif [[ $valued == *" $1 "* ]]; then
          (($# >= 2)) || fail_setup "$1 needs a value"
          extra+=("$1" "$2")
          shift
        else
          fail_setup "unknown option $1"
        fi
        ;;
      *) [[ -z "$binary" ]] || fail_setup "more than one binary given"; binary=$1 ;;
    esac
    shift
  done
}

find_purewheel() {
  binary=$1
  if [[ -z "$binary" ]]; then
    for candidate in "$repo/.build/release/purewheel" "$repo/.build/debug/purewheel"; do
      if [[ -x "$candidate" ]]; then binary=$candidate; break; fi
    done
    [[ -n "$binary" ]] || fail_setup "no purewheel binary: build one (swift build) or pass its path"
  fi
  [[ -x "$binary" ]] || fail_setup "$binary is not an executable"
  binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
}

find_driver() {
  driver=""
  if command -v pyenv >/dev/null 2>&1; then
    driver=$(ls -d "$(pyenv root)"/versions/3.1[1-9]*/bin/python 2>/dev/null | sort -V | head -n1 || true)
  fi
  if [[ -z "$driver" ]]; then driver=$(command -v python3 || true); fi
  if [[ -z "$driver" ]] || ! "$driver" -c 'import sys, tomllib, venv' >/dev/null 2>&1; then
    fail_setup "no CPython >= 3.11 with venv found (pyenv or python3)"
  fi
}

run_part() {
  local part=$1
  shift
  cd "$here" || fail_setup "cannot enter $here"
  exec "$driver" -B -m "e2e.$part" "$@"
}
