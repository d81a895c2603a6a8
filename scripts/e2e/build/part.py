"""The build part's options and run (`python -m e2e build`)."""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
import tomllib
from pathlib import Path

from ..interpreters import Interpreters, version_tuple
from ..paths import REPO, default_cache
from ..pins import load_pins, read_toml
from ..proc import run
from ..report import Report, guarded
from .builds import build_all, canonical_build, fetch_all
from .context import Context
from .determinism import determinism
from .failures import failures
from .install import install_and_use
from .purewheel import Purewheel


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--recipe", type=Path, default=REPO / "recipes" / "ml-metadata-remote.toml",
                        help="the recipe to build (default recipes/ml-metadata-remote.toml)")
    parser.add_argument("--cache", type=Path, default=default_cache())
    parser.add_argument("--python", help="CPython for the venvs (default: pyenv's newest 3.11, else this interpreter)")
    parser.add_argument("--jobs", type=int, default=2, help="venvs built at a time (default 2)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")


def main(args: argparse.Namespace) -> int:
    start = time.monotonic()
    report = Report()
    binary, recipe, cache = args.purewheel.resolve(), args.recipe.resolve(), args.cache.resolve()
    upstream = cache / "upstream"
    upstream.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="purewheel-e2e-build."))
    version = run([binary, "--version"])
    print(f"purewheel: {binary} ({version.out.strip() or 'no --version: exit ' + str(version.code)})")
    print(f"recipe:    {recipe}\ncache:     {cache}\nwork:      {work}")
    try:
        distribution, pins = load_pins(recipe)
        canonical_platform = read_toml(recipe)["source"].get("canonical_platform", "linux")
    except (OSError, tomllib.TOMLDecodeError, KeyError) as error:
        report.check("recipe and lock parse with tomllib", False, str(error))
        print(report.closing_line())
        return 1
    versions = sorted({p.version for p in pins}, key=version_tuple)
    print(f"pins:      {len(pins)} files of {distribution} over {', '.join(versions)}")
    ctx = Context(report, Purewheel(binary, recipe), work, cache)
    files = guarded(report, "1", lambda: fetch_all(ctx, pins, distribution, upstream), {})
    canonical = guarded(report, "2", lambda: canonical_build(ctx, pins, canonical_platform))
    reference = guarded(report, "3", lambda: build_all(ctx, files, canonical), {})
    report.check(f"one output per pinned version ({len(versions)})", sorted(reference) == sorted(versions),
                 "" if sorted(reference) == sorted(versions) else f"missing: {sorted(set(versions) - set(reference))}")
    if reference:
        python = Interpreters().driver_python(args.python)
        guarded(report, "4", lambda: install_and_use(ctx, reference, python, args.jobs))
    else:
        report.note("section 4 skipped: no outputs to install")
    guarded(report, "5", lambda: determinism(ctx, files, reference))
    guarded(report, "6", lambda: failures(ctx, files, reference, recipe))
    report.print_failures()
    if report.failed:
        print(f"work folder kept for inspection: {work}")
    elif args.keep:
        print(f"work folder kept: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    print(f"wall time {time.monotonic() - start:.0f} s")
    print(report.closing_line(), flush=True)
    return report.exit_code()
