"""What every section gets: the report, the purewheel binary, the work folder and the e2e cache."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..report import Report
from .purewheel import Purewheel


@dataclass(frozen=True)
class Context:
    report: Report
    purewheel: Purewheel
    work: Path  # this run's temporary folder
    cache: Path  # the e2e cache ($PUREWHEEL_E2E_CACHE)
