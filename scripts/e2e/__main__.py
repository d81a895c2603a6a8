"""Runs one end-to-end part: `python -m e2e <part> [options]`, with scripts/ on PYTHONPATH.

From the repository root: `PYTHONPATH=scripts python -m e2e check`. Every part ends with one line
`N passed, N failed[, N skipped]` and exits non-zero on any failure; `python -m e2e <part> --help` says what the
part proves and takes. Caches live under $PUREWHEEL_E2E_CACHE (default ~/.cache/purewheel-e2e).
"""

from __future__ import annotations

import sys

sys.dont_write_bytecode = True

# The parts read recipes and locks with tomllib.
if sys.version_info < (3, 11):
    print(f"e2e: needs CPython 3.11 or newer (tomllib); this is {sys.version.split()[0]}", file=sys.stderr)
    print("0 passed, 1 failed")
    sys.exit(1)

import argparse
import importlib
import os
from pathlib import Path

from .paths import REPO, default_cache

# part -> (module with add_arguments(parser) and main(args), whether it runs a purewheel binary, one line for --help)
PARTS = {
    "build": ("e2e.build.part", True, "purewheel build on the real upstream ml-metadata wheels"),
    "check": ("e2e.check", True, "no false alarm of purewheel check on real wheels; native code never passes"),
    "crc32c": ("e2e.crc32c.part", True, "the second recipe: google-crc32c as a pure wheel, also on emulated aarch64"),
    "mlmd": ("e2e.mlmd.part", False, "the built ml-metadata-remote wheels against real MLMD servers"),
    "package": ("e2e.package", False, "the purewheel wheel for Python users: installs, SARIF, pre-commit"),
    "popular": ("e2e.popular", True, "no error on the current wheels of the most-downloaded PyPI projects"),
    "release": ("e2e.release.part", True, "the release path on test-made next releases of ml-metadata"),
    "scan": ("e2e.scan", True, "the corpus scan workflow with real pip downloads; merged shards equal one check"),
    "verify-env": ("e2e.verify_env", True, "purewheel verify-env on pip, uv, installer and --user installs"),
}


def find_purewheel(given: Path | None) -> Path | None:
    """The binary to test: the one given, else .build/release/purewheel, else .build/debug/purewheel."""
    built = REPO / ".build"
    candidates = [given] if given else [built / "release" / "purewheel", built / "debug" / "purewheel"]
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate.resolve()
    return None


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m e2e", description=__doc__,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    parts = top.add_subparsers(dest="part", required=True, metavar="PART")
    for name, (module_name, needs_binary, summary) in PARTS.items():
        module = importlib.import_module(module_name)
        described = importlib.import_module(module_name.removesuffix(".part"))
        sub = parts.add_parser(name, help=summary, description=described.__doc__,
                               formatter_class=argparse.RawDescriptionHelpFormatter)
        if needs_binary:
            sub.add_argument("--purewheel", type=Path, metavar="BINARY",
                             help="the purewheel to test (default .build/release/purewheel, else "
                             ".build/debug/purewheel)")
        module.add_arguments(sub)
        sub.set_defaults(main=module.main)
    return top


def main() -> int:
    args = parser().parse_args()
    if "purewheel" in vars(args):
        found = find_purewheel(args.purewheel)
        if found is None:
            problem = f"{args.purewheel} is not an executable" if args.purewheel else "no purewheel under .build/"
            print(f"e2e {args.part}: {problem}; build one (swift build) or pass --purewheel", file=sys.stderr)
            print("0 passed, 1 failed")
            return 1
        args.purewheel = found
    # Child harnesses (the release part runs the mlmd part) find the same cache.
    os.environ["PUREWHEEL_E2E_CACHE"] = str(default_cache())
    default_cache().mkdir(parents=True, exist_ok=True)
    return args.main(args)


sys.exit(main())
