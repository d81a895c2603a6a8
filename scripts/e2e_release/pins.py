"""The upstream pins: the lock beside the recipe (`<recipe>.lock`, schema 1) when it exists, else the recipe's own
`[versions."V".wheels]` tables (before the lock existed)."""

from __future__ import annotations

import tomllib
from pathlib import Path


def lock_path(recipe: Path) -> Path:
    return recipe.with_suffix(".lock")


def read_pins(recipe: Path) -> tuple[dict[str, dict[str, str]], str]:
    """Returns ({version: {file name: sha256}}, where they came from). Raises OSError or TOMLDecodeError."""
    lock = lock_path(recipe)
    if lock.is_file():
        with open(lock, "rb") as handle:
            data = tomllib.load(handle)
        return {v: {n: h.lower() for n, h in t.items()} for v, t in data.get("versions", {}).items()}, lock.name
    with open(recipe, "rb") as handle:
        data = tomllib.load(handle)
    return ({v: {n: h.lower() for n, h in t.get("wheels", {}).items()} for v, t in data.get("versions", {}).items()},
            recipe.name)


def read_lock(lock: Path) -> dict:
    with open(lock, "rb") as handle:
        return tomllib.load(handle)
