#!/usr/bin/env python3
"""The standalone download of a purewheel release: the wheel's files as pip installs them, in a tarball.

    standalone.py WHEEL OUT_DIR

Writes OUT_DIR/purewheel-<version>-linux-<arch>.tar.gz holding `purewheel-<version>-linux-<arch>/bin/purewheel`
(the wheel's `.data/scripts/purewheel`) and `.../libexec/purewheel/` (its `.data/data/libexec/purewheel/`): the
binary's run path `$ORIGIN/../libexec/purewheel` finds the libraries wherever the folder is unpacked. Deterministic
(sorted entries, time 0, owner root, no gzip name or time); prints the path it wrote. Exit 65 names a wheel entry
that is neither, or a wheel without the binary.
"""
from __future__ import annotations

import gzip
import io
import re
import sys
import tarfile
import zipfile
from pathlib import Path


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 64
    wheel, out_dir = Path(sys.argv[1]), Path(sys.argv[2])
    match = re.fullmatch(r"purewheel-([^-]+)-py3-none-(?:[a-z0-9_.]+_)?(x86_64|aarch64)\.whl", wheel.name)
    if not match:
        print(f"{wheel}: not a purewheel-<version>-py3-none-<platform>_<arch>.whl file name", file=sys.stderr)
        return 65
    version, arch = match.groups()
    top = f"purewheel-{version}-linux-{arch}"
    data = f"purewheel-{version}.data"
    members: list[tuple[str, bytes, int]] = []
    with zipfile.ZipFile(wheel) as archive:
        for info in archive.infolist():
            name = info.filename
            if name == f"{data}/scripts/purewheel":
                members.append((f"{top}/bin/purewheel", archive.read(info), 0o755))
            elif name.startswith(f"{data}/data/libexec/purewheel/") and not info.is_dir():
                members.append((f"{top}/libexec/purewheel/{name.rsplit('/', 1)[1]}", archive.read(info), 0o644))
            elif not name.startswith("purewheel-") or not name.split("/")[0].endswith(".dist-info"):
                print(f"{wheel}: {name}: neither the binary, a library nor .dist-info", file=sys.stderr)
                return 65
    if not any(name.endswith("/bin/purewheel") for name, _, _ in members):
        print(f"{wheel}: no {data}/scripts/purewheel", file=sys.stderr)
        return 65
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        folders = sorted({f"{top}/bin", f"{top}/libexec", f"{top}/libexec/purewheel", top})
        for folder in folders:
            info = tarfile.TarInfo(folder)
            info.type, info.mode = tarfile.DIRTYPE, 0o755
            tar.addfile(info)
        for name, content, mode in sorted(members):
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(content), mode
            tar.addfile(info, io.BytesIO(content))
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"{top}.tar.gz"
    with open(out, "wb") as handle, gzip.GzipFile(filename="", mode="wb", fileobj=handle, mtime=0) as compressed:
        compressed.write(buffer.getvalue())
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
