"""No false alarm on the current wheels of the most-downloaded PyPI projects (`python -m e2e popular`).

The projects are scripts/e2e_popular/projects.txt (from the package list's download ranks). pip picks each
project's wheel for this interpreter; wheels over 50 MB are skipped (counted in the output), and
`purewheel check --profile pypi` must give none an error that the default profile reports, unless
scripts/e2e_popular/allowlist.tsv argues it as a true defect. The log names version and sha256 of every wheel
checked; nothing is pinned. pip's resolution is reused for 24 h; PUREWHEEL_E2E_REFRESH=1 resolves again.
Warm with a resolution younger than 24 h: ~1 min; resolving again through pip: 5-10 min on 2 busy cores.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .paths import SCRIPTS, default_cache

HOME = SCRIPTS / "e2e_popular"
# Many files per invocation, two invocations at a time (each already streams a large wheel on two threads).
BATCHES = 8
AT_ONCE = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Nothing beyond the binary."""


def failed(what: str) -> int:
    print(what)
    print("e2e-popular: 0 passed, 1 failed")
    return 1


def check_batch(binary: Path, files: list[Path], output: Path) -> bool:
    """One `check --profile pypi --format json` over `files` into `output`; false when it crashed (exit above 1)."""
    with output.open("w") as out:
        command = [binary, "check", "--profile", "pypi", "--format", "json", *files]
        status = subprocess.run(command, stdout=out).returncode
    return 0 <= status <= 1


def main(args: argparse.Namespace) -> int:
    cache = default_cache() / "popular"
    reuse = "0" if os.environ.get("PUREWHEEL_E2E_REFRESH", "0") == "1" else "24"
    with tempfile.TemporaryDirectory(prefix="purewheel-e2e-popular.") as temp:
        work = Path(temp)
        manifest = work / "manifest.tsv"
        start = time.monotonic()
        fetch = [sys.executable, HOME / "fetch.py", HOME / "projects.txt", cache, manifest, "--max-bytes", "50000000",
                 "--reuse-hours", reuse]
        if subprocess.run(fetch).returncode != 0:
            return failed("fetch failed")
        print(f"fetched in {time.monotonic() - start:.0f} s", flush=True)
        rows = [line.split("\t") for line in manifest.read_text().splitlines()[1:]]
        files = [cache / row[2] for row in rows if len(row) > 4 and row[4] == "ok"]
        batches = [(files[index::BATCHES], work / f"batch.{index}.json") for index in range(BATCHES)]
        batches = [(part, output) for part, output in batches if part]
        with concurrent.futures.ThreadPoolExecutor(AT_ONCE) as pool:
            if not all(pool.map(lambda batch: check_batch(args.purewheel, *batch), batches)):
                return failed("purewheel check crashed")
        print(f"checked in {time.monotonic() - start:.0f} s", flush=True)
        reports = [output for _, output in batches]
        evaluate = [sys.executable, HOME / "evaluate.py", manifest, HOME / "allowlist.tsv", *reports]
        return subprocess.run(evaluate).returncode
