#!/usr/bin/env python3
"""No false alarms on real wheels: `purewheel check` must report no error-severity finding on every pinned
upstream ml-metadata wheel (the recipe's pins) and on popular real wheels, pure and binary, pinned below by
sha256, one of them over 500 MB. Wheels are downloaded with pip exactly like purewheel's own fetcher does,
so the user's index settings apply. Warnings are printed, not failed. Ends with `N passed, N failed`.

    python3 scripts/e2e_check.py PUREWHEEL_BINARY
"""
from __future__ import annotations

import concurrent.futures
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "e2e_build"))
from e2e_build import Pinned, fetch_one, load_recipe, pip_command  # noqa: E402  (shared pip/pin logic)

ROOT = Path(__file__).resolve().parent.parent

# (distribution, version, file name, sha256): pure, binary, abi3, and one over 500 MB.
POPULAR = [
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
]


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 64
    binary = Path(sys.argv[1]).resolve()
    cache = Path(os.environ.get("PUREWHEEL_E2E_CACHE", Path.home() / ".cache/purewheel-e2e"))
    recipe, pins = load_recipe(ROOT / "recipes/ml-metadata-remote.toml")
    distribution = recipe["source"]["distribution"]
    jobs = [(distribution, pin, cache / "upstream") for pin in pins]
    jobs += [(name, Pinned(version, file, digest), cache / "popular") for name, version, file, digest in POPULAR]
    pip = pip_command()
    passed = failed = 0

    def fetch(job):
        dist, pin, folder = job
        return fetch_one(pin, dist, folder, pip)

    started = time.time()
    with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
        fetched = list(pool.map(fetch, jobs))
    print(f"fetched {len(fetched)} pinned wheels in {time.time() - started:.0f} s (pip: {' '.join(pip)})")
    for pin, path, how, error in fetched:
        if path is None:
            print(f"FAIL - fetch {pin.name}: {error}")
            failed += 1
            continue
        start = time.time()
        result = subprocess.run([str(binary), "check", "--format", "json", str(path)], capture_output=True, text=True)
        elapsed = time.time() - start
        try:
            report = json.loads(result.stdout)["wheels"][0]
        except (ValueError, KeyError, IndexError):
            print(f"FAIL - check {pin.name}: unreadable output (exit {result.returncode}): {result.stderr.strip()[:300]}")
            failed += 1
            continue
        errors = [f for f in report["findings"] if f["severity"] == "error"]
        warnings = [f for f in report["findings"] if f["severity"] == "warning"]
        size = path.stat().st_size / 1e6
        ok = not errors and result.returncode == 0
        verdict = "ok  " if ok else "FAIL"
        print(f"{verdict} - check {pin.name} ({size:.1f} MB, {elapsed:.1f} s): {len(errors)} errors, {len(warnings)} warnings")
        for finding in errors + warnings:
            print(f"       {finding['severity']}: {finding['code']} {finding.get('entry') or ''} {finding['message']}")
        passed += ok
        failed += not ok
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
