"""The purewheel wheel where Python users meet it (`python -m e2e package`).

Builds and repairs it (scripts/package.sh), installs it into fresh venvs with pip and with uv, runs
`purewheel check` from the venv's bin/ on real wheels; installs it with pip into a venv, with --user (throwaway
HOME and PYTHONUSERBASE), --prefix and --target, and through a symbolic link as pipx makes one, and asserts that
each installed `purewheel` is the ELF binary itself (no Python stub), finds every grafted library, and checks;
tests scripts/package/relocate.py on test-made wheels; validates `--format sarif` against the SARIF 2.1.0 JSON
schema with jsonschema, checks the `--format github` annotations, reads a `[tool.purewheel.check]`
configuration, and runs the pre-commit hooks in a scratch git repository with pre-commit from PyPI. The checks
are package.sh beside this file.
"""

from __future__ import annotations

import argparse
import os
import subprocess
from pathlib import Path

from .paths import PACKAGE


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--wheel", type=Path, help="test this built purewheel wheel instead of building one "
                        "with scripts/package.sh (also $PUREWHEEL_PACKAGE_WHEEL)")


def main(args: argparse.Namespace) -> int:
    environment = dict(os.environ)
    if args.wheel:
        environment["PUREWHEEL_PACKAGE_WHEEL"] = str(args.wheel.resolve())
    return subprocess.run(["bash", PACKAGE / "package.sh"], env=environment).returncode
