"""The release part's options and run (`python -m e2e release`).

Order: 1. the test-made releases and the upstream index; 2. pending -> lock -> build -> check -> provenance -> MLMD
workload for 1.22.0; 3. the broken 1.23.0 is refused; 4. publish to an index with upload authentication and install
from it, 4b. then a fixed repack of it (`revision = 1`); 5. bad input. Every server is stopped by PID on the way out, also on failure, Ctrl-C or SIGTERM. Ends with
a table of every check and `N passed, N failed`."""

from __future__ import annotations

import argparse
import shutil
import signal
import tempfile
import time
from pathlib import Path

from ..hashing import snapshot
from ..interpreters import Interpreters
from ..paths import REPO, default_cache
from ..report import Report, guarded

from . import step_bad_input, step_broken, step_index_faults, step_next, step_publish, step_releases
from .context import RECIPE_NAME, Context
from .index import Index
from .purewheel import Purewheel
from .tools import tools_venv

NEEDED = ("build", "check", "lock", "pending", "verify-provenance")


def stop_on_sigterm(signum, frame) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repo", type=Path, default=REPO,
                        help="the worktree (default this one; recipes/ is copied, never written)")
    parser.add_argument("--cache", type=Path, default=default_cache())
    parser.add_argument("--python", help="CPython 3.11 for the venvs (default: pyenv's 3.11)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--only", choices=["faults"], help="faults: only steps 1 and 5b (the misbehaving index)")


def main(args: argparse.Namespace) -> int:
    signal.signal(signal.SIGTERM, stop_on_sigterm)

    started = time.monotonic()
    report = Report()
    repo, cache = args.repo.resolve(), args.cache.resolve()
    cache.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="purewheel-e2e-release."))
    repo_recipes = snapshot(repo / "recipes")
    shutil.copytree(repo / "recipes", work / "recipes")
    # A checkout: provenance statements record the recipe relative to the repository root, the folder holding .git.
    (work / ".git").mkdir()
    python = Interpreters().driver_python(args.python)
    pw = Purewheel.probe(args.purewheel.resolve(), work / "purewheel-cache")
    print(f"purewheel: {pw.binary} (subcommands: {', '.join(sorted(pw.subcommands)) or 'none'})")
    print(f"recipes:   {work / 'recipes'} (a copy of {repo / 'recipes'})")
    print(f"cache:     {cache}\nwork:      {work}\npython:    {python}")
    missing = [n for n in NEEDED if not pw.has(n)]
    if missing:
        print(f"not in this purewheel yet: {', '.join(missing)} (their checks fail)")

    try:
        report.section("0", "tools")
        tools, how = tools_venv(python, cache)
        if report.check("pypiserver, passlib and twine installed with --require-hashes", tools is not None, how):
            ctx = Context(report, pw, repo, work, cache, python, tools)
            run_steps(ctx, args.only)
    except KeyboardInterrupt as stop:
        report.check("the run was not interrupted", False, str(stop) or "Ctrl-C")
    finally:
        report.section("6", "clean-up")
        report.check(f"the repository's recipes/ ({RECIPE_NAME} and its lock) are unchanged",
                     snapshot(repo / "recipes") == repo_recipes)
        print("\n" + report.table())
        if report.failed or args.keep:
            print(f"\nwork folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
        print(f"wall time {time.monotonic() - started:.0f} s")
        print(report.closing_line(), flush=True)
    return 0 if report.failed == 0 else 1


def run_steps(ctx: Context, only: str | None = None) -> None:
    r = ctx.report
    r.section("1", "a test-made next release (1.22.0: every patched region moved by 3 lines) and a broken one (1.23.0)")
    releases = guarded(r, "1", lambda: step_releases.make(ctx))
    if releases is None:
        return
    if only == "faults":
        run_faults(ctx, releases)
        return
    with Index(ctx.tools.pypi_server, releases.served, ctx.work / "upstream-index.log") as index:
        status, page = index.page("ml-metadata")
        count = page.count(".whl#sha256=")
        r.check(f"upstream index {index.simple} serves the 12 ml-metadata files", status == 200 and count == 12,
                f"HTTP {status}, {count} files")
        r.section("2", "1.22.0: pending -> lock -> build -> check -> provenance -> MLMD workload, no recipe edit")
        wheel = guarded(r, "2", lambda: step_next.run_step(ctx, releases, index))
        r.section("3", "the broken 1.23.0 is refused with exit 78")
        guarded(r, "3", lambda: step_broken.run_step(ctx, releases, index))
        r.section("4", "publish 1.22.0 to an index with upload authentication; install it from there")
        if wheel is None:
            r.check("a built 1.22.0 wheel to publish", False, "step 2 built none")
        else:
            guarded(r, "4", lambda: step_publish.run_step(ctx, wheel, index))
        r.section("5", "bad input: exit codes, messages, nothing changed")
        guarded(r, "5", lambda: step_bad_input.run_step(ctx, releases, index))
    run_faults(ctx, releases)


def run_faults(ctx: Context, releases) -> None:
    ctx.report.section("5b", "a misbehaving index on 127.0.0.1: never 'nothing pending'; only wheels are published")
    guarded(ctx.report, "5b", lambda: step_index_faults.run_step(ctx, releases))
