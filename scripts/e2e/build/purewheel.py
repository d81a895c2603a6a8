"""The purewheel binary as section 2-6 call it, and what they read from its output folders."""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..proc import Result, run

CANONICAL_VERSION = "1.17.1"
DETERMINISM_VERSION = "1.21.0"
SOURCE_DATE_EPOCH = "1700000000"  # 2023-11-14T22:13:20Z, an even second (DOS times have 2 s resolution)
EXIT_BAD_INPUT, EXIT_NO_INPUT, EXIT_CONFIG = 65, 66, 78


class Purewheel:
    def __init__(self, binary: Path, recipe: Path) -> None:
        self.binary = binary
        self.recipe = recipe

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env.pop("SOURCE_DATE_EPOCH", None)
        env.update(extra)
        return env

    def build_wheels(self, inputs: list[Path], out: Path, *extra: str, cwd: Path | None = None, env: dict | None = None,
                     umask: int | None = None, recipe: Path | None = None, relative: bool = False) -> Result:
        recipe = recipe or self.recipe

        def arg(p: Path) -> str:
            return os.path.relpath(p, cwd) if relative and cwd else str(p)

        args = [self.binary, "build", arg(recipe)]
        for path in inputs:
            args += ["--wheel", arg(path)]
        args += ["--out", arg(out), *extra]
        return run(args, cwd=cwd, env=env or self.env(), umask=umask)

    def compare(self, a: Path, b: Path) -> Result:
        return run([self.binary, "compare", a, b])

    def check(self, wheel: Path) -> Result:
        return run([self.binary, "check", wheel])


def summary_sha(out: str) -> str | None:
    match = re.search(r"^\s*sha256\s+([0-9a-f]{64})\s*$", out, re.M)
    return match.group(1) if match else None


def whls(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.whl")) if folder.is_dir() else []


def others(folder: Path) -> list[str]:
    """Anything in an output folder that is not a wheel (e.g. a temp file left behind)."""
    return sorted(p.name for p in folder.iterdir() if p.suffix != ".whl") if folder.is_dir() else []
