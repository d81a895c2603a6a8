#!/usr/bin/env python3
"""Writes the small wheels the package e2e part needs (stdlib only):

    fixtures.py OUT_DIR

- OUT_DIR/clean/demo-1.0-py3-none-any.whl: a valid pure wheel.
- OUT_DIR/badhash/demo-1.0-py3-none-any.whl: only the RECORD hash of demo/__init__.py is wrong (PW405), plus
  a stray .pyc (PW801, a warning).
- OUT_DIR/broken/demo-1.0-py3-none-any.whl: RECORD hash of demo/__init__.py wrong (PW405) and an entry whose
  name carries ESC, BEL and CR (PW205), to exercise escaping in the github format and exactness in SARIF.
"""
from __future__ import annotations

import base64
import hashlib
import sys
import zipfile
from pathlib import Path


def write(path: Path, files: dict[str, bytes], record_override: dict[str, bytes] | None = None) -> None:
    dist_info = "demo-1.0.dist-info"
    files = dict(files)
    files[f"{dist_info}/METADATA"] = b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n"
    files[f"{dist_info}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: e2e\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    rows = []
    for name, data in files.items():
        hashed = (record_override or {}).get(name, data)
        digest = base64.urlsafe_b64encode(hashlib.sha256(hashed).digest()).rstrip(b"=").decode()
        quoted = '"' + name.replace('"', '""') + '"' if any(c in name for c in ',"\r\n') else name
        rows.append(f"{quoted},sha256={digest},{len(data)}")
    rows.append(f"{dist_info}/RECORD,,")
    files[f"{dist_info}/RECORD"] = ("\n".join(rows) + "\n").encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)


def main() -> int:
    out = Path(sys.argv[1])
    write(out / "clean/demo-1.0-py3-none-any.whl", {"demo/__init__.py": b"VALUE = 1\n"})
    write(
        out / "badhash/demo-1.0-py3-none-any.whl",
        {"demo/__init__.py": b"VALUE = 1\n", "demo/x.pyc": b"\0"},
        record_override={"demo/__init__.py": b"VALUE = 2\n"},
    )
    write(
        out / "broken/demo-1.0-py3-none-any.whl",
        {"demo/__init__.py": b"VALUE = 1\n", "demo/\x1b]0;pwned\x07\r.py": b"x = 1\n"},
        record_override={"demo/__init__.py": b"VALUE = 2\n"},
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
