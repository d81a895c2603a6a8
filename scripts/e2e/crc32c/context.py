"""One run's settings and what its sections hand on to each other (the pins, the built wheel, the native
reference), passed explicitly to every section."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..interpreters import Interpreters
from ..paths import GUEST
from ..proc import LoggedRunner, StepError, harness_env, offline_env, run
from ..report import Report

DISTRIBUTION = "google-crc32c"
VERSION = "1.9.0"
PROBE = GUEST / "crc32c_probe.py"


@dataclass
class Context:
    report: Report
    purewheel: Path
    recipe: Path
    cache: Path
    interpreters: Interpreters = field(default_factory=Interpreters)
    pins: dict[str, str] = field(default_factory=dict)  # file name -> sha256 of VERSION
    files: dict[str, Path] = field(default_factory=dict)  # file name -> the fetched upstream file
    wheel: Path | None = None
    canonical: Path | None = None  # the upstream file the build took
    requires_python: str | None = None
    native: dict | None = None  # the native package's probe result
    data_sha256: str = ""
    results: list[tuple[str, str]] = field(default_factory=list)  # (target, outcome) for the summary

    def __post_init__(self) -> None:
        self.home = self.cache / "crc32c"
        self.run_dir = self.home / "run"
        self.logs = self.run_dir / "logs"
        self.data = self.run_dir / "data.bin"
        env = harness_env(self.cache)
        env.pop("UV_CACHE_DIR")
        self.run = LoggedRunner(self.logs, env)
        # Offline pip calls read no configuration file, so that a configured find-links folder cannot add files.
        self.offline_env = offline_env(env)

    def probe(self, cmd: list, name: str, env: dict[str, str] | None = None, timeout: float = 900) -> dict:
        """Runs crc32c_probe.py behind cmd on the data file; returns its JSON (raises StepError)."""
        log_path = self.logs / f"probe-{name}.json"
        result = run([*cmd, PROBE, self.data], env=env or self.run.env, timeout=timeout)
        log_path.write_text(result.out + ("\n--- stderr\n" + result.err if result.err else ""))
        if result.code != 0:
            raise StepError(f"probe exit {result.code}: {result.err.strip().splitlines()[-1:] or ''} (log: {log_path})",
                            log_path)
        return json.loads(result.out)
