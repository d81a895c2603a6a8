"""Counted checks: each prints `ok - name` or `FAIL - name` at once, and the run ends with a table of every check
and the closing line `N passed, N failed` (the line scripts/test.sh adds up)."""

from __future__ import annotations

import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    step: str
    name: str
    ok: bool
    detail: str


class Report:
    """Collects the checks of one run; safe to use from several threads."""

    def __init__(self) -> None:
        self._checks: list[Check] = []
        self._lock = threading.Lock()
        self._step = "-"

    def section(self, step: str, title: str) -> None:
        self._step = step
        print(f"\n# {step}. {title}", flush=True)

    def note(self, text: str) -> None:
        for line in text.rstrip("\n").splitlines():
            print(f"    {line}", flush=True)

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        with self._lock:
            self._checks.append(Check(self._step, name, bool(ok), detail))
        short = detail and "\n" not in detail and len(detail) < 100
        print(f"{'ok' if ok else 'FAIL'} - {name}" + (f"  ({detail})" if short else ""), flush=True)
        if detail and not short:
            self.note(detail)
        return bool(ok)

    @property
    def passed(self) -> int:
        return sum(1 for c in self._checks if c.ok)

    @property
    def failed(self) -> int:
        return sum(1 for c in self._checks if not c.ok)

    def table(self) -> str:
        rows = ["| step | check | result |", "|---|---|---|"]
        for c in self._checks:
            why = "" if c.ok else " — " + (c.detail.splitlines()[0][:140] if c.detail else "")
            rows.append(f"| {c.step} | {c.name.replace('|', '/')} | {'ok' if c.ok else 'FAIL'}{why.replace('|', '/')} |")
        return "\n".join(rows)

    def closing_line(self) -> str:
        return f"{self.passed} passed, {self.failed} failed"
