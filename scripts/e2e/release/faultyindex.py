"""A misbehaving package index on 127.0.0.1 for the e2e: the ways an index fails that pip reports as "no matching
distribution" or not at all, so that purewheel must notice them itself.

`FaultyIndex(folder)` serves `folder`'s wheels as a PEP 503 simple index (`/simple/<project>/`, `/files/<name>`) in a
thread of the driver; `mode` picks the misbehaviour of every later request:

    "ok"            serve normally
    "status:NNN"    answer every request with HTTP NNN (429, 407, 410, ...)
    "nolinks"       answer the project page with a 200 login page that lists no file (a captive portal)
    "slow"          accept, then say nothing for `slow_seconds` (pip's timeout must be shorter)
    "flaky"         answer every third project-page request after the first `flaky_skip` with 429
    "lying"         serve under each file's name the bytes of `liar` (a wheel of another version)

The server is bounded: it is a context manager, its threads are daemons of the driver, and a slow answer waits at
most `slow_seconds`; it stops by itself after `lifetime` seconds even if nobody stops it."""

from __future__ import annotations

import hashlib
import html
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


class FaultyIndex:
    def __init__(self, folder: Path, lifetime: float = 900) -> None:
        self.folder = folder
        self.lifetime = lifetime
        self.mode = "ok"
        self.slow_seconds = 8.0
        self.flaky_skip = 0
        self.liar: Path | None = None
        self.requests: list[str] = []
        self._pages = 0
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._stop = threading.Event()

    @property
    def port(self) -> int:
        assert self._server is not None
        return self._server.server_address[1]

    def simple(self, host: str = "127.0.0.1", scheme: str = "http") -> str:
        return f"{scheme}://{host}:{self.port}/simple/"

    def set(self, mode: str, **options) -> "FaultyIndex":
        with self._lock:
            self.mode, self._pages, self.requests = mode, 0, []
            for key, value in options.items():
                setattr(self, key, value)
        return self

    def __enter__(self) -> "FaultyIndex":
        index = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # the e2e prints its own lines
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                index._answer(self)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        threading.Thread(target=self._expire, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()

    def _expire(self) -> None:
        if not self._stop.wait(self.lifetime) and self._server is not None:
            self._server.shutdown()

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path.split("?")[0]
        with self._lock:
            mode = self.mode
            self.requests.append(path)
            page = path.startswith("/simple/")
            if page:
                self._pages += 1
            pages = self._pages
        if mode.startswith("status:"):
            return self._send(handler, int(mode.split(":")[1]), b"<html><body>no</body></html>")
        if mode == "slow":
            self._stop.wait(self.slow_seconds)
            return self._send(handler, 503, b"too late")
        if mode == "flaky" and page and pages > self.flaky_skip and (pages - self.flaky_skip) % 3 == 0:
            return self._send(handler, 429, b"slow down")
        if page:
            if mode == "nolinks":
                return self._send(handler, 200, b"<html><body><form>Sign in to continue</form></body></html>")
            return self._project_page(handler, path.strip("/").split("/")[-1])
        if path.startswith("/files/"):
            file = self.folder / Path(path).name
            if not file.is_file():
                return self._send(handler, 404, b"not found")
            body = (self.liar if mode == "lying" and self.liar else file).read_bytes()
            return self._send(handler, 200, body, "application/octet-stream")
        return self._send(handler, 404, b"not found")

    def _project_page(self, handler: BaseHTTPRequestHandler, project: str) -> None:
        links = []
        for file in sorted(self.folder.glob("*.whl")):
            if normalized(file.name.split("-")[0]) != normalized(project):
                continue
            served = self.liar if self.mode == "lying" and self.liar else file
            digest = hashlib.sha256(served.read_bytes()).hexdigest()
            name = html.escape(file.name)
            links.append(f'<a href="/files/{name}#sha256={digest}">{name}</a><br>')
        if not links:
            return self._send(handler, 404, b"not found")
        body = "<!DOCTYPE html><html><body>\n" + "\n".join(links) + "\n</body></html>\n"
        self._send(handler, 200, body.encode())

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: int, body: bytes, kind: str = "text/html") -> None:
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", kind)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
        except OSError:
            pass  # the client gave up (a timeout test)


def untrusted_host() -> str | None:
    """A name of this machine that resolves to 127.0.0.1 but is not `localhost` or an IP address: pip treats plain
    http to it as an untrusted host (its secure origins name loopback only by address and as `localhost`)."""
    name = socket.gethostname()
    try:
        if name and name != "localhost" and socket.gethostbyname(name) == "127.0.0.1":
            return name
    except OSError:
        pass
    return None


if __name__ == "__main__":  # a manual look: python -m e2e.release.faultyindex FOLDER MODE
    import sys

    with FaultyIndex(Path(sys.argv[1]), lifetime=120).set(sys.argv[2]) as index:
        print(index.simple(), flush=True)
        time.sleep(120)
