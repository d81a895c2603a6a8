"""Running commands: captured to memory (`run`, never raises) or to a log file per step (`LoggedRunner`, raises
`StepError` naming the log), the environment a child gets, and the tail of a log."""

from __future__ import annotations

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


def run(args: list, *, env: dict[str, str] | None = None, cwd: Path | str | None = None, timeout: float = 900,
        umask: int | None = None) -> Result:
    """Runs a command to its end; a missing program is exit 127 and a timeout exit 124, never an exception."""
    argv = tuple(str(a) for a in args)
    start = time.monotonic()
    preexec = (lambda: os.umask(umask)) if umask is not None else None
    try:
        proc = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, errors="replace",
                              stdin=subprocess.DEVNULL, preexec_fn=preexec, timeout=timeout)
        return Result(argv, proc.returncode, proc.stdout, proc.stderr, time.monotonic() - start)
    except FileNotFoundError as error:
        return Result(argv, 127, "", str(error), time.monotonic() - start)
    except subprocess.TimeoutExpired:
        return Result(argv, 124, "", f"timed out after {timeout:.0f} s: {shlex.join(argv)}", time.monotonic() - start)


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without what would leak into a child (a venv, PYTHONPATH), plus extra."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env.update(extra)
    return env


def offline_env(env: dict[str, str]) -> dict[str, str]:
    """env for a pip that reads no configuration file, so that a configured find-links folder or index cannot add
    files."""
    out = dict(env, PIP_CONFIG_FILE=os.devnull)
    for key in ("PIP_FIND_LINKS", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL"):
        out.pop(key, None)
    return out


def tail(path: Path | str | None, lines: int = 30) -> str:
    """The last lines of a log file ("" when there is none)."""
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except (OSError, TypeError):
        return ""


class StepError(Exception):
    """A step failed; log_path names the log that says why (if there is one)."""

    def __init__(self, message: str, log_path: Path | None = None) -> None:
        super().__init__(message)
        self.log_path = log_path

    def detail(self, lines: int = 30) -> str:
        return f"{self}\n{tail(self.log_path, lines)}" if self.log_path else str(self)


class LoggedRunner:
    """Runs commands with their output appended to LOGS/<name>.log, in a given environment."""

    def __init__(self, logs: Path, env: dict[str, str]) -> None:
        self.logs = logs
        self.env = env

    def log_path(self, name: str) -> Path:
        return self.logs / f"{name}.log"

    def __call__(self, cmd: list, name: str, env: dict[str, str] | None = None, timeout: float = 900,
                 cwd: Path | None = None) -> Path:
        """Runs cmd; returns its log, or raises StepError naming the log on a non-zero exit or a timeout."""
        log_path = self.log_path(name)
        with open(log_path, "ab") as out:
            out.write(("$ " + " ".join(str(c) for c in cmd) + "\n").encode())
            out.flush()
            try:
                proc = subprocess.run([str(c) for c in cmd], stdout=out, stderr=subprocess.STDOUT,
                                      env=env or self.env, timeout=timeout, cwd=cwd)
            except subprocess.TimeoutExpired:
                raise StepError(f"timed out after {timeout}s: {cmd[0]} (log: {log_path})", log_path) from None
        if proc.returncode != 0:
            raise StepError(f"exit {proc.returncode}: {' '.join(str(c) for c in cmd[:4])} ... (log: {log_path})",
                            log_path)
        return log_path

    def capture(self, cmd: list, env: dict[str, str] | None = None, timeout: float = 900) -> Result:
        """Runs cmd in this runner's environment, its output captured (never raises)."""
        return run(cmd, env=env or self.env, timeout=timeout)

    def stdout(self, cmd: list, env: dict[str, str] | None = None) -> str:
        """The standard output of a command that must succeed (raises StepError otherwise)."""
        result = self.capture(cmd, env=env)
        if result.code != 0:
            raise StepError(f"exit {result.code}: {result.command()[:200]}: {result.tail(3)}")
        return result.out


def harness_env(cache: Path) -> dict[str, str]:
    """The environment of the e2e's own pip/uv calls: caches in the e2e cache, no prompts, no bytecode."""
    env = clean_env(PIP_CACHE_DIR=str(cache / "pip-cache"), UV_CACHE_DIR=str(cache / "uv-cache"),
                    PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1", PYTHONDONTWRITEBYTECODE="1")
    return env
