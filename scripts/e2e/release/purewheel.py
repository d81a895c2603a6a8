"""Running the purewheel binary with pip pointed at one index only (no pip config file, no find-links, no pip
cache, no retries), so nothing but that index can answer."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..proc import Result, clean_env, run


@dataclass(frozen=True)
class Purewheel:
    binary: Path
    cache_dir: Path  # purewheel's own download cache for this run
    subcommands: frozenset[str]

    @staticmethod
    def probe(binary: Path, cache_dir: Path) -> "Purewheel":
        """Reads the subcommands the binary has from its --help."""
        text = run([binary, "--help"]).out
        names, inside = set(), False
        for line in text.splitlines():
            if line.strip().startswith("SUBCOMMANDS:"):
                inside = True
            elif inside and (match := re.match(r"^  ([a-z][a-z0-9-]*)(\s|$)", line)):
                names.add(match.group(1))
        return Purewheel(binary, cache_dir, frozenset(names))

    def has(self, subcommand: str) -> bool:
        return subcommand in self.subcommands

    def missing(self, subcommand: str) -> str:
        return (f"this purewheel has no `{subcommand}` command yet (it has: {', '.join(sorted(self.subcommands))})"
                if not self.has(subcommand) else "")

    @staticmethod
    def pip_env(index_url: str) -> dict[str, str]:
        # No retries, as CI jobs often set: pip then says nothing at its default level about a refused connection
        # (only "no matching distribution"), and purewheel must still tell an index that is down (exit 74) from
        # one without the version (step_bad_input checks both).
        env = clean_env(PIP_INDEX_URL=index_url, PIP_CONFIG_FILE=os.devnull, PIP_NO_CACHE_DIR="1",
                        PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1", PIP_RETRIES="0", PIP_TIMEOUT="20")
        for name in ("PIP_FIND_LINKS", "PIP_EXTRA_INDEX_URL", "PUREWHEEL_CACHE_DIR"):
            env.pop(name, None)
        return env

    def __call__(self, index_url: str, *args, cwd: Path | None = None, timeout: float = 900,
                 env: dict[str, str] | None = None) -> Result:
        """Runs purewheel; `env` adds to (or overrides) pip_env's variables."""
        result = run([self.binary, *args], env={**self.pip_env(index_url), **(env or {})}, cwd=cwd, timeout=timeout)
        shown = " ".join(Path(str(a)).name if "/" in str(a) else str(a) for a in args)
        print(f"    $ purewheel {shown}  -> exit {result.code} in {result.seconds:.1f} s", flush=True)
        return result

    def with_cache(self, *args) -> list:
        return [*args, "--cache-dir", self.cache_dir]
