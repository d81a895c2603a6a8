"""sha256 of files and folders, and the RECORD form of a digest (PEP 376 / the wheel spec)."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path


def sha256_file(path: Path | str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under a folder (relative path -> sha256), to prove that a failed command changed nothing."""
    if not folder.is_dir():
        return {}
    return {str(p.relative_to(folder)): sha256_file(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def record_hash(data: bytes) -> str:
    """`sha256=<urlsafe base64, no padding>` as a RECORD row holds it."""
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
