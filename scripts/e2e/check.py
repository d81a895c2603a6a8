"""No false alarms on real wheels (`python -m e2e check`):
`purewheel check` must report no error-severity finding on every pinned upstream ml-metadata wheel (the recipe
lock's pins) and on popular real wheels, pure and binary, pinned below by sha256, one of them over 500 MB. Wheels
are downloaded with pip exactly like purewheel's own fetcher does, so the user's index settings apply. Warnings are
printed, not failed. First, the checks of e2e/native.py: objects compiled here with gcc that a process loads fail the
check in a pure wheel. Ends with `N passed, N failed`.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import time
from pathlib import Path

from .native import check_native
from .check_local import run_local
from .paths import REPO, default_cache
from .pins import Fetched, Pin, fetch_pinned, load_pins, pip_command
from .proc import run
from .report import Report

# (distribution, version, file name, sha256): pure, binary, abi3, and one over 500 MB. scripts/bench.sh reads
# torch's pin from this table.
POPULAR = (
    ("six", "1.16.0", "six-1.16.0-py2.py3-none-any.whl", "8abb2f1d86890a2dfb989f9a77cfcfd3e47c2a354b01111771326f8aa26e0254"),
    ("requests", "2.32.3", "requests-2.32.3-py3-none-any.whl", "70761cfe03c773ceb22aa2f671b4757976145175cdfca038c02654d061d6dcc6"),
    ("attrs", "24.2.0", "attrs-24.2.0-py3-none-any.whl", "81921eb96de3191c8258c199618104dd27ac608d9366f5e35d011eae1867ede2"),
    ("protobuf", "5.28.3", "protobuf-5.28.3-cp38-abi3-manylinux2014_x86_64.whl", "712319fbdddb46f21abb66cd33cb9e491a5763b2febd8f228251add221981135"),
    ("grpcio", "1.67.1", "grpcio-1.67.1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", "f9fff78ba10d4250bfc07a01bd6254a6d87dc67f9627adece85c0b2ed754fa96"),
    ("numpy", "2.1.3", "numpy-2.1.3-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", "bc6f24b3d1ecc1eebfbf5d6051faa49af40b03be1aaa781ebdadcbc090b4539b"),
    ("cryptography", "43.0.3", "cryptography-43.0.3-cp39-abi3-manylinux_2_28_x86_64.whl", "c2e6fc39c4ab499049df3bdf567f768a723a5e8464816e8f009f121a5a9f4405"),
    ("numpy", "2.1.3", "numpy-2.1.3-cp311-cp311-macosx_14_0_arm64.whl", "576a1c1d25e9e02ed7fa5477f30a127fe56debd53b8d2c89d5578f9857d03ca9"),
    ("pydantic-core", "2.27.1", "pydantic_core-2.27.1-cp311-none-win_amd64.whl", "3af385b0cee8df3746c3f406f38bcbfdc9041b5c2d5ce3e5fc6637256e60bbc5"),
    ("torch", "2.5.1", "torch-2.5.1-cp311-cp311-manylinux1_x86_64.whl", "de5b7d6740c4b636ef4db92be922f0edc425b65ed78c5076c43c42d362a45457"),
)


def count(items: list, noun: str) -> str:
    """`1 error`, `2 errors`: the noun in the singular for one, as purewheel's own summaries say it."""
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"


def check_one(report: Report, binary: Path, fetched: Fetched) -> None:
    """purewheel check on one fetched wheel: no error-severity finding and exit 0."""
    pin, path = fetched.pin, fetched.path
    if path is None:
        report.check(f"fetch {pin.name}", False, fetched.error)
        return
    result = run([binary, "check", "--format", "json", path])
    try:
        wheel_report = json.loads(result.out)["wheels"][0]
    except (ValueError, KeyError, IndexError):
        report.check(f"check {pin.name}", False, f"unreadable output (exit {result.code}): {result.err.strip()[:300]}")
        return
    errors = [f for f in wheel_report["findings"] if f["severity"] == "error"]
    warnings = [f for f in wheel_report["findings"] if f["severity"] == "warning"]
    size = path.stat().st_size / 1e6
    report.check(f"check {pin.name} ({size:.1f} MB, {result.seconds:.1f} s): {count(errors, 'error')}, "
                 f"{count(warnings, 'warning')}", not errors and result.code == 0)
    for finding in errors + warnings:
        report.note(f"   {finding['severity']}: {finding['code']} {finding.get('entry') or ''} {finding['message']}")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Nothing beyond the binary."""


def main(args: argparse.Namespace) -> int:
    binary = args.purewheel
    cache = default_cache()
    report = Report()
    report.section("native", "native code never passes as pure (objects compiled here)")
    check_native(report, binary)
    run_local(report, binary)
    report.section("real", "no false alarms on real wheels")
    distribution, pins = load_pins(REPO / "recipes" / "ml-metadata-remote.toml")
    jobs = [(distribution, pin, cache / "upstream") for pin in pins]
    jobs += [(name, Pin(version, file, digest), cache / "popular") for name, version, file, digest in POPULAR]
    pip = pip_command()
    started = time.time()
    with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
        fetched = list(pool.map(lambda job: fetch_pinned(job[1], job[0], job[2], pip), jobs))
    print(f"fetched {len(fetched)} pinned wheels in {time.time() - started:.0f} s (pip: {' '.join(pip)})")
    for item in fetched:
        check_one(report, binary, item)
    print(report.closing_line(), flush=True)
    return report.exit_code()
