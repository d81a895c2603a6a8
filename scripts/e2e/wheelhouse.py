"""pip's own resolution of a wheel's dependencies for one interpreter (binary wheels only), kept in the e2e cache
under `wheelhouse/`, keyed by the interpreter's minor version and the wheel's Requires-Python and Requires-Dist, so
versions with the same requirements share one resolution (a fresh machine resolves again).

With `hashed=True` (`--hashed-requirements`, as the release workflow runs it) nothing is resolved against the
index: each hash-pinned set `requirements/mlmd/cp<XY>-*.txt` of the interpreter is downloaded with
`--require-hashes` into its own folder under `hashed/`, and the first set that satisfies the wheel's requirements
(`pip install --dry-run --no-index`) is its wheelhouse; when none does, that is a failure, never a skip."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import threading
from pathlib import Path

from .hashing import sha256_file
from .paths import REQUIREMENTS
from .proc import LoggedRunner, StepError
from .wheels import requirements

HASHED_SETS = REQUIREMENTS / "mlmd"


class Wheelhouses:
    """One resolution per key at a time (thread-safe)."""

    def __init__(self, cache: Path, run_step: LoggedRunner, hashed: bool = False) -> None:
        self.root = cache / "wheelhouse"
        self.hashed_root = cache / "hashed"
        self.run_step = run_step
        self.hashed = hashed
        self._locks: dict[str, threading.Lock] = {}
        self._locks_lock = threading.Lock()

    def get(self, minor: str, python: Path, wheel: Path, log_name: str) -> tuple[Path | None, str]:
        """(folder, "") or (None, why): "no binary wheel of X for CPython M" is a real limit of the dependencies,
        anything else a failure."""
        if self.hashed:
            return self._hashed(minor, python, wheel, log_name)
        reqs = requirements(wheel)
        key = hashlib.sha256(json.dumps([minor, reqs]).encode()).hexdigest()[:16]
        with self._locks_lock:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            house = self.root / f"cp{minor.replace('.', '')}-{key}"
            done = house / ".done"
            if done.exists():
                return house, ""
            shutil.rmtree(house, ignore_errors=True)
            try:
                self.run_step([python, "-m", "pip", "download", "--quiet", "--only-binary=:all:", "-d", house, wheel],
                              log_name)
            except StepError as e:
                text = Path(e.log_path).read_text(errors="replace")
                m = re.search(r"Could not find a version that satisfies the requirement (\S+)", text)
                return None, f"no binary wheel of {m.group(1)} for CPython {minor}" if m else f"pip cannot resolve ({e})"
            # Only the dependencies stay: the wheel under test is always passed by path (or comes from its index).
            for copy in house.glob(wheel.name.split("-")[0] + "-*.whl"):
                copy.unlink()
            done.write_text(json.dumps(reqs))
            return house, ""

    def _hashed(self, minor: str, python: Path, wheel: Path, log_name: str) -> tuple[Path | None, str]:
        sets = sorted(HASHED_SETS.glob(f"cp{minor.replace('.', '')}-*.txt"))
        for pinned in sets:
            house = self._download_set(pinned, python, log_name)
            try:
                self.run_step([python, "-m", "pip", "install", "--dry-run", "--quiet", "--ignore-installed",
                               "--disable-pip-version-check", "--no-index", "--find-links", house, wheel], log_name)
            except StepError:
                continue
            return house, ""
        names = ", ".join(p.name for p in sets) or "none"
        return None, (f"no hash-pinned requirement set for CPython {minor} satisfies {wheel.name} (sets: {names}); "
                      f"add one to {HASHED_SETS} (see its .in files)")

    def _download_set(self, pinned: Path, python: Path, log_name: str) -> Path:
        """The files of one hash-pinned set, downloaded once per content of the set (thread-safe)."""
        key = f"{pinned.stem}-{sha256_file(pinned)[:12]}"
        with self._locks_lock:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            house = self.hashed_root / key
            if not (house / ".done").exists():
                shutil.rmtree(house, ignore_errors=True)
                self.run_step([python, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps",
                               "--only-binary=:all:", "--require-hashes", "-r", pinned, "-d", house], log_name)
                (house / ".done").write_text(pinned.name)
            return house
