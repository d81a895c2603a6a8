"""Relaxed bounds, proven: a pure wheel whose description lists relaxed upper bounds runs the workload once with the
lowest and once with the newest dependencies its Requires-Dist allows, from the hash-pinned sets in `sets/`
(written by `boundsets.py`). A relaxed wheel without both sets fails, and so does a set made for other
requirements than the wheel's."""

from __future__ import annotations

import re
import time
from pathlib import Path

from ..hashing import sha256_file
from ..interpreters import bundled_pip
from ..proc import StepError
from .boundsets import KINDS, SETS, header_line, relaxed_bounds
from .context import Context


def bound_sets(ctx: Context, version: str) -> list[Path]:
    """The sets that prove this version's relaxed bounds (checked: both kinds present when it relaxes any)."""
    sets = sorted(SETS.glob(f"{version}-cp*-*.txt"))
    relaxed = relaxed_bounds(ctx.wheels[version])
    kinds = {p.stem.rsplit("-", 1)[1] for p in sets}
    if relaxed:
        missing = ", ".join(sorted(set(KINDS) - kinds))
        ctx.report.check(f"bounds-{version}: lowest and newest sets prove {'; '.join(relaxed)}", not missing,
                         f"missing {missing} in {SETS} (write them with python -m e2e.mlmd.boundsets)" if missing else "")
    return sets


def prove(ctx: Context, version: str, pinned: Path) -> None:
    """Installs exactly the set, then the wheel from no index (pip checks the set satisfies it), and runs the workload."""
    name = f"bounds-{pinned.stem}"
    minor = ".".join(re.fullmatch(r"cp(\d)(\d+)", pinned.stem.split("-")[1]).groups())
    if minor not in ctx.pythons:
        ctx.report.skip(name, f"CPython {minor} is not among --pythons")
        return
    wheel = ctx.wheels[version]
    header = next((line for line in pinned.read_text().splitlines() if line.startswith("# requires-dist: ")), "")
    same = header == header_line(wheel)
    why = "" if same else (f"set: {header!r}\nwheel: {header_line(wheel)!r}\n"
                           "(write it again with python -m e2e.mlmd.boundsets)")
    if not ctx.report.check(f"{name}: the set was made for this wheel's Requires-Dist", same, why):
        return
    python = ctx.interpreters.find(minor)
    venv = ctx.run_dir / "venvs" / name
    vpy = venv / "bin" / "python"
    house = ctx.cache / "bounds" / f"{pinned.stem}-{sha256_file(pinned)[:12]}"
    t0 = time.monotonic()
    try:
        if not (house / ".done").exists():
            ctx.run([python, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps",
                     "--only-binary=:all:", "--require-hashes", "-r", pinned, "-d", house], f"install-{name}")
            (house / ".done").write_text(pinned.name)
        pip = bundled_pip(python)
        ctx.run([python, "-m", "venv", "--without-pip", venv], f"install-{name}")
        ctx.run([vpy, pip / "pip", "install", "--quiet", "--no-index", "--find-links", house, "--require-hashes",
                 "--no-deps", "-r", pinned], f"install-{name}")
        ctx.run([vpy, pip / "pip", "install", "--quiet", "--no-index", wheel], f"install-{name}")
        ctx.run([vpy, pip / "pip", "check"], f"install-{name}")
    except StepError as e:
        ctx.report.check(f"{name}: install the set, then the wheel from no index", False, e.detail())
        return
    want = sorted(re.findall(r"^([A-Za-z0-9._-]+)==(\S+)", pinned.read_text(), re.M))
    got = ctx.run.stdout([vpy, "-c", "import importlib.metadata as m, re; print('\\n'.join(sorted("
                          "re.sub(r'[-_.]+', '-', d.metadata['Name']).lower() + '==' + d.version "
                          "for d in m.distributions() if d.metadata['Name'] != 'ml-metadata-remote')))"])
    exact = sorted(got.split()) == [f"{n}=={v}" for n, v in want]
    ctx.report.check(f"{name}: installed exactly the set", exact, "" if exact else f"set: {want}\ninstalled: {got.split()}")
    run = ctx.workload.run(vpy, name, "pure", version, ctx.servers.spec(version))
    ctx.report.add_counts(name, run.passed, run.failed, run.skipped, run.failures)
    if run.failed == 0:
        ctx.baselines.differential(ctx.report, name, run, version)
    ctx.report.log(f"{name}: {', '.join(f'{n} {v}' for n, v in want)}: workload {run.passed} passed, "
                   f"{run.failed} failed in {time.monotonic() - t0:.0f} s")
