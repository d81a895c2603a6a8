#!/usr/bin/env python3
"""Turns the wheel `auditwheel repair` wrote back into one whose script is the purewheel binary itself.

auditwheel moves an ELF script to `<name>.scripts/` in platlib and leaves a Python stub in `.data/scripts/` that
execs it from the interpreter's default platlib: wrong for `pip install --user`, `--prefix` and `--target`, and every
start pays for a Python start. Installers put `.data/scripts/` in `<base>/bin` and `.data/data/` in `<base>` itself,
for every scheme (venv, `--user`, `--prefix`, `--root`, `--home`; `--target` moves both into the target folder), so
the one relative path that holds everywhere is from `bin/` to a folder under `.data/data/`. This script

  - puts the binary back as `<name>-<v>.data/scripts/purewheel` with the run path `$ORIGIN/../libexec/purewheel`
    (DT_RPATH, as auditwheel sets it, so LD_LIBRARY_PATH cannot swap a grafted library),
  - moves the grafted libraries from `purewheel.libs/` to `<name>-<v>.data/data/libexec/purewheel/` (not under
    `lib/`: `pip install --target` drops data files under `lib/`, which it takes for the library folder),
  - drops the stub and keeps `.dist-info` as it is, with a RECORD written anew.

It refuses (exit 65, naming the entry) any layout it does not know, a RECORD that does not match the input, a library
that is not ELF, a grafted library no ELF file can find, and a grafted library with no section in the licence
notices. Output is deterministic (make_wheel.write_wheel).

    relocate.py REPAIRED_WHEEL OUT_DIR

Needs `patchelf` on PATH; prints the path of the wheel it wrote.
"""
from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from make_wheel import record_row, write_wheel

NAME = "purewheel"
# Relative to the installed script's folder (`<base>/bin`); `.data/data/` lands in `<base>`.
LIB_DIR = "libexec/purewheel"
RPATH = f"$ORIGIN/../{LIB_DIR}"
STUB_MARK = b"os.execv("
LIBRARY = re.compile(r"lib[A-Za-z0-9_+]+-[0-9a-f]{8}\.so(\.[0-9]+)*")


LAYOUT_HINT = "auditwheel's output layout changed; update scripts/package/relocate.py"


class LayoutError(Exception):
    """The repaired wheel is not what this script knows how to rewrite (or must not ship as it is)."""

    def __init__(self, message: str, hint: str = LAYOUT_HINT) -> None:
        super().__init__(message)
        self.hint = hint


def patchelf(*args: str) -> str:
    return subprocess.run(["patchelf", *args], check=True, capture_output=True, text=True).stdout.strip()


def read_entries(wheel: Path) -> dict[str, tuple[bytes, int]]:
    """Every file entry (name → bytes, mode), directory entries skipped, each checked against RECORD."""
    entries: dict[str, tuple[bytes, int]] = {}
    with zipfile.ZipFile(wheel) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            if info.filename in entries:
                raise LayoutError(f"{info.filename}: listed twice")
            entries[info.filename] = (archive.read(info), (info.external_attr >> 16) & 0o777)
    records = [name for name in entries if name.endswith(".dist-info/RECORD")]
    if len(records) != 1:
        raise LayoutError(f"expected one .dist-info/RECORD, found {len(records)}")
    rows = {}
    for line in entries[records[0]][0].decode("utf-8").splitlines():
        name = line.rsplit(",", 2)[0]
        rows[name] = line
    for name, (data, _) in entries.items():
        if name == records[0]:
            continue
        if rows.get(name) != record_row(name, data):
            raise LayoutError(f"{name}: RECORD does not match the entry")
    if set(rows) != set(entries):
        raise LayoutError(f"RECORD lists entries the wheel lacks: {sorted(set(rows) - set(entries))}")
    return entries


def needed(path: Path) -> list[str]:
    return patchelf("--print-needed", str(path)).split()


