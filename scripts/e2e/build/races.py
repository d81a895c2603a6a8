"""Section 6, builds sharing an output folder: interleavings driven by strace, which slows chosen syscalls of one
build (`-e inject=SYSCALL:delay_exit=...`) so that another runs at an exact point of it, not by luck."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

from ..hashing import sha256_file as sha256
from ..proc import run
from ..report import Report
from .purewheel import EXIT_BAD_INPUT, EXIT_NO_INPUT, SOURCE_DATE_EPOCH, Purewheel

# How long the slowed build sleeps inside the chosen syscall: ample time for the other build to reach the point
# under test meanwhile.
DELAY_US = 5_000_000
STATEMENT_SUFFIX = ".intoto.json"


class Races:
    """Builds of one pinned input (`source`, whose output is named `name`) into a shared output folder, and of a
    damaged copy of it (`tampered`, refused after the build has repaired the output folder)."""

    def __init__(self, report: Report, purewheel: Purewheel, root: Path, source: Path, name: str, tampered: Path) -> None:
        self.r, self.pw, self.root, self.source, self.name = report, purewheel, root, source, name
        self.tampered = tampered
        self.strace = shutil.which("strace")

    def run_all(self) -> None:
        if not self.strace:
            self.r.check("strace is on PATH (it drives the publication races)", False, "install strace")
            return
        self.killed_mid_publish(earlier=False)
        self.killed_mid_publish(earlier=True)
        self.started_together()

    def args(self, out: Path, source: Path | None = None) -> list[str]:
        return [str(self.pw.binary), "build", str(self.pw.recipe), "--wheel", str(source or self.source), "--out", str(out)]

    def slowed(self, out: Path, *strace_args: str, cwd: Path | None = None) -> subprocess.Popen:
        """A build under strace, in its own process group so that a SIGKILL reaches the build itself."""
        return subprocess.Popen([self.strace, "-f", "-qq", "-o", os.devnull, *strace_args, *self.args(out)], cwd=cwd,
                                env=self.pw.env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                start_new_session=True)

    def plain(self, out: Path) -> subprocess.Popen:
        return subprocess.Popen(self.args(out), env=self.pw.env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True)

    @staticmethod
    def wait_for(condition, seconds: float = 60) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if condition():
                return True
            time.sleep(0.02)
        return False

    @staticmethod
    def staging(out: Path) -> list[Path]:
        return [p for p in out.iterdir() if p.name.startswith(".purewheel-staging-")]

    @staticmethod
    def waits_for_flock(pid: int) -> bool:
        """Whether process `pid` is blocked on a flock (a `->` line of /proc/locks)."""
        try:
            lines = Path("/proc/locks").read_text().splitlines()
        except OSError:
            return False
        return any("-> FLOCK" in line and f" {pid} " in line for line in lines)

    def published_pair(self, out: Path) -> tuple[bool, str]:
        """Whether `out` holds exactly the wheel and its own statement (the statement's subject names the wheel's
        sha256), and nothing else."""
        names = sorted(p.name for p in out.iterdir())
        if names != sorted([self.name, self.name + STATEMENT_SUFFIX]):
            return False, f"folder holds {names}"
        return self.own_statement(out)

    def own_statement(self, out: Path) -> tuple[bool, str]:
        """Whether the wheel in `out`, if there is one, has its own statement beside it."""
        wheel, statement = out / self.name, out / (self.name + STATEMENT_SUFFIX)
        if not wheel.exists():
            return True, ""
        try:
            subject = json.loads(statement.read_text())["subject"]
        except (OSError, ValueError, KeyError, TypeError) as error:
            return False, f"statement unreadable: {error}"
        digests = [s.get("digest", {}).get("sha256") for s in subject if isinstance(s, dict) and s.get("name") == wheel.name]
        if digests != [sha256(wheel)]:
            return False, f"the statement's subject {digests} is not the wheel's sha256 {sha256(wheel)}"
        return True, ""

    def killed_mid_publish(self, earlier: bool) -> None:
        """A is SIGKILLed between renaming its statement and its wheel into place; C, started while A was alive,
        then publishes and exits 0; D, an unrelated build that publishes nothing (its input is refused), starts later
        and repairs what A left. C's wheel and its own statement stay. With `earlier`, A and C replace an earlier
        pair of other bytes (another SOURCE_DATE_EPOCH), and while A is stopped its statement is not beside the
        earlier wheel."""
        out = self.root / f"out-race-killed{'-replacing' if earlier else ''}"
        statement = out / (self.name + STATEMENT_SUFFIX)
        if earlier:
            res = run(self.args(out), env=self.pw.env(SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH))
            if res.code != 0:
                self.r.check("the earlier publication builds", False, f"exit {res.code}: {res.tail(3)}")
                return
        else:
            out.mkdir()
        before = statement.read_bytes() if earlier else None
        # Every rename of A is slowed after it is made: once the statement is in place, A sleeps before renaming its
        # wheel. (strace's -P matches only a rename's source, a name in A's staging folder that is not known here.)
        a = self.slowed(out, "-e", "trace=rename,renameat,renameat2",
                        "-e", f"inject=rename,renameat,renameat2:delay_exit={DELAY_US}")
        def statement_of_a() -> bool:
            try:
                return statement.read_bytes() != before
            except OSError:
                return False
        mid = self.wait_for(lambda: statement_of_a() or a.poll() is not None) and a.poll() is None
        mid = mid and (earlier or not (out / self.name).exists())
        paired_meanwhile, mid_detail = self.own_statement(out)
        c = self.plain(out)
        # C either waits for A's lock on the output folder or (without that lock) gets its own staging folder.
        self.wait_for(lambda: self.waits_for_flock(c.pid) or len(self.staging(out)) > 1 or c.poll() is not None, 30)
        os.killpg(a.pid, signal.SIGKILL)
        a.wait()
        c_err = c.communicate(timeout=300)[1]
        d = run(self.args(out, self.tampered), env=self.pw.env())
        ok, detail = self.published_pair(out)
        self.r.check(f"a build killed between its statement and its wheel{' (replacing an earlier pair)' if earlier else ''}, "
                     f"another publishing meanwhile, an unrelated one after (exit {EXIT_BAD_INPUT}): the published wheel "
                     "keeps its own statement, nothing else is left",
                     mid and c.returncode == 0 and d.code == EXIT_BAD_INPUT and ok,
                     f"A stopped mid-publish: {mid}; C exit {c.returncode} {c_err.strip()[:120]}; D exit {d.code}; {detail}")
        if earlier:
            self.r.check("  ... and while A was stopped, no wheel sat beside another wheel's statement", mid and paired_meanwhile,
                         mid_detail)

    def started_together(self) -> None:
        """X is slowed inside the mkdir of its staging folder (the folder exists, its lock does not yet); Y starts
        then and repairs the output folder. X must not lose its folder (it used to exit 66, '.../lock: no such
        file'), and both publish."""
        out = self.root / "out-race-start"
        out.mkdir()
        # Only the first two mkdir calls are slowed: the output folder's (given relative, so one call) and the staging
        # folder's. Whether X really is between the two is checked below: its folder exists, its lock file does not.
        x = self.slowed(Path(out.name), "-e", "trace=mkdir,mkdirat",
                        "-e", f"inject=mkdir,mkdirat:delay_exit={DELAY_US}:when=1..2", cwd=self.root)
        made = self.wait_for(lambda: bool(self.staging(out)) or x.poll() is not None) and x.poll() is None
        made = made and not any((folder / "lock").exists() for folder in self.staging(out))
        y = run(self.args(out), env=self.pw.env())
        x_err = x.communicate(timeout=300)[1]
        ok, detail = self.published_pair(out)
        self.r.check("a build started while another's staging folder has no lock yet leaves that folder alone; both "
                     "publish", made and x.returncode == 0 and y.code == 0 and ok,
                     f"X inside its mkdir: {made}; X exit {x.returncode}"
                     + (f" (66 is the old race) {x_err.strip()[:160]}" if x.returncode == EXIT_NO_INPUT else "")
                     + f"; Y exit {y.code}; {detail}")
