"""The upstream pins, read from the lock beside a recipe (`x.lock` beside `x.toml`, written by `purewheel lock`),
and `pip download` of one pinned file (with the same arguments as purewheel's own fetcher), checked against its
pin. No index host is named: pip's own configuration applies."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .hashing import sha256_file
from .proc import run


@dataclass(frozen=True, order=True)
class Pin:
    version: str
    name: str
    sha256: str

    @property
    def tags(self) -> tuple[str, str, str]:
        parts = self.name[: -len(".whl")].split("-")
        if len(parts) == 6:  # build tag
            parts = parts[:2] + parts[3:]
        _, _, python, abi, platform = parts
        return python, abi, platform

    @property
    def family(self) -> str:
        platform = self.tags[2]
        if platform.startswith(("manylinux", "musllinux", "linux")):
            return "linux"
        if platform.startswith("macosx"):
            return "macos"
        if platform.startswith("win"):
            return "windows"
        return "other"


@dataclass(frozen=True)
class Fetched:
    pin: Pin
    path: Path | None  # None when it could not be obtained
    how: str  # cached / downloaded / re-downloaded
    error: str


def lock_path(recipe: Path) -> Path:
    return recipe.with_suffix(".lock")


def read_toml(path: Path) -> dict:
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def load_pins(recipe: Path) -> tuple[str, list[Pin]]:
    """(the upstream distribution, every pin of the recipe's lock). Raises OSError, TOMLDecodeError or KeyError."""
    lock = read_toml(lock_path(recipe))
    pins = [Pin(version, name, digest.lower()) for version, table in lock["versions"].items()
            for name, digest in table.items()]
    return lock["distribution"], pins


def read_pins(recipe: Path) -> tuple[dict[str, dict[str, str]], str]:
    """({version: {file name: sha256}}, where they came from): the lock when it exists, else the recipe's own
    `[versions."V".wheels]` tables (before the lock existed). Raises OSError or TOMLDecodeError."""
    lock = lock_path(recipe)
    if lock.is_file():
        data = read_toml(lock)
        return {v: {n: h.lower() for n, h in t.items()} for v, t in data.get("versions", {}).items()}, lock.name
    data = read_toml(recipe)
    return ({v: {n: h.lower() for n, h in t.get("wheels", {}).items()} for v, t in data.get("versions", {}).items()},
            recipe.name)


def find_pin(pins: list[Pin], name: str) -> Pin:
    """The pin of one file name (KeyError naming it if the lock does not hold it)."""
    for pin in pins:
        if pin.name == name:
            return pin
    raise KeyError(f"{name} is not pinned in the lock")


def pip_download_args(pin: Pin, distribution: str, dest: Path) -> list[str]:
    """The same `pip download` arguments as purewheel's PipFetcher.downloadArguments."""
    python, abi, platform = pin.tags
    args = ["download", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check", "--dest", str(dest)]
    for tag in platform.split("."):
        if tag != "any":
            args += ["--platform", tag]
    first = python.split(".")[0]
    digits = first.lstrip("abcdefghijklmnopqrstuvwxyz")
    if digits[:1].isdigit() and digits[1:].isdigit():  # py3 has no minor version: pip would read "3" as 3.0
        args += ["--python-version", f"{digits[0]}.{digits[1:]}"]
        if first.startswith("cp"):
            args += ["--implementation", "cp"]
    for tag in abi.split("."):
        if tag != "none":
            args += ["--abi", tag]
    args.append(f"{distribution}=={pin.version}")
    return args


def pip_command() -> list[str]:
    """What purewheel would use: $PUREWHEEL_PIP, else pip3 or pip on PATH."""
    if os.environ.get("PUREWHEEL_PIP"):
        return os.environ["PUREWHEEL_PIP"].split(" ")
    for name in ("pip3", "pip"):
        found = shutil.which(name)
        if found:
            return [found]
    return [sys.executable, "-m", "pip"]


def describe(pip: list[str], pin: Pin, distribution: str) -> str:
    return shlex.join(pip + pip_download_args(pin, distribution, Path("DEST")))


def fetch_pinned(pin: Pin, distribution: str, folder: Path, pip: list[str]) -> Fetched:
    """FOLDER/<version>/<name>, downloaded unless a cached copy matches its pin (a wrong one is downloaded again)."""
    target = folder / pin.version / pin.name
    how = "downloaded"
    if target.is_file():
        if sha256_file(target) == pin.sha256:
            return Fetched(pin, target, "cached", "")
        how = "re-downloaded (cached copy had the wrong sha256)"
        target.unlink()
    partial = folder / ".partial"
    partial.mkdir(parents=True, exist_ok=True)
    dest = Path(tempfile.mkdtemp(prefix=pin.name[:40] + ".", dir=partial))
    try:
        result = run(pip + pip_download_args(pin, distribution, dest), timeout=600)
        got = dest / pin.name
        if result.code != 0:
            return Fetched(pin, None, how, f"pip download exit {result.code}:\n{result.tail()}")
        if not got.is_file():
            names = ", ".join(p.name for p in dest.iterdir()) or "nothing"
            return Fetched(pin, None, how, f"pip downloaded {names}, not {pin.name}")
        digest = sha256_file(got)
        if digest != pin.sha256:
            return Fetched(pin, None, how, f"sha256 {digest} != pin {pin.sha256}")
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(got, target)
        return Fetched(pin, target, how, "")
    finally:
        shutil.rmtree(dest, ignore_errors=True)
