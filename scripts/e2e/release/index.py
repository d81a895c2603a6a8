"""Local package indexes: pypiserver on 127.0.0.1 and a free port, started and stopped by PID.

`Index` is a context manager: the server is always stopped on leaving it (also on failure or Ctrl-C), first with
SIGTERM, then SIGKILL, and its exit is reaped."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from ..proc import clean_env


def free_port() -> int:
    """A port nothing listens on right now (the kernel's choice for an ephemeral bind)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def closed_port() -> int:
    """A port that refuses connections: a free port nobody is told to listen on."""
    return free_port()


class Index:
    """One pypiserver process serving `folder` (HTML simple API, no fallback to another index)."""

    def __init__(self, server: Path, folder: Path, log: Path, htpasswd: Path | None = None) -> None:
        self.server = server
        self.folder = folder
        self.log = log
        self.htpasswd = htpasswd
        self.port = 0
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def simple(self) -> str:
        return f"{self.url}simple/"

    def __enter__(self) -> "Index":
        self.folder.mkdir(parents=True, exist_ok=True)
        auth = ["-P", self.htpasswd, "-a", "update"] if self.htpasswd else ["-P", ".", "-a", "."]
        for _ in range(3):  # a port taken between free_port() and the bind: try another one
            self.port = free_port()
            # simple-dir: no listing cache, so a file replaced in the folder is served at once.
            cmd = [self.server, "run", "-i", "127.0.0.1", "-p", str(self.port), *auth, "--disable-fallback",
                   "--backend", "simple-dir", "--hash-algo", "sha256", "--health-endpoint", "/health", self.folder]
            with open(self.log, "ab") as out:
                self.process = subprocess.Popen([str(c) for c in cmd], stdout=out, stderr=subprocess.STDOUT,
                                                stdin=subprocess.DEVNULL, env=clean_env())
            if self._wait_ready(30):
                return self
            self._stop()
        raise RuntimeError(f"pypiserver did not start (log: {self.log})")

    def __exit__(self, *exc) -> None:
        self._stop()

    def _wait_ready(self, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(f"{self.url}health", timeout=2) as response:
                    if response.status == 200:
                        return True
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        return False

    def _stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    def page(self, project: str) -> tuple[int, str]:
        """The simple-API page of a project: (HTTP status, body)."""
        try:
            with urllib.request.urlopen(f"{self.simple}{project}/", timeout=10) as response:
                return response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, ""
        except (urllib.error.URLError, OSError) as error:
            return 0, str(error)

    def download(self, path: str) -> bytes | None:
        try:
            with urllib.request.urlopen(f"{self.url}{path.lstrip('/')}", timeout=30) as response:
                return response.read()
        except (urllib.error.URLError, OSError):
            return None
