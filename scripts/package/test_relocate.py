#!/usr/bin/env python3
"""Checks scripts/package/relocate.py on small wheels laid out as `auditwheel repair` lays them out (the stub, the
binary in `purewheel.scripts/`, a grafted library in `purewheel.libs/`), made here from /bin/true and the system's
libbz2: the good one is rewritten (the ELF back as the script, run path, library under `.data/data/`, a RECORD that
matches, same bytes twice), and each sabotaged one is refused with exit 65 naming the entry.

    test_relocate.py        (patchelf on PATH; prints `ok   - NAME` / `FAIL - NAME` lines, exits 1 on any failure)
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from make_wheel import record_row

HERE = Path(__file__).resolve().parent
VERSION = "9.9"
LIB = "libbz2-0123abcd.so.1.0"
STUB = b'#!python\nimport os\nimport sys\nimport sysconfig\n\n\nif __name__ == "__main__":\n    os.execv(\n' \
    b"        os.path.join(sysconfig.get_path(\"platlib\"), 'purewheel.scripts/purewheel'),\n        sys.argv,\n    )\n"
NOTICES = b"purewheel bundles\n\n==== bzip2 libbz2 (bzip2-1.0.6) ====\n\ntext\n"


def patchelf(*args: str) -> str:
    return subprocess.run(["patchelf", *args], check=True, capture_output=True, text=True).stdout.strip()


def elf_files(scratch: Path, extra_needed: str | None = None) -> tuple[bytes, bytes]:
    """A binary that needs the grafted library (and `extra_needed`), and that library with its hashed soname."""
    binary, library = scratch / "bin", scratch / "lib"
    shutil.copyfile("/bin/true", binary)
    shutil.copyfile(Path("/lib/x86_64-linux-gnu/libbz2.so.1.0").resolve(), library)
    patchelf("--set-soname", LIB, str(library))
    patchelf("--add-needed", LIB, str(binary))
    if extra_needed:
        patchelf("--add-needed", extra_needed, str(binary))
    patchelf("--force-rpath", "--set-rpath", "$ORIGIN/../purewheel.libs", str(binary))
    return binary.read_bytes(), library.read_bytes()


def repaired_wheel(path: Path, entries: dict[str, bytes], record_override: dict[str, str] | None = None) -> Path:
    rows = [record_row(name, data) for name, data in entries.items()]
    rows = [(record_override or {}).get(row.split(",")[0], row) for row in rows]
    rows.append(f"purewheel-{VERSION}.dist-info/RECORD,,")
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        archive.writestr(f"purewheel-{VERSION}.dist-info/RECORD", "\n".join(rows) + "\n")
    return path


def good_entries(binary: bytes, library: bytes) -> dict[str, bytes]:
    dist = f"purewheel-{VERSION}.dist-info"
    return {
        f"purewheel-{VERSION}.data/scripts/purewheel": STUB,
        f"purewheel.libs/{LIB}": library,
        "purewheel.scripts/purewheel": binary,
        f"{dist}/METADATA": b"Metadata-Version: 2.4\nName: purewheel\nVersion: 9.9\n",
        f"{dist}/WHEEL": b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: false\n"
        b"Tag: py3-none-manylinux_2_35_x86_64\n",
        f"{dist}/licenses/THIRD_PARTY_NOTICES.txt": NOTICES,
    }


def relocate(wheel: Path, out: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-B", str(HERE / "relocate.py"), str(wheel), str(out)]
    return subprocess.run(command, capture_output=True, text=True)


def main() -> int:
    failures = 0

    def check(name: str, condition: bool, detail: str = "") -> None:
        nonlocal failures
        print(f"ok   - {name}" if condition else f"FAIL - {name}" + (f": {detail}" if detail else ""))
        failures += not condition

    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        binary, library = elf_files(scratch)
        name = f"purewheel-{VERSION}-py3-none-manylinux_2_35_x86_64.whl"
        good = repaired_wheel(scratch / name, good_entries(binary, library))

        first, second = relocate(good, scratch / "out1"), relocate(good, scratch / "out2")
        check("relocate.py rewrites an auditwheel-repaired wheel", first.returncode == 0, first.stderr)
        if first.returncode == 0:
            out = Path(first.stdout.strip())
            with zipfile.ZipFile(out) as archive:
                names = archive.namelist()
                script = archive.read(f"purewheel-{VERSION}.data/scripts/purewheel")
                record = archive.read(f"purewheel-{VERSION}.dist-info/RECORD").decode()
            check("the script is the ELF binary", script.startswith(b"\x7fELF"))
            check("the library moved to .data/data/libexec/purewheel/",
                  f"purewheel-{VERSION}.data/data/libexec/purewheel/{LIB}" in names
                  and not any(n.startswith(("purewheel.libs/", "purewheel.scripts/")) for n in names), str(names))
            check("RECORD lists every entry with its hash", all(
                name == f"purewheel-{VERSION}.dist-info/RECORD" or f"{name},sha256=" in record for name in names))
            (scratch / "script").write_bytes(script)
            check("the script's run path is $ORIGIN/../libexec/purewheel (DT_RPATH)",
                  patchelf("--print-rpath", str(scratch / "script")) == "$ORIGIN/../libexec/purewheel"
                  and "(RPATH)" in subprocess.run(["readelf", "-d", str(scratch / "script")],
                                                   capture_output=True, text=True).stdout)
            check("the same input gives the same bytes", second.returncode == 0
                  and out.read_bytes() == Path(second.stdout.strip()).read_bytes())

        entries = good_entries(binary, library)
        dist = f"purewheel-{VERSION}.dist-info"
        sabotage = {
            "an unknown entry": ({**entries, "purewheel/extra.py": b"x"}, None, "purewheel/extra.py"),
            "a RECORD hash that does not match": (entries, {f"{dist}/METADATA": f"{dist}/METADATA,sha256=AAAA,3"},
                                                  f"{dist}/METADATA"),
            "a stub that is not auditwheel's": (
                {**entries, f"purewheel-{VERSION}.data/scripts/purewheel": b"#!python\n"}, None, "scripts/purewheel"),
            "a library with no licence notice": ({**entries, f"{dist}/licenses/THIRD_PARTY_NOTICES.txt": b"none\n"},
                                                 None, "libbz2"),
            "a library that is not ELF": ({**entries, f"purewheel.libs/{LIB}": b"not elf"}, None, LIB),
        }
        missing_binary, _ = elf_files(scratch, extra_needed="libmissing-deadbeef.so.1")
        sabotage["a binary needing a library the wheel lacks"] = (
            {**entries, "purewheel.scripts/purewheel": missing_binary}, None, "libmissing-deadbeef.so.1")
        for index, (label, (bad_entries, override, named)) in enumerate(sabotage.items()):
            (scratch / f"bad{index}").mkdir()
            bad = repaired_wheel(scratch / f"bad{index}" / name, bad_entries, override)
            result = relocate(bad, scratch / f"bad{index}" / "out")
            check(f"relocate.py refuses {label} (65, naming it)",
                  result.returncode == 65 and named in result.stderr and not (scratch / f"bad{index}" / "out").exists(),
                  f"exit {result.returncode}: {result.stderr.strip()}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
