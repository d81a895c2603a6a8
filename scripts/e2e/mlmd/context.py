"""One run's settings and state (servers, tools, results), passed explicitly to every step."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

from ..installers import INSTALLERS, Toolbox
from ..interpreters import PYTHONS, Interpreters
from ..pins import load_pins
from ..paths import REPO
from ..proc import LoggedRunner, harness_env
from ..report import Report
from ..servers import MlmdServers
from ..wheelhouse import Wheelhouses
from ..workload import Baselines, Workload

VERSIONS = ("1.14.0", "1.15.0", "1.16.0", "1.17.0", "1.17.1", "1.21.0")
ARM_VERSIONS = ("1.17.1", "1.21.0")  # Debian bookworm's python3.11 on aarch64
SELF_TEST_VERSION = "1.17.1"
RECIPE = REPO / "recipes" / "ml-metadata-remote.toml"
# The upstream platform wheels used as MLMD servers and as the differential (baseline) clients: version -> the
# CPython of the manylinux x86-64 file whose pin the recipe's lock holds. 1.21.0 is absent on purpose: its wheels
# need glibc 2.39 (this machine has 2.36).
UPSTREAM_PYTHONS = {"1.14.0": "3.10", "1.15.0": "3.10", "1.16.0": "3.10", "1.17.0": "3.10", "1.17.1": "3.11"}


@dataclass
class Context:
    args: argparse.Namespace
    report: Report
    cache: Path
    dist: Path
    run_dir: Path
    interpreters: Interpreters = field(default_factory=Interpreters)
    tools: Toolbox | None = None
    pytest_site: Path | None = None
    workload: Workload | None = None
    results: dict[tuple[str, str, str], dict] = field(default_factory=dict)  # (version, minor, installer) -> row
    arm_results: dict[str, dict] = field(default_factory=dict)
    selftest_report: list[tuple[str, int, int, list[str]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.logs = self.run_dir / "logs"
        self.run = LoggedRunner(self.logs, harness_env(self.cache))
        self.distribution, self.pins = load_pins(RECIPE)
        self.wheelhouses = Wheelhouses(self.cache, self.run, hashed=self.args.hashed_requirements)
        self.servers = MlmdServers(self.run, self.report, self.run_dir)
        self.baselines = Baselines(list(UPSTREAM_PYTHONS))
        self.versions = self.args.versions.split(",") if self.args.versions else VERSIONS
        self.pythons = self.args.pythons.split(",") if self.args.pythons else PYTHONS
        self.installers = self.args.installers.split(",") if self.args.installers else list(INSTALLERS)
        self.wheels = {v: self.dist / f"ml_metadata_remote-{v}-py3-none-any.whl" for v in self.versions}

    def upstream_venv(self, version: str) -> Path:
        # A venv filled from pip's resolution never serves a run that promises hash-pinned dependencies.
        return self.cache / "venvs" / f"upstream-{version}{'-hashed' if self.args.hashed_requirements else ''}"
