"""pip's own resolution of a wheel's dependencies for one interpreter (binary wheels only), kept in the e2e cache
under `wheelhouse/`, keyed by the interpreter's minor version and the wheel's Requires-Python and Requires-Dist, so
versions with the same requirements share one resolution (a fresh machine resolves again)."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import threading
from pathlib import Path

from .proc import LoggedRunner, StepError
from .wheels import requirements


class Wheelhouses:
    """One resolution per key at a time (thread-safe)."""

    def __init__(self, cache: Path, run_step: LoggedRunner) -> None:
        self.root = cache / "wheelhouse"
        self.run_step = run_step
        self._locks: dict[str, threading.Lock] = {}
        self._locks_lock = threading.Lock()

    def get(self, minor: str, python: Path, wheel: Path, log_name: str) -> tuple[Path | None, str]:
        """(folder, "") or (None, why): "no binary wheel of X for CPython M" is a real limit of the dependencies,
        anything else a failure."""
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
