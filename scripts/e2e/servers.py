"""MLMD gRPC servers (guest/mlmd_server.py in an upstream venv), started once per run and stopped by PID: each
must print its readiness line, pass the raw gRPC checks (guest/server_check.py) and exit 0 on SIGTERM."""

from __future__ import annotations

import re
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from .paths import GUEST
from .proc import LoggedRunner, StepError, tail
from .report import Report

SERVER_VERSIONS = ("1.14.0", "1.17.1")
BACKENDS = ("memory", "sqlite")
# 1.14.0 and 1.17.1 clients talk to both servers' versions; the others (and "arm") to the newest.
CLIENT_SERVERS = {"1.14.0": SERVER_VERSIONS, "1.17.1": SERVER_VERSIONS}  # read only
DEFAULT_CLIENT_SERVERS = ("1.17.1",)


@dataclass
class Server:
    proc: subprocess.Popen
    port: int
    version: str
    backend: str
    startup: float


class MlmdServers:
    """The running servers of one run, by label (`<version>-<backend>`)."""

    def __init__(self, run_step: LoggedRunner, report: Report, run_dir: Path) -> None:
        self.run_step = run_step
        self.report = report
        self.run_dir = run_dir
        self.running: dict[str, Server] = {}
        self.stopped = False

    def start(self, venv: Path, version: str, backend: str) -> None:
        label = f"{version}-{backend}"
        log = self.run_step.log_path(f"server-{label}")
        cmd = [str(venv / "bin" / "python"), str(GUEST / "mlmd_server.py"), "--backend", backend, "--ready-file",
               str(self.run_dir / f"server-{label}.ready")]
        if backend == "sqlite":
            cmd += ["--sqlite-path", str(self.run_dir / f"server-{label}.sqlite")]
        started = time.monotonic()
        with open(log, "wb") as err:
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, env=self.run_step.env, text=True)
        line = proc.stdout.readline().strip()  # the readiness line, or "" if it died
        match = re.match(r"MLMD_SERVER_READY port=(\d+) pid=(\d+) mlmd=(\S+) backend=(\S+)", line)
        ok = bool(match) and int(match.group(2)) == proc.pid and match.group(3) == version
        self.report.check(f"server {label}: readiness line", ok, line or tail(log))
        if not ok:
            proc.kill()
            proc.wait()
            return
        self.running[label] = Server(proc, int(match.group(1)), version, backend, time.monotonic() - started)
        name = f"server {label}: raw gRPC (UNIMPLEMENTED x3, OK, NOT_FOUND)"
        try:
            self.run_step([venv / "bin" / "python", GUEST / "server_check.py", match.group(1)], f"server-check-{label}")
            self.report.check(name, True)
        except StepError as e:
            self.report.check(name, False, e.detail())

    def stop_all(self) -> None:
        """SIGTERM to each server by PID; each must exit 0 within 20 s (else it is killed and the check fails)."""
        if self.stopped:
            return
        self.stopped = True
        for label, server in self.running.items():
            server.proc.send_signal(signal.SIGTERM)
            try:
                rc = server.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.proc.kill()
                server.proc.wait()
                rc = "killed after 20 s"
            self.report.check(f"server {label}: clean exit on SIGTERM", rc == 0, f"exit status {rc}")

    def spec(self, version: str) -> str:
        """MLMD_E2E_SERVERS for a client version: label=host:port, comma-separated."""
        labels = [f"{v}-{b}" for v in CLIENT_SERVERS.get(version, DEFAULT_CLIENT_SERVERS) for b in BACKENDS]
        return ",".join(f"{label}=127.0.0.1:{self.running[label].port}" for label in labels if label in self.running)

    def describe(self) -> str:
        return ", ".join(f"{label} (start {s.startup:.2f} s)" for label, s in self.running.items())
