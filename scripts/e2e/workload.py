"""The MLMD pytest workload (workload/, run by guest/run_pytest.py inside the client's interpreter), its junit
counts, and the differential: a pure client's transcript must equal its version's upstream baseline."""

from __future__ import annotations

import json
import re
import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from .interpreters import version_tuple
from .paths import GUEST, WORKLOAD
from .proc import LoggedRunner, StepError
from .report import Report


@dataclass(frozen=True)
class WorkloadResult:
    transcript: Path
    passed: int
    failed: int
    skipped: int
    failures: list[str]
    servers: str  # the MLMD_E2E_SERVERS it ran against


class Workload:
    """Runs the workload for one client at a time (thread-safe: every run has its own files)."""

    def __init__(self, run_step: LoggedRunner, run_dir: Path, pytest_site: Path, simple_types: Path) -> None:
        self.run_step = run_step
        self.run_dir = run_dir
        self.pytest_site = pytest_site
        self.simple_types = simple_types

    def run(self, python, name: str, kind: str, version: str, servers: str, extra_env: dict | None = None,
            prefix: tuple = (), pythonpath: str | None = None) -> WorkloadResult:
        transcript = self.run_dir / "transcripts" / f"{name}.json"
        junit = self.run_dir / "junit" / f"{name}.xml"
        env = dict(self.run_step.env, MLMD_E2E_SERVERS=servers, MLMD_E2E_NAMESPACE=re.sub(r"[^A-Za-z0-9]", "_", name),
                   MLMD_E2E_CLIENT=kind, MLMD_E2E_VERSION=version, MLMD_E2E_SIMPLE_TYPES=str(self.simple_types),
                   MLMD_E2E_TRANSCRIPT=str(transcript))
        if pythonpath:
            env["PYTHONPATH"] = pythonpath
        env.update(extra_env or {})
        cmd = [*prefix, python, GUEST / "run_pytest.py", self.pytest_site, "-p", "no:cacheprovider", "-q", "-rfEs",
               f"--junitxml={junit}", "--rootdir", WORKLOAD, WORKLOAD]
        try:
            self.run_step(cmd, f"workload-{name}", env=env, cwd=self.run_dir)
        except StepError:
            pass  # counted from the junit report below
        counts = junit_counts(junit, self.run_step.log_path(f"workload-{name}"))
        return WorkloadResult(transcript, *counts, servers)


def junit_counts(junit: Path, log: Path) -> tuple[int, int, int, list[str]]:
    """(passed, failed, skipped, failing test names) of a junit report; no report or no test is one failure."""
    try:
        root = ET.parse(junit).getroot()
    except (OSError, ET.ParseError):
        return 0, 1, 0, [f"no junit report (log: {log})"]
    passed = failed = skipped = 0
    failures = []
    for case in root.iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
            failures.append(case.get("name"))
        elif case.find("skipped") is not None:
            skipped += 1
        else:
            passed += 1
    for suite in root.iter("testsuite"):  # collection errors have no testcase
        errors = int(suite.get("errors", 0)) - sum(1 for c in suite.iter("testcase") if c.find("error") is not None)
        for _ in range(max(errors, 0)):
            failed += 1
            failures.append(f"collection error (log: {log})")
    if passed + failed + skipped == 0:
        failed, failures = 1, [f"no test ran (log: {log})"]
    return passed, failed, skipped, failures


class Baselines:
    """The upstream clients' transcripts, by version (only those whose workload passed)."""

    def __init__(self, pinned_versions: list[str]) -> None:
        self.pinned = list(pinned_versions)
        self.transcripts: dict[str, Path] = {}
        self._lock = threading.Lock()

    def add(self, version: str, transcript: Path) -> None:
        with self._lock:
            self.transcripts[version] = transcript

    def version_for(self, version: str) -> str | None:
        """The upstream version whose transcript a pure wheel must reproduce: its own where its upstream wheel is
        pinned (and loads here), else the newest pinned one below it. So 1.21.0 (upstream needs glibc 2.39) and a
        version newer than this harness knows (a test-made next release) are compared with 1.17.1's baseline."""
        if version in self.pinned:
            return version
        return max((v for v in self.pinned if version_tuple(v) <= version_tuple(version)), key=version_tuple,
                   default=None)

    def differential(self, report: Report, name: str, result: WorkloadResult, version: str) -> bool:
        base = self.version_for(version)
        if base not in self.transcripts:  # its baseline failed (counted there): the newest one below
            base = max((v for v in self.transcripts if version_tuple(v) <= version_tuple(version)), key=version_tuple,
                       default=None)
        if base is None:
            return report.check(f"{name}: differential", False, "no upstream baseline transcript")
        try:
            got = json.loads(result.transcript.read_text())
            want = json.loads(self.transcripts[base].read_text())
        except (OSError, ValueError) as e:
            return report.check(f"{name}: differential vs upstream {base}", False, str(e))
        diffs = []
        for label in [item.split("=")[0] for item in result.servers.split(",")]:
            if label not in want:
                diffs.append(f"{label}: no baseline for this server")
                continue
            g, w = got.get(label, {}), want.get(label, {})
            diffs += [f"{label}:{k}" for k in sorted(set(g) | set(w)) if g.get(k) != w.get(k)]
        ok = not diffs and bool(got)
        return report.check(f"{name}: differential vs upstream {base} ({len(got)} servers)", ok,
                            "" if ok else ", ".join(diffs[:8]) or "empty transcript")
