"""Counted checks: each prints `ok - name` or `FAIL - name` at once; the run ends with the closing line
`N passed, N failed` (or `N passed, N failed, N skipped` where skips count), the line scripts/test.sh adds up.
Safe to use from several threads."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    step: str
    name: str
    ok: bool
    detail: str


class Report:
    """Collects the checks of one run. counts_skips puts the skipped count into the closing line."""

    def __init__(self, counts_skips: bool = False, timestamps: bool = False) -> None:
        self._checks: list[Check] = []
        self._skipped: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self._step = "-"
        self.counts_skips = counts_skips
        self.timestamps = timestamps

    def _print(self, text: str) -> None:
        stamp = f"[{time.strftime('%H:%M:%S')}] " if self.timestamps else ""
        print(stamp + text, flush=True)

    def log(self, text: str) -> None:
        """A progress line (no check)."""
        self._print(text)

    def section(self, step: str, title: str) -> None:
        self._step = step
        print(f"\n# {step}. {title}" if step else f"\n# {title}", flush=True)

    def note(self, text: str) -> None:
        for line in text.rstrip("\n").splitlines():
            print(f"    {line}", flush=True)

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        """Counts one check and prints it; returns ok."""
        with self._lock:
            self._checks.append(Check(self._step, name, bool(ok), detail))
        short = detail and "\n" not in detail and len(detail) < 100
        self._print(f"{'ok' if ok else 'FAIL'} - {name}" + (f"  ({detail})" if short else ""))
        if detail and not short:
            self.note(detail)
        return bool(ok)

    def skip(self, name: str, reason: str) -> None:
        with self._lock:
            self._skipped.append((name, reason))
        self._print(f"skip - {name}: {reason}")

    def add_counts(self, prefix: str, passed: int, failed: int, skipped: int, failures: list[str]) -> None:
        """Counts a sub-run's results (a pytest run) as checks of their own, printing one line for them."""
        with self._lock:
            self._checks += [Check(self._step, f"{prefix}#{i}", True, "") for i in range(passed)]
            self._checks += [Check(self._step, f"{prefix}::{name}", False, "") for name in failures]
            self._checks += [Check(self._step, f"{prefix}#f{i}", False, "") for i in range(failed - len(failures))]
            self._skipped += [(f"{prefix}#s{i}", "") for i in range(skipped)]
        verdict = "ok" if failed == 0 else "FAIL"
        self._print(f"{verdict} - {prefix}: {passed} passed, {failed} failed, {skipped} skipped")
        for name in failures:
            self._print(f"FAIL - {prefix}::{name}")

    @property
    def passed(self) -> int:
        return sum(1 for c in self._checks if c.ok)

    @property
    def failed(self) -> int:
        return sum(1 for c in self._checks if not c.ok)

    def failures(self) -> list[Check]:
        return [c for c in self._checks if not c.ok]

    def skips(self) -> list[tuple[str, str]]:
        return list(self._skipped)

    def table(self) -> str:
        rows = ["| step | check | result |", "|---|---|---|"]
        for c in self._checks:
            why = "" if c.ok else " — " + (c.detail.splitlines()[0][:140] if c.detail else "")
            rows.append(f"| {c.step} | {c.name.replace('|', '/')} | {'ok' if c.ok else 'FAIL'}{why.replace('|', '/')} |")
        return "\n".join(rows)

    def print_failures(self, most: int = 60) -> None:
        """The failed checks again, one line each, before the closing line."""
        failed = self.failures()
        if failed:
            print("\nfailed checks:")
            for c in failed[:most]:
                print(f"  - {c.name}" + (f": {c.detail.splitlines()[0]}" if c.detail else ""))

    def closing_line(self) -> str:
        line = f"{self.passed} passed, {self.failed} failed"
        return line + f", {len(self._skipped)} skipped" if self.counts_skips else line

    def exit_code(self) -> int:
        return 0 if self.failed == 0 else 1


def guarded(report: Report, step: str, function, default=None):
    """Runs one step; a crash of the test itself counts as one failed check instead of ending the run."""
    import traceback

    start = time.monotonic()
    try:
        return function()
    except Exception as error:  # noqa: BLE001
        report.check(f"step {step} ran to its end", False, "".join(traceback.format_exception(error)).rstrip())
        return default
    finally:
        print(f"    (step {step}: {time.monotonic() - start:.0f} s)", flush=True)
