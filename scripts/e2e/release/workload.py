"""The real MLMD workload on one built wheel: the mlmd part with one version, CPython 3.11, pip only, against
real MLMD gRPC servers (upstream C++ store), compared with the newest upstream baseline it has."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from ..paths import SCRIPTS
from ..proc import clean_env, run

from .context import Context


def run_workload(ctx: Context, dist: Path, version: str) -> bool:
    log = ctx.work / f"e2e-mlmd-{version}.log"
    # As the release workflow runs it: grpcio/protobuf come only from the hash-pinned sets (requirements/mlmd/).
    result = run([sys.executable, "-m", "e2e", "mlmd", dist, "--versions", version, "--pythons", "3.11",
                  "--installers", "pip", "--no-arm", "--no-self-test", "--hashed-requirements", "--run-dir", ctx.work / "e2e-mlmd-run"],
                 env=clean_env(PUREWHEEL_E2E_CACHE=str(ctx.cache), PYTHONPATH=str(SCRIPTS)), timeout=1500)
    log.write_text(result.out + result.err)
    closing = [line for line in result.out.splitlines() if re.match(r"^\d+ passed, \d+ failed", line)]
    line = closing[-1] if closing else "no closing line"
    failed = int(re.search(r"(\d+) failed", line).group(1)) if closing else 1
    passed = int(line.split()[0]) if closing else 0
    detail = f"{line} in {result.seconds:.0f} s (log: {log})"
    if result.code != 0 or failed:
        detail += "\n" + "\n".join(l for l in result.out.splitlines() if "FAIL" in l)[:2000]
    return ctx.report.check(f"e2e mlmd {dist.name} --versions {version} --pythons 3.11 --installers pip "
                            f"--hashed-requirements: the MLMD "
                            f"workload passes against real MLMD servers", result.code == 0 and failed == 0 and passed > 0,
                            detail)
