"""Running commands (captured, with a timeout) and hashing files."""

from __future__ import annotations

import hashlib
import os
import shlex
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Result:
    args: tuple[str, ...]
    code: int
    out: str
    err: str
    seconds: float

    def tail(self, lines: int = 8) -> str:
        text = (self.err.strip() + "\n" + self.out.strip()).strip()
        return "\n".join(text.splitlines()[-lines:])

    def command(self) -> str:
        return shlex.join(self.args)


def run(args: list, *, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 900) -> Result:
    """Runs a command to its end; a missing program is exit 127 and a timeout exit 124, never an exception."""
    argv = tuple(str(a) for a in args)
    start = time.monotonic()
    try:
        proc = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, errors="replace",
                              stdin=subprocess.DEVNULL, timeout=timeout)
        return Result(argv, proc.returncode, proc.stdout, proc.stderr, time.monotonic() - start)
    except FileNotFoundError as error:
        return Result(argv, 127, "", str(error), time.monotonic() - start)
    except subprocess.TimeoutExpired:
        return Result(argv, 124, "", f"timed out after {timeout:.0f} s: {shlex.join(argv)}", time.monotonic() - start)


def sha256_file(path: Path) -> str:
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


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without what would leak into a child (a venv, PYTHONPATH), plus extra."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env.update(extra)
    return env
