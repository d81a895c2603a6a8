#!/usr/bin/env python3
"""Lays out the purewheel binary as a platform wheel, the way maturin ships ruff and uv: the binary under
`purewheel-<v>.data/scripts/purewheel` (installers put it in the environment's bin/), METADATA whose
description is taken from the README, the licence notices under `.dist-info/licenses/`, and RECORD.
Deterministic: sorted entries, one timestamp (SOURCE_DATE_EPOCH or 1980-01-01), fixed modes.

    make_wheel.py BINARY VERSION PLATFORM_TAG README OUT_DIR NOTICE_FILE...

Stdlib only (zipfile, hashlib); prints the path of the wheel it wrote.
"""
from __future__ import annotations

import base64
import hashlib
import os
import re
import sys
import time
import zipfile
from pathlib import Path


def description(readme: str) -> str:
    """The README's introduction and its installation and `purewheel check` sections."""
    sections = re.split(r"(?m)^(?=## )", readme)
    keep = [sections[0]]
    keep += [s for s in sections[1:] if s.startswith("## `purewheel check`") or s.startswith("## Install")]
    return "".join(keep).rstrip() + "\n"


def metadata(version: str, readme: str, licenses: list[str]) -> str:
    summary = "Check the integrity of any Python wheel, and turn platform wheels into verified pure wheels"
    lines = [
        "Metadata-Version: 2.4",
        "Name: purewheel",
        f"Version: {version}",
        f"Summary: {summary}",
        "Keywords: wheel,packaging,zip,record,lint,pre-commit,sarif",
        "Classifier: Environment :: Console",
        "Classifier: Intended Audience :: Developers",
        "Classifier: Operating System :: POSIX :: Linux",
        "Classifier: Topic :: Software Development :: Build Tools",
        "Classifier: Topic :: System :: Archiving :: Packaging",
    ]
    lines += [f"License-File: {name}" for name in licenses]
    lines += ["Description-Content-Type: text/markdown; charset=UTF-8; variant=GFM", "", ""]
    return "\n".join(lines) + description(readme)


def record_row(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def write_wheel(out: Path, dist_info: str, files: list[tuple[str, bytes, int]]) -> None:
    """Writes `files` (name, bytes, mode) with the `.dist-info` entries last and a fresh RECORD after them, every
    entry deflated and stamped with one time (SOURCE_DATE_EPOCH or 1980-01-01), so the same input gives the same
    bytes. Written beside `out` and renamed over it, so a failed run leaves no partial wheel."""
    files = sorted(files, key=lambda f: (f[0].startswith(f"{dist_info}/"), f[0].encode()))
    record = "".join(record_row(name, data) + "\n" for name, data, _ in files) + f"{dist_info}/RECORD,,\n"
    files.append((f"{dist_info}/RECORD", record.encode(), 0o644))
    epoch = max(int(os.environ.get("SOURCE_DATE_EPOCH", "315532800")), 315532800)
    stamp = time.gmtime(epoch)[:6]
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data, mode in files:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    partial.replace(out)


def main() -> int:
    if len(sys.argv) < 7:
        print(__doc__, file=sys.stderr)
        return 64
    binary, version, platform, readme, out_dir, *notices = sys.argv[1:]
    dist_info = f"purewheel-{version}.dist-info"
    license_names = [Path(n).name for n in notices]
    files: list[tuple[str, bytes, int]] = [
        (f"purewheel-{version}.data/scripts/purewheel", Path(binary).read_bytes(), 0o755),
    ]
    files += [(f"{dist_info}/licenses/{Path(n).name}", Path(n).read_bytes(), 0o644) for n in notices]
    files.append((f"{dist_info}/METADATA", metadata(version, Path(readme).read_text("utf-8"), license_names).encode(), 0o644))
    wheel_text = f"Wheel-Version: 1.0\nGenerator: purewheel scripts/package\nRoot-Is-Purelib: false\nTag: py3-none-{platform}\n"
    files.append((f"{dist_info}/WHEEL", wheel_text.encode(), 0o644))
    out = Path(out_dir) / f"purewheel-{version}-py3-none-{platform}.whl"
    write_wheel(out, dist_info, files)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
