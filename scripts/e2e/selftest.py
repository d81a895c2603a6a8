"""Sabotaged copies of a good wheel, for self-tests that prove a check can fail: one changed behind RECORD's back
(the RECORD validators must refuse it), and the MLMD sabotages, each with a consistent RECORD so installers accept
them and only the workload can notice."""

from __future__ import annotations

import zipfile
from pathlib import Path

from .wheels import write_with_record

MLMD_SABOTAGES = ("system-types-removed", "extension-left-in", "upstream-metadata-store-py")


def behind_record(wheel: Path, out: Path) -> tuple[Path, str]:
    """Copies wheel with one `__init__.py` changed and RECORD left as it was; returns (copy, changed entry)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        victim = next(i.filename for i in source.infolist() if i.filename.endswith("/__init__.py"))
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, data + b"# sabotaged\n" if info.filename == victim else data)
    return out, victim


def mlmd_sabotage(wheel: Path, upstream_wheel: Path, kind: str, out: Path) -> Path:
    """Writes a sabotaged copy of the pure ml-metadata-remote wheel (kind: one of MLMD_SABOTAGES)."""
    with zipfile.ZipFile(wheel) as z:
        entries = {info.filename: z.read(info) for info in z.infolist() if not info.filename.endswith("/")}
    with zipfile.ZipFile(upstream_wheel) as up:
        upstream = {n: up.read(n) for n in up.namelist()}
    if kind == "system-types-removed":
        removed = [n for n in entries if n.endswith("metadata_store/mlmd_types.py")]
        assert removed, "no mlmd_types.py in the pure wheel"
        for n in removed:
            del entries[n]
    elif kind == "extension-left-in":
        so = "ml_metadata/metadata_store/pywrap/metadata_store_extension.so"
        entries[so] = upstream[so]
    elif kind == "upstream-metadata-store-py":
        path = "ml_metadata/metadata_store/metadata_store.py"
        entries[path] = upstream[path]
    else:
        raise ValueError(f"unknown sabotage {kind}")
    return write_with_record(entries, out)
