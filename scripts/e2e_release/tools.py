"""The tools venv (pypiserver, passlib, twine), installed with --require-hashes and kept in the e2e cache."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from .proc import clean_env, run, sha256_file

REQUIREMENTS = Path(__file__).resolve().parent / "requirements" / "release-tools.txt"


@dataclass(frozen=True)
class Tools:
    python: Path  # the venv's interpreter

    @property
    def bin(self) -> Path:
        return self.python.parent

    @property
    def pypi_server(self) -> Path:
        return self.bin / "pypi-server"

    @property
    def twine(self) -> Path:
        return self.bin / "twine"


def tools_venv(python: Path, cache: Path) -> tuple[Tools | None, str]:
    """Returns the venv (reused while the interpreter and the pins are the same) or None and why it failed."""
    version = run([python, "-c", "import sys; print(sys.version)"]).out.strip()
    key = sha256_file(REQUIREMENTS)[:12]
    folder = cache / "release" / f"tools-{key}"
    stamp = folder / ".complete"
    vpy = folder / "bin" / "python"
    if stamp.is_file() and stamp.read_text() == version and run(
            [vpy, "-c", "import pypiserver, passlib, twine"]).code == 0:
        return Tools(vpy), "reused from the cache"
    shutil.rmtree(folder, ignore_errors=True)
    made = run([python, "-m", "venv", folder])
    if made.code != 0:
        return None, f"python -m venv: exit {made.code}\n{made.tail()}"
    # pip's own index configuration applies (this is the one place the test reaches the real index for tools).
    installed = run([vpy, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-input",
                     "--only-binary=:all:", "--require-hashes", "-r", REQUIREMENTS], env=clean_env(), timeout=900)
    if installed.code != 0:
        return None, f"pip install -r {REQUIREMENTS.name}: exit {installed.code}\n{installed.tail(12)}"
    stamp.write_text(version)
    return Tools(vpy), "created"
