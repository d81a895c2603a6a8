"""`purewheel check`'s local guarantees, with the real binary and no network (run by e2e.check before the downloads):
a pyproject.toml owned by another user does not configure the check, a `check -` killed while spooling leaves no copy
of the wheel, and a stream over --max-total-size is refused as PW100.
"""

from __future__ import annotations

import base64
import hashlib
import os
import signal
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path

from .report import Report

NOBODY = 65534


def expect(report: Report, name: str, ok: bool, detail: str) -> None:
    """A check whose detail is shown only when it fails."""
    report.check(name, ok, "" if ok else detail)


def broken_wheel(folder: Path) -> Path:
    """demo-1.0-py3-none-any.whl whose RECORD gives __init__.py a wrong hash (PW405, an error)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "demo-1.0-py3-none-any.whl"
    wrong = base64.urlsafe_b64encode(hashlib.sha256(b"other").digest()).rstrip(b"=").decode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("demo/__init__.py", "X = 1\n")
        archive.writestr("demo-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n")
        archive.writestr("demo-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\nGenerator: e2e\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        archive.writestr("demo-1.0.dist-info/RECORD", f"demo/__init__.py,sha256={wrong},6\ndemo-1.0.dist-info/METADATA,,\n"
                         "demo-1.0.dist-info/WHEEL,,\ndemo-1.0.dist-info/RECORD,,\n")
    return path


def stranger_configuration(report: Report, binary: Path) -> None:
    """A permissive pyproject.toml owned by `nobody` above the working folder changes nothing and is named."""
    if os.geteuid() != 0:
        report.skip("a stranger's pyproject.toml is not applied", "needs root to give a file to nobody")
        return
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        wheel = broken_wheel(root / "dist")
        config = root / "pyproject.toml"
        config.write_text('[tool.purewheel.check]\nignore = ["PW4", "PW8"]\n')
        os.chown(config, NOBODY, NOBODY)
        (root / "work").mkdir()
        result = subprocess.run([binary, "check", wheel], cwd=root / "work", capture_output=True, text=True)
        expect(report, "a stranger's pyproject.toml does not turn errors off", result.returncode == 1 and "PW405" in result.stdout,
                     f"exit {result.returncode}: {result.stdout[-300:]}")
        expect(report, "standard error names the file passed over", f"warning: {config}: not applied" in result.stderr,
                     result.stderr[-300:])
        os.chown(config, 0, 0)
        owned = subprocess.run([binary, "check", wheel], cwd=root / "work", capture_output=True, text=True)
        expect(report, "root's own file applies and the report names it",
                     owned.returncode == 0 and owned.stdout.startswith(f"configuration: {config}\n"), owned.stdout[-300:])


def spool_files(folder: Path) -> list[Path]:
    """Regular files under folder (links not followed)."""
    return [Path(d) / f for d, _, files in os.walk(folder) for f in files if (Path(d) / f).is_file() and not (Path(d) / f).is_symlink()]


def killed_stream_leaves_nothing(report: Report, binary: Path) -> None:
    """SIGKILL while standard input is being spooled: the bytes were in a file no name leads to."""
    with tempfile.TemporaryDirectory() as scratch:
        spool = Path(scratch)
        proc = subprocess.Popen([binary, "check", "-", "--stdin-filename", "demo-1.0-py3-none-any.whl", "--no-config"],
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env={**os.environ, "TMPDIR": str(spool)})
        assert proc.stdin is not None
        sent = 8 << 20
        proc.stdin.write(b"\0" * sent)
        proc.stdin.flush()
        # Wait until the spooled file holds what the pipe could not: then the copy is under way.
        spooled = 0
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and spooled < sent - (1 << 20):
            for fd in os.listdir(f"/proc/{proc.pid}/fd"):
                target = os.readlink(f"/proc/{proc.pid}/fd/{fd}")
                if target.startswith(str(spool)):
                    spooled = max(spooled, os.stat(f"/proc/{proc.pid}/fd/{fd}").st_size)
            time.sleep(0.05)
        named = spool_files(spool)
        expect(report, "`check -` spools into a file with no name", spooled >= sent - (1 << 20) and not named,
                     f"{spooled} bytes spooled; named files: {named}")
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdin.close()
        expect(report, "a killed `check -` leaves no copy of the wheel", not spool_files(spool), str(spool_files(spool)))


def stream_over_limit(report: Report, binary: Path) -> None:
    """More than --max-total-size bytes on standard input: PW100, exit 1, nothing left behind."""
    with tempfile.TemporaryDirectory() as scratch:
        limit = 1 << 20
        result = subprocess.run([binary, "check", "-", "--stdin-filename", "demo-1.0-py3-none-any.whl", "--no-config",
                                 "--max-total-size", str(limit)], input=b"\0" * (16 << 20), capture_output=True,
                                env={**os.environ, "TMPDIR": scratch})
        out = result.stdout.decode(errors="replace")
        expect(report, "a stream over --max-total-size is PW100, exit 1",
                     result.returncode == 1 and f"-: PW100 standard input holds more than the total size limit" in out
                     and f"got more than {limit} bytes" in out, f"exit {result.returncode}: {out[-300:]}")
        expect(report, "and leaves nothing in TMPDIR", os.listdir(scratch) == [], str(os.listdir(scratch)))


def run_local(report: Report, binary: Path) -> None:
    report.section("", "check: configuration ownership and standard input (local)")
    stranger_configuration(report, binary)
    killed_stream_leaves_nothing(report, binary)
    stream_over_limit(report, binary)
