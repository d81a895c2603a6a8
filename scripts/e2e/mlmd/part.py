"""The mlmd part's options and run (`python -m e2e mlmd [DIST] [options]`)."""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import shutil
import sys
import time
from pathlib import Path

from ..arm import prepare_rootfs
from ..paths import REPO, default_cache
from ..proc import StepError
from ..report import Report
from ..servers import BACKENDS, SERVER_VERSIONS
from ..workload import Workload
from .bounds import bound_sets, prove
from .context import ARM_VERSIONS, SELF_TEST_VERSION, UPSTREAM_PYTHONS, Context
from .matrix import arm_client, combo, plan, self_test
from .table import write_matrix
from .upstream import baseline, capture_simple_types, prepare_tools, prepare_upstream_venv


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dist", nargs="?", default=str(REPO / "dist"),
                        help="directory with ml_metadata_remote-<v>-py3-none-any.whl (default dist/)")
    parser.add_argument("--cache", default=str(default_cache()))
    parser.add_argument("--jobs", type=int, default=(os.cpu_count() or 2) + 2)
    parser.add_argument("--versions", help="comma-separated subset (development)")
    parser.add_argument("--pythons", help="comma-separated subset of 3.9,...,3.13 (development)")
    parser.add_argument("--installers", help="comma-separated subset of pip,uv,installer (development)")
    parser.add_argument("--run-dir", help="this run's folder (default: CACHE/run, emptied first); with it the table "
                        "is written only there, not to CACHE/matrix.md")
    parser.add_argument("--no-arm", action="store_true")
    parser.add_argument("--no-self-test", action="store_true")
    parser.add_argument("--hashed-requirements", action="store_true",
                        help="install every dependency from the hash-pinned sets in requirements/mlmd/ "
                        "(pip --require-hashes), never from pip's resolution against the index")
    parser.add_argument("--self-test-broken", dest="self_test_only", action="store_true",
                        help="only the sabotaged-wheel self-test (the workload must fail on each)")


def wheels_present(ctx: Context) -> bool:
    missing = [str(p) for p in ctx.wheels.values() if not p.is_file()]
    for p in missing:
        print(f"error: missing pure wheel {p}", file=sys.stderr)
    if missing:
        print("  hint: build them first (purewheel build) or pass the directory holding them", file=sys.stderr)
    return ctx.report.check("pure wheels present", not missing, ", ".join(missing))


def prepare(ctx: Context, pool: concurrent.futures.Executor) -> None:
    """Tools, upstream venvs, the system types, then the four servers."""
    prepare_tools(ctx)
    wanted = [v for v in UPSTREAM_PYTHONS if v in SERVER_VERSIONS
              or (v in ctx.versions and not ctx.args.self_test_only)]
    for version, future in [(v, pool.submit(prepare_upstream_venv, ctx, v)) for v in wanted]:
        try:
            future.result()
            ctx.report.check(f"upstream {version}: pinned wheel fetched and installed", True)
        except StepError as e:
            ctx.report.check(f"upstream {version}: pinned wheel fetched and installed", False, e.detail())
    simple_types = capture_simple_types(ctx)
    ctx.workload = Workload(ctx.run, ctx.run_dir, ctx.pytest_site, simple_types)
    for version in SERVER_VERSIONS:
        for backend in BACKENDS:
            ctx.servers.start(ctx.upstream_venv(version), version, backend)


def clients(ctx: Context, pool: concurrent.futures.Executor, arm_future) -> None:
    """Baselines first, then the matrix, the relaxed bounds' sets, the emulated clients and the self-test, all in the
    pool."""
    wanted = {ctx.baselines.version_for(v) for v in ctx.versions} - {None}
    for future in [pool.submit(baseline, ctx, v) for v in UPSTREAM_PYTHONS if v in wanted]:
        future.result()
    jobs = plan(ctx)
    ctx.report.log(f"matrix: {len(jobs)} combinations to run on {ctx.args.jobs} workers")
    futures = []
    if arm_future is not None:
        try:
            prefix = arm_future.result()
            ctx.report.check("ARM: emulated aarch64 CPython ready", True)
            futures += [pool.submit(arm_client, ctx, prefix, v, ctx.wheels[v]) for v in ARM_VERSIONS if v in ctx.versions]
        except StepError as e:
            ctx.report.check("ARM: emulated aarch64 CPython ready", False, e.detail())
    futures += [pool.submit(combo, ctx, *job) for job in jobs]
    futures += [pool.submit(prove, ctx, v, pinned) for v in ctx.versions for pinned in bound_sets(ctx, v)]
    if not ctx.args.no_self_test and SELF_TEST_VERSION in ctx.versions:
        futures.append(pool.submit(self_test, ctx, ctx.wheels[SELF_TEST_VERSION]))
    for future in concurrent.futures.as_completed(futures):
        if future.exception():
            ctx.report.check("harness", False, repr(future.exception()))


def run(ctx: Context) -> None:
    started = time.monotonic()
    if not wheels_present(ctx):
        return
    shutil.rmtree(ctx.run_dir, ignore_errors=True)
    for d in ("logs", "transcripts", "junit", "venvs", "wheelhouse"):
        (ctx.run_dir / d).mkdir(parents=True, exist_ok=True)
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=ctx.args.jobs)
    arm_future = None
    if not ctx.args.no_arm and not ctx.args.self_test_only:  # network and one core: overlaps with the rest
        arm_future = pool.submit(prepare_rootfs, ctx.cache, ctx.logs, ctx.run.env)
    try:
        prepare(ctx, pool)
        if ctx.args.self_test_only:
            self_test(ctx, ctx.wheels[SELF_TEST_VERSION])
        else:
            clients(ctx, pool, arm_future)
        ctx.servers.stop_all()
    finally:
        ctx.servers.stop_all()
        pool.shutdown(wait=True)
        write_matrix(ctx, time.monotonic() - started)


def main(args: argparse.Namespace) -> int:
    if not Path(args.dist).is_dir():
        print(f"e2e mlmd: error: {args.dist} is not a directory", file=sys.stderr)
        print("  hint: build the pure wheels first (purewheel build) or pass their directory", file=sys.stderr)
        print("0 passed, 1 failed")
        return 1
    cache = Path(args.cache).resolve()
    # A private run folder (--run-dir) lets another harness run a subset beside a full run of this one.
    run_dir = Path(args.run_dir).resolve() if args.run_dir else cache / "run"
    report = Report(counts_skips=True, timestamps=True)
    try:
        run(Context(args, report, cache, Path(args.dist).resolve(), run_dir))
    except Exception as error:  # noqa: BLE001 - a harness bug must still end with the closing line
        import traceback

        traceback.print_exc()
        report.check("harness", False, repr(error))
    report.print_failures()
    print(report.closing_line(), flush=True)
    return report.exit_code()
