"""What every step gets: the report, the purewheel binary, the work folder and the temporary copy of recipes/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..report import Report

from .purewheel import Purewheel
from .tools import Tools

RECIPE_NAME = "ml-metadata-remote.toml"
TARGET = "ml_metadata/metadata_store/metadata_store.py"


@dataclass(frozen=True)
class Context:
    report: Report
    purewheel: Purewheel
    repo: Path  # the worktree (its recipes/ are never written)
    work: Path  # this run's temporary folder
    cache: Path  # the e2e cache ($PUREWHEEL_E2E_CACHE)
    python: Path  # CPython 3.11 for venvs
    tools: Tools

    @property
    def recipe(self) -> Path:
        """The recipe inside the temporary copy of recipes/."""
        return self.work / "recipes" / RECIPE_NAME

    @property
    def lock(self) -> Path:
        return self.recipe.with_suffix(".lock")

    def lock_bytes(self) -> bytes | None:
        return self.lock.read_bytes() if self.lock.is_file() else None
