"""The CPython interpreters of this machine: pyenv's newest patch release of a minor version, else pythonX.Y on
PATH; their full version; and the pip that `python -m venv` would seed (ensurepip's bundled wheel)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from .proc import StepError, run

PYTHONS = ("3.9", "3.10", "3.11", "3.12", "3.13")  # the CPython versions the e2e parts install into


def version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", text)[:3])


def python_allowed(requires_python: str | None, version: str) -> bool:
    """Evaluates a Requires-Python of plain clauses (>=, >, <=, <, ==, !=, with release numbers) for a version."""
    v = version_tuple(version)
    for clause in filter(None, (c.strip() for c in (requires_python or "").split(","))):
        m = re.fullmatch(r"(>=|<=|==|!=|>|<)\s*([0-9.]+)(\.\*)?", clause)
        if not m:
            raise ValueError(f"cannot evaluate Requires-Python clause {clause!r}")
        op, bound = m.group(1), version_tuple(m.group(2))
        left = v[:len(bound)] if m.group(3) or op in ("==", "!=") else v + (0,) * (len(bound) - len(v))
        ok = {">=": left >= bound, ">": left > bound, "<=": left <= bound, "<": left < bound, "==": left == bound,
              "!=": left != bound}[op]
        if not ok:
            return False
    return True


def _pyenv_root() -> Path | None:
    try:
        out = subprocess.run(["pyenv", "root"], capture_output=True, text=True, check=True).stdout.strip()
        return Path(out) if out else None
    except (OSError, subprocess.CalledProcessError):
        return None


class Interpreters:
    """Looks interpreters up once each (thread-safe)."""

    def __init__(self) -> None:
        self._found: dict[str, Path | None] = {}
        self._lock = threading.Lock()

    def find(self, minor: str) -> Path | None:
        """pyenv's newest CPython `minor`.N, else python<minor> on PATH, else None."""
        with self._lock:
            if minor not in self._found:
                self._found[minor] = self._look_up(minor)
            return self._found[minor]

    @staticmethod
    def _look_up(minor: str) -> Path | None:
        root = _pyenv_root()
        if root is not None:
            candidates = [c for c in (root / "versions").glob(f"{minor}.*")
                          if re.fullmatch(rf"{re.escape(minor)}\.\d+", c.name) and (c / "bin" / "python").exists()]
            if candidates:
                return max(candidates, key=lambda p: version_tuple(p.name)) / "bin" / "python"
        which = shutil.which(f"python{minor}")
        return Path(which) if which else None

    def driver_python(self, explicit: str | None) -> Path:
        """CPython 3.11 for the venvs of a part: --python, else pyenv's newest 3.11, else this interpreter."""
        if explicit:
            return Path(explicit)
        return self.find("3.11") or Path(sys.executable)


def full_version(python: Path | str, prefix: tuple = ()) -> str:
    """`platform.python_version()` of an interpreter (run behind prefix, e.g. an emulator)."""
    result = run([*prefix, python, "-c", "import platform; print(platform.python_version())"], timeout=1200)
    if result.code != 0:
        raise StepError(f"{python}: cannot read its version: {result.tail(3)}")
    return result.out.strip()


def bundled_pip(python: Path | str) -> Path:
    """The pip wheel `python -m venv` would seed; run from the wheel, it is that pip without ~8 s of seeding."""
    result = run([python, "-c", "import ensurepip, os; print(os.path.dirname(ensurepip.__file__))"])
    if result.code != 0:
        raise StepError(f"{python} has no ensurepip: {result.tail(3)}")
    [pip] = sorted(Path(result.out.strip(), "_bundled").glob("pip-*.whl"))
    return pip


def pip_version(pip_wheel: Path) -> str:
    return pip_wheel.name.split("-")[1]
