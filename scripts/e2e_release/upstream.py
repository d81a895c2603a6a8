"""The real newest upstream files (ml-metadata 1.21.0, manylinux_2_39 x86-64, CPython 3.10-3.13), fetched with
`pip download` (pip's own index configuration) into the e2e cache and checked against their pins."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .proc import clean_env, run, sha256_file

DISTRIBUTION = "ml-metadata"
VERSION = "1.21.0"
PLATFORM = "manylinux_2_39_x86_64"
PYTHONS = ("3.10", "3.11", "3.12", "3.13")


def file_name(python: str, version: str = VERSION) -> str:
    tag = "cp" + python.replace(".", "")
    return f"ml_metadata-{version}-{tag}-{tag}-{PLATFORM}.whl"


def fetch(python: str, pins: dict[str, str], cache: Path, pip: list[str]) -> tuple[Path | None, str]:
    """Returns (path, how) or (None, why); a cached copy with the wrong sha256 is downloaded again."""
    name = file_name(python)
    pin = pins.get(name)
    if pin is None:
        return None, f"{name} is not pinned"
    target = cache / "upstream" / VERSION / name
    if target.is_file() and sha256_file(target) == pin:
        return target, "cached"
    partial = cache / "upstream" / ".partial"
    partial.mkdir(parents=True, exist_ok=True)
    dest = Path(tempfile.mkdtemp(prefix="release.", dir=partial))
    try:
        result = run([*pip, "download", "--quiet", "--no-deps", "--only-binary=:all:", "--platform", PLATFORM,
                      "--python-version", python, "--dest", dest, f"{DISTRIBUTION}=={VERSION}"],
                     env=clean_env(), timeout=600)
        got = dest / name
        if result.code != 0 or not got.is_file():
            return None, f"pip download exit {result.code}: {', '.join(os.listdir(dest)) or 'no file'}\n{result.tail()}"
        digest = sha256_file(got)
        if digest != pin:
            return None, f"{name}: sha256 {digest} differs from the pin {pin}"
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(got, target)
        return target, "downloaded"
    finally:
        shutil.rmtree(dest, ignore_errors=True)
