"""The crc32c part's options and run (`python -m e2e crc32c`)."""

from __future__ import annotations

import argparse
import concurrent.futures
import shutil
import time
from pathlib import Path

from ..hashing import sha256_file
from ..interpreters import PYTHONS
from ..paths import REPO, default_cache
from ..report import Report
from .context import DISTRIBUTION, VERSION, Context
from .pure import arm, native_reference, prepare_data, pure_venv
from .upstream import build, contents, every_input, fetch_upstream, publishable_checks, selection


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--recipe", type=Path, default=REPO / "recipes" / "google-crc32c-pure.toml",
                        help="the recipe to build (default recipes/google-crc32c-pure.toml)")
    parser.add_argument("--cache", type=Path, default=default_cache())
    parser.add_argument("--pythons", type=lambda s: s.split(","), default=PYTHONS,
                        help=f"comma-separated CPython versions (default {','.join(PYTHONS)})")
    parser.add_argument("--jobs", type=int, default=2, help="venvs built at a time (default 2)")
    parser.add_argument("--no-arm", action="store_true", help="skip the emulated aarch64 run")


def run_sections(ctx: Context, args: argparse.Namespace) -> None:
    with concurrent.futures.ThreadPoolExecutor(1) as arm_pool:
        if not (fetch_upstream(ctx) and build(ctx)):
            return
        contents(ctx)
        publishable_checks(ctx)
        prepare_data(ctx)
        # The emulated run is the slowest part (one core): it starts first and overlaps with the rest.
        arm_future = None if args.no_arm else arm_pool.submit(arm, ctx)
        native_reference(ctx)
        every_input(ctx)
        selection(ctx)
        with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
            list(pool.map(lambda minor: pure_venv(ctx, minor), args.pythons))
        if arm_future is not None:
            arm_future.result()


def summary(ctx: Context) -> None:
    wheel = ctx.wheel
    print()
    print(f"{DISTRIBUTION} {VERSION} pure wheel: {wheel.name if wheel else 'not built'}"
          f"{' sha256 ' + sha256_file(wheel) if wheel and wheel.exists() else ''}")
    for target, outcome in sorted(ctx.results):
        print(f"  {outcome}  {target}")
    for name, reason in ctx.report.skips():
        print(f"skipped: {name}: {reason}")


def main(args: argparse.Namespace) -> int:
    t0 = time.monotonic()
    report = Report(timestamps=True)
    ctx = Context(report, args.purewheel.resolve(), args.recipe.resolve(), args.cache.resolve())
    shutil.rmtree(ctx.run_dir, ignore_errors=True)
    ctx.logs.mkdir(parents=True)
    report.log(f"google-crc32c-pure e2e: {ctx.recipe.name}, {DISTRIBUTION} {VERSION}, cache {ctx.home}")
    try:
        run_sections(ctx, args)
    except Exception as error:  # noqa: BLE001 - a harness bug must still end with the closing line
        import traceback

        report.check("the harness ran to its end", False, "".join(traceback.format_exception(error)).rstrip())
    summary(ctx)
    report.print_failures()
    print(f"wall time {time.monotonic() - t0:.0f} s; logs in {ctx.logs}")
    print(report.closing_line(), flush=True)
    return report.exit_code()
