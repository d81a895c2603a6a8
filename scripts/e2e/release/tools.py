"""The tools venv (pypiserver, passlib, twine), installed with --require-hashes and kept in the e2e cache."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..hashing import sha256_file
from ..installers import cached_venv
from ..paths import REQUIREMENTS as FOLDER
from ..proc import run

REQUIREMENTS = FOLDER / "release-tools.txt"


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
    folder = cache / "release" / f"tools-{sha256_file(REQUIREMENTS)[:12]}"
    # pip's own index configuration applies (this is the one place the test reaches the real index for tools).
    vpy, how = cached_venv(python, folder, ["--only-binary=:all:", "--require-hashes", "-r", REQUIREMENTS],
                           "pypiserver, passlib, twine", version)
    return (Tools(vpy), how) if vpy is not None else (None, how)
