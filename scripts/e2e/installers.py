"""Installing wheels into fresh venvs, one way per installer: pip (ensurepip's bundled wheel, run from the wheel),
uv, and `python -m installer` (from its wheel on PYTHONPATH); and venvs of tools kept in the e2e cache."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from .interpreters import bundled_pip, pip_version
from .proc import LoggedRunner, clean_env, run

INSTALLERS = ("pip", "uv", "installer")


@dataclass(frozen=True)
class Toolbox:
    """The installers' own programs: uv, and installer's wheels (1.x, and 0.7.0 for CPython 3.9)."""

    uv: Path
    installer_wheel: Path
    installer_wheel_py39: Path

    def installer_for(self, minor: str) -> Path:
        return self.installer_wheel_py39 if minor == "3.9" else self.installer_wheel


def install(run_step: LoggedRunner, tools: Toolbox, kind: str, python: Path, minor: str, venv: Path, house: Path,
            wheel: Path, name: str) -> str:
    """Installs wheel with its dependencies from the wheelhouse into a fresh venv; returns the installer's version.
    Raises StepError."""
    vpy = venv / "bin" / "python"
    if kind == "pip":
        # The pip that `python -m venv` would seed, run from its wheel: the same pip without ~8 s of seeding.
        pip = bundled_pip(python)
        run_step([python, "-m", "venv", "--without-pip", venv], name)
        run_step([vpy, pip / "pip", "install", "--quiet", "--no-index", "--find-links", house, wheel], name)
        run_step([vpy, pip / "pip", "check"], name)
        return pip_version(pip)
    if kind == "uv":
        run_step([tools.uv, "venv", "--quiet", "--python", python, venv], name)
        run_step([tools.uv, "pip", "install", "--quiet", "--python", vpy, "--offline", "--no-index", "--find-links",
                  house, wheel], name)
        return ""
    run_step([python, "-m", "venv", "--without-pip", venv], name)
    deps = sorted(p for p in house.glob("*.whl") if p.name != wheel.name)
    installer_wheel = tools.installer_for(minor)
    env = dict(run_step.env, PYTHONPATH=str(installer_wheel))
    if minor == "3.9":  # installer 0.7.0 takes one wheel per call
        for dep in deps:
            run_step([vpy, "-m", "installer", dep], name, env=env)
    else:
        run_step([vpy, "-m", "installer", *deps], name, env=env)
    # The wheel itself, with every RECORD hash checked where installer can (>= 1.0).
    validate = [] if minor == "3.9" else ["--validate-record", "all"]
    run_step([vpy, "-m", "installer", *validate, wheel], name, env=env)
    return installer_wheel.name.split("-")[1]


def make_venv(python: Path, folder: Path, pip_args: list) -> tuple[Path | None, str, float]:
    """A venv with `pip install pip_args` (pip's own configuration applies); (interpreter, "", s) or (None, why, s)."""
    start = time.monotonic()
    result = run([python, "-m", "venv", folder])
    if result.code != 0:
        return None, f"venv: exit {result.code}\n{result.tail()}", time.monotonic() - start
    vpy = folder / "bin" / "python"
    result = run([vpy, "-m", "pip", "install", "--disable-pip-version-check", "--no-input", "-q", *pip_args],
                 env=clean_env(), timeout=900)
    if result.code != 0:
        why = f"pip install {' '.join(str(a) for a in pip_args)}: exit {result.code}\n{result.tail(12)}"
        return None, why, time.monotonic() - start
    return vpy, "", time.monotonic() - start


def cached_venv(python: Path, folder: Path, pip_args: list, imports: str, stamp: str) -> tuple[Path | None, str]:
    """A tools venv kept in the e2e cache: reused while its stamp matches and its modules import, else made again.
    Returns (interpreter, "reused from the cache" / "created") or (None, why)."""
    vpy = folder / "bin" / "python"
    marker = folder / ".complete"
    if marker.is_file() and marker.read_text() == stamp and run([vpy, "-c", f"import {imports}"]).code == 0:
        return vpy, "reused from the cache"
    shutil.rmtree(folder, ignore_errors=True)
    vpy, error, seconds = make_venv(python, folder, pip_args)
    if vpy is None:
        return None, error
    marker.write_text(stamp)
    return vpy, f"created in {seconds:.0f} s"
