"""The real newest upstream files (ml-metadata 1.21.0, manylinux_2_39 x86-64, CPython 3.10-3.13), fetched with
`pip download` (pip's own index configuration) into the e2e cache and checked against their pins."""

from __future__ import annotations

from pathlib import Path

from ..pins import Pin, fetch_pinned

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
    if name not in pins:
        return None, f"{name} is not pinned"
    fetched = fetch_pinned(Pin(VERSION, name, pins[name]), DISTRIBUTION, cache / "upstream", pip)
    return (fetched.path, fetched.how) if fetched.path is not None else (None, fetched.error)
