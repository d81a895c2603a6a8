"""The dependencies of a pure wheel (grpcio, protobuf, ...) as binary wheels for one CPython, resolved by pip from
its configured index and kept in the e2e cache, keyed by the interpreter and the wheel's requirements."""

from __future__ import annotations

import email.parser
import hashlib
import json
import shutil
import zipfile
from pathlib import Path

from .proc import clean_env, run


def requirements(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        [meta] = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA") and n.count("/") == 1]
        headers = email.parser.Parser().parsestr(archive.read(meta).decode())
    return sorted(headers.get_all("Requires-Dist") or []) + [headers.get("Requires-Python") or ""]


def wheelhouse(python: Path, wheel: Path, cache: Path) -> tuple[Path | None, str]:
    version = run([python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"]).out.strip()
    key = hashlib.sha256(json.dumps([version, requirements(wheel)]).encode()).hexdigest()[:16]
    house = cache / "release" / f"wheelhouse-cp{version.replace('.', '')}-{key}"
    if (house / ".done").is_file():
        return house, "reused from the cache"
    shutil.rmtree(house, ignore_errors=True)
    result = run([python, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--only-binary=:all:",
                  "-d", house, wheel], env=clean_env(), timeout=900)
    if result.code != 0:
        return None, f"pip download of the dependencies: exit {result.code}\n{result.tail()}"
    for copy in house.glob(wheel.name.split("-")[0] + "-*.whl"):
        copy.unlink()  # only the dependencies: the wheel under test comes from the index under test
    (house / ".done").write_text("\n".join(requirements(wheel)))
    return house, "resolved"
