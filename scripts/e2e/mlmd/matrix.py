"""The clients: every pure wheel x installer x CPython (plan and run), the emulated aarch64 client, and the
self-test on sabotaged wheels."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

from ..arm import ARM_PYTHON
from ..installers import install
from ..interpreters import PYTHONS, bundled_pip, full_version, python_allowed
from ..proc import StepError
from ..selftest import MLMD_SABOTAGES, mlmd_sabotage
from ..wheels import metadata
from .context import SELF_TEST_VERSION, UPSTREAM_PYTHONS, Context
from .upstream import fetch_upstream

Job = tuple[str, str, str, Path]  # (version, minor, installer, wheel)


def plan(ctx: Context) -> list[Job]:
    """The (version, minor, installer) jobs to run; records why the other combinations are out."""
    jobs = []
    for version in ctx.versions:
        requires = metadata(ctx.wheels[version]).get("Requires-Python")
        for minor in PYTHONS:
            python = ctx.interpreters.find(minor)
            full = full_version(python) if python else f"{minor}.0"
            for installer in ctx.installers:
                if not python_allowed(requires, full):
                    why = f"Requires-Python {requires}"
                    ctx.results[(version, minor, installer)] = dict(status="out", why=why)
                    ctx.report.skip(f"{installer}-cp{minor}-{version}", why)
                elif minor in ctx.pythons:
                    jobs.append((version, minor, installer, ctx.wheels[version]))
    return jobs


def combo(ctx: Context, version: str, minor: str, installer: str, wheel: Path) -> None:
    name = f"{installer}-cp{minor.replace('.', '')}-{version}"
    result = ctx.results.setdefault((version, minor, installer), {})
    python = ctx.interpreters.find(minor)
    if python is None:
        result.update(status="fail", why=f"CPython {minor} is not installed")
        ctx.report.check(f"{name}: interpreter", False, result["why"])
        return
    house, reason = ctx.wheelhouses.get(minor, python, wheel, f"wheelhouse-cp{minor}-{version}")
    if house is None:
        if reason.startswith("no binary wheel"):  # a real limit of the dependencies, not a harness failure
            result.update(status="out", why=reason)
            ctx.report.skip(name, reason)
        else:
            result.update(status="fail", why=reason)
            ctx.report.check(f"{name}: resolve dependencies", False, reason)
        return
    venv = ctx.run_dir / "venvs" / name
    vpy = venv / "bin" / "python"
    t0 = time.monotonic()
    try:
        tool = install(ctx.run, ctx.tools, installer, python, minor, venv, house, wheel, f"install-{name}")
        if tool:
            result["tool"] = tool
        ctx.report.check(f"{name}: install", True)
    except StepError as e:
        result.update(status="fail", why=f"install failed: {e}")
        ctx.report.check(f"{name}: install", False, e.detail())
        return
    versions = ctx.run.stdout([vpy, "-c", "import importlib.metadata as m; "
                               "print(m.version('grpcio'), m.version('protobuf'))"]).split()
    run = ctx.workload.run(vpy, name, "pure", version, ctx.servers.spec(version))
    ctx.report.add_counts(name, run.passed, run.failed, run.skipped, run.failures)
    same = ctx.baselines.differential(ctx.report, name, run, version) if run.failed == 0 else False
    result.update(status="pass" if run.failed == 0 and same else "fail", tests=run.passed, failed=run.failed,
                  grpcio=versions[0], protobuf=versions[1], seconds=time.monotonic() - t0,
                  why=", ".join(run.failures[:3]) if run.failures else ("" if same else "transcript differs"))


def arm_client(ctx: Context, prefix: list[str], version: str, wheel: Path) -> None:
    name = f"arm64-cp311-{version}"
    t0 = time.monotonic()
    house = ctx.run_dir / "wheelhouse-aarch64" / f"cp311-{version}"
    dest = ctx.run_dir / "venvs" / name
    try:
        # pip resolves the dependencies for aarch64 CPython 3.11; the emulated interpreter installs everything.
        ctx.run([sys.executable, "-m", "pip", "download", "--quiet", "--only-binary=:all:", "--platform",
                 "manylinux2014_aarch64", "--python-version", ARM_PYTHON, "--implementation", "cp", "--abi",
                 "cp311", "-d", house, wheel], f"install-{name}")
        env = dict(ctx.run.env, PYTHONPATH=str(ctx.tools.installer_wheel))
        deps = sorted(p for p in house.glob("*.whl") if p.name != wheel.name)
        ctx.run([*prefix, "-m", "installer", "--destdir", dest, *deps], f"install-{name}", env=env, timeout=1200)
        ctx.run([*prefix, "-m", "installer", "--destdir", dest, "--validate-record", "all", wheel],
                f"install-{name}", env=env, timeout=1200)
        [site] = {p.parent for p in dest.rglob("ml_metadata") if p.is_dir() and p.parent.name.endswith("-packages")}
        ctx.report.check(f"{name}: install (emulated aarch64 python -m installer)", True)
    except (StepError, ValueError) as e:
        ctx.arm_results[version] = dict(status="fail", why=f"install failed: {e}")
        ctx.report.check(f"{name}: install", False, e.detail() if isinstance(e, StepError) else str(e))
        return
    run = ctx.workload.run(prefix[-1], name, "pure", version, ctx.servers.spec("arm"),
                           extra_env={"MLMD_E2E_MACHINE": "aarch64"}, prefix=tuple(prefix[:-1]), pythonpath=str(site))
    ctx.report.add_counts(name, run.passed, run.failed, run.skipped, run.failures)
    same = ctx.baselines.differential(ctx.report, name, run, version) if run.failed == 0 else False
    ctx.arm_results[version] = dict(status="pass" if run.failed == 0 and same else "fail", tests=run.passed,
                                    seconds=time.monotonic() - t0, why=", ".join(run.failures[:3]))


def self_test(ctx: Context, wheel: Path) -> None:
    """Sabotaged copies of the pure wheel, installed with pip, must make the workload fail."""
    version = SELF_TEST_VERSION
    minor = UPSTREAM_PYTHONS[version]
    python = ctx.interpreters.find(minor)
    for kind in MLMD_SABOTAGES:
        name = f"selftest-{kind}-{version}"
        venv = ctx.run_dir / "venvs" / name
        try:
            broken = mlmd_sabotage(wheel, fetch_upstream(ctx, version), kind, ctx.run_dir / "sabotage" / kind / wheel.name)
            house, reason = ctx.wheelhouses.get(minor, python, wheel, f"wheelhouse-cp{minor}-{version}")
            if house is None:
                raise StepError(reason)
            ctx.run([python, "-m", "venv", "--without-pip", venv], f"install-{name}")
            ctx.run([venv / "bin" / "python", bundled_pip(python) / "pip", "install", "--quiet", "--no-index",
                     "--find-links", house, broken], f"install-{name}")
        except (StepError, AssertionError) as e:
            ctx.report.check(f"self-test {kind}: build and install the sabotaged wheel", False, str(e))
            continue
        run = ctx.workload.run(venv / "bin" / "python", name, "pure", version, ctx.servers.spec(version))
        detected = run.failed > 0
        shown = sorted(set(re.sub(r"\[.*\]$", "", f) for f in run.failures))
        ctx.report.log(f"self-test {kind}: workload {'FAILED as it must' if detected else 'PASSED (sabotage not detected!)'}"
                       f" ({run.passed} passed, {run.failed} failed: {', '.join(shown[:6])})")
        ctx.report.check(f"self-test {kind}: the e2e workload fails on the sabotaged wheel", detected,
                         f"{run.passed} passed, {run.failed} failed")
        ctx.selftest_report.append((kind, run.passed, run.failed, shown))
