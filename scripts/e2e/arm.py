"""The emulated aarch64 CPython (Debian bookworm's python3.11 under qemu-user, built by arm-rootfs.sh into the e2e
cache), and pip prepared once for it."""

from __future__ import annotations

import fcntl
import shutil
import subprocess
import zipfile
from pathlib import Path

from .paths import ARM_ROOTFS
from .proc import LoggedRunner, StepError

ARM_PYTHON = "3.11"  # Debian bookworm's python3.11 on aarch64


def prepare_rootfs(cache: Path, logs: Path, env: dict[str, str]) -> list[str]:
    """Builds (or reuses) the root file system; returns the command prefix that runs the emulated interpreter."""
    rootfs = cache / "arm" / "rootfs"
    rootfs.parent.mkdir(parents=True, exist_ok=True)
    log = logs / "arm-rootfs.log"
    # One builder at a time (another e2e may be preparing the same root file system).
    with open(rootfs.parent / ".rootfs.lock", "w") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        with open(log, "wb") as err:
            proc = subprocess.run(["bash", str(ARM_ROOTFS), str(rootfs)], stdout=subprocess.PIPE, stderr=err,
                                  env=env, timeout=1200)
    if proc.returncode != 0:
        raise StepError(f"arm-rootfs.sh failed (log: {log})", log)
    return proc.stdout.decode().strip().splitlines()[-1].split()


def emulated_pip(run_step: LoggedRunner, prefix: list[str], pip_wheel: Path, home: Path) -> Path:
    """pip unpacked once and byte-compiled by the emulated interpreter (kept in the cache): run from its wheel,
    every emulated start would compile all of pip again (~100 s instead of ~15 s)."""
    home = home / pip_wheel.stem
    if not (home / ".done").exists():
        shutil.rmtree(home, ignore_errors=True)
        with zipfile.ZipFile(pip_wheel) as z:
            z.extractall(home)
        compile_env = dict(run_step.env)
        compile_env.pop("PYTHONDONTWRITEBYTECODE", None)
        run_step([*prefix, "-m", "compileall", "-q", home], "arm-pip", env=compile_env, timeout=1200)
        (home / ".done").write_text(pip_wheel.name + "\n")
    return home
