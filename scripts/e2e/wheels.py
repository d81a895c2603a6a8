"""Reading and rewriting wheels with Python's zipfile: METADATA headers, RECORD rows, a RECORD recomputed for
changed entries, and a RECORD check (the independent oracle beside purewheel's own)."""

from __future__ import annotations

import csv
import email.message
import email.parser
import io
import zipfile
from pathlib import Path

from .hashing import record_hash


def metadata(wheel: Path) -> email.message.Message:
    """The wheel's METADATA headers."""
    with zipfile.ZipFile(wheel) as archive:
        [meta] = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA") and n.count("/") == 1]
        return email.parser.Parser().parsestr(archive.read(meta).decode())


def requirements(wheel: Path) -> list[str]:
    """Requires-Dist (sorted) and Requires-Python, the key of a dependency resolution."""
    headers = metadata(wheel)
    return sorted(headers.get_all("Requires-Dist") or []) + [headers.get("Requires-Python") or ""]


def record_row(name: str, data: bytes) -> tuple[str, str, str]:
    return name, record_hash(data), str(len(data))


def record_bytes(entries: dict[str, bytes], record_name: str) -> bytes:
    """A RECORD for entries (in their order), its own row last and empty."""
    rows = [record_row(n, data) for n, data in entries.items() if n != record_name]
    rows.append((record_name, "", ""))
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode()


def write_with_record(entries: dict[str, bytes], out: Path) -> Path:
    """Writes entries as a wheel whose RECORD is recomputed, so installers accept the changed entries."""
    [record] = [n for n in entries if n.endswith(".dist-info/RECORD")]
    entries = dict(entries)
    entries[record] = record_bytes(entries, record)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out


def verify_record(wheel: Path) -> list[str]:
    """Problems of a wheel's RECORD against its entries (empty when every hash and size matches)."""
    problems = []
    with zipfile.ZipFile(wheel) as archive:
        names = [n for n in archive.namelist() if not n.endswith("/")]
        [record] = [n for n in names if n.endswith(".dist-info/RECORD")]
        rows = {row[0]: tuple(row) for row in csv.reader(io.StringIO(archive.read(record).decode()))}
        for name in names:
            if name == record:
                continue
            want = record_row(name, archive.read(name))
            if rows.get(name) != want:
                problems.append(f"{name}: RECORD {rows.get(name)} != {want}")
        problems += [f"{n}: in RECORD, not in the archive" for n in rows if n not in names]
    return problems