def relocate(repaired: Path, out_dir: Path) -> Path:
    match = re.fullmatch(rf"{NAME}-([^-]+)-py3-none-([^-]+)\.whl", repaired.name)
    if not match:
        raise LayoutError(f"{repaired.name}: not a {NAME}-<version>-py3-none-<platform>.whl file name")
    version = match.group(1)
    data_dir, dist_info = f"{NAME}-{version}.data", f"{NAME}-{version}.dist-info"
    entries = read_entries(repaired)
    stub_name, moved_name = f"{data_dir}/scripts/{NAME}", f"{NAME}.scripts/{NAME}"
    libraries: dict[str, bytes] = {}
    kept: list[tuple[str, bytes, int]] = []
    for name, (data, mode) in entries.items():
        if name == stub_name:
            if not (data.startswith(b"#!python") and STUB_MARK in data and moved_name.encode() in data):
                raise LayoutError(f"{name}: not auditwheel's stub that execs {moved_name}")
        elif name == moved_name:
            if not data.startswith(b"\x7fELF"):
                raise LayoutError(f"{name}: not an ELF file")
        elif name.startswith(f"{NAME}.libs/"):
            base = name.removeprefix(f"{NAME}.libs/")
            if not LIBRARY.fullmatch(base) or not data.startswith(b"\x7fELF"):
                raise LayoutError(f"{name}: not a grafted ELF library")
            libraries[base] = data
        elif name.startswith(f"{dist_info}/"):
            if name != f"{dist_info}/RECORD":
                kept.append((name, data, mode))
        else:
            raise LayoutError(f"{name}: unexpected entry")
    if stub_name not in entries or moved_name not in entries:
        raise LayoutError(f"expected {stub_name} (stub) and {moved_name} (binary)")

    notices = entries.get(f"{dist_info}/licenses/THIRD_PARTY_NOTICES.txt", (b"", 0))[0].decode("utf-8")
    headings = "\n".join(line for line in notices.splitlines() if line.startswith("==== "))
    for base in sorted(libraries):
        stem = base.split("-", 1)[0]
        if not re.search(rf"\b{re.escape(stem)}\b", headings):
            raise LayoutError(f"{NAME}.libs/{base}: grafted, but THIRD_PARTY_NOTICES.txt has no {stem} section",
                              hint=f"add the licence of {stem} to the notices in scripts/package.sh")

    with tempfile.TemporaryDirectory() as scratch:
        binary = Path(scratch, NAME)
        binary.write_bytes(entries[moved_name][0])
        # This one entry only: auditwheel's `$ORIGIN` would make the loader search bin/ for the libraries first.
        patchelf("--force-rpath", "--set-rpath", RPATH, str(binary))
        if patchelf("--print-rpath", str(binary)) != RPATH:
            raise LayoutError(f"{moved_name}: patchelf did not set the run path {RPATH}")
        for path, data in [(binary, None)] + [(Path(scratch, base), data) for base, data in libraries.items()]:
            if data is not None:
                path.write_bytes(data)
            for soname in needed(path):
                if re.fullmatch(r".*-[0-9a-f]{8}\.so(\.[0-9]+)*", soname) and soname not in libraries:
                    raise LayoutError(f"{path.name} needs {soname}, which the wheel does not carry")
        binary_bytes = binary.read_bytes()

    files = [(stub_name, binary_bytes, 0o755)]
    files += [(f"{data_dir}/data/{LIB_DIR}/{base}", data, 0o644) for base, data in libraries.items()]
    files += kept
    out = out_dir / repaired.name
    write_wheel(out, dist_info, files)
    return out


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 64
    try:
        out = relocate(Path(sys.argv[1]), Path(sys.argv[2]))
    except LayoutError as error:
        print(f"{sys.argv[1]}: {error}\nhint: {error.hint}", file=sys.stderr)
        return 65
    except subprocess.CalledProcessError as error:
        print(f"{sys.argv[1]}: {' '.join(error.cmd)} exited {error.returncode}: {error.stderr.strip()}", file=sys.stderr)
        return 1
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
