"""The upstream side: pytest / uv / installer pinned by sha256, the upstream platform wheels (pins from the recipe's
lock) in one venv each, the system types their binary defines, and the baseline transcripts."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from ..hashing import sha256_file
from ..installers import Toolbox
from ..interpreters import PYTHONS
from ..paths import REQUIREMENTS
from ..pins import fetch_pinned, find_pin, pip_command
from ..proc import StepError
from ..servers import SERVER_VERSIONS
from .context import UPSTREAM_PYTHONS, Context


def upstream_name(version: str) -> str:
    tag = "cp" + UPSTREAM_PYTHONS[version].replace(".", "")
    return f"ml_metadata-{version}-{tag}-{tag}-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"


def fetch_upstream(ctx: Context, version: str) -> Path:
    """The pinned upstream file (cache/upstream/<version>/, shared with e2e.build). Raises StepError."""
    try:
        pin = find_pin(ctx.pins, upstream_name(version))
    except KeyError as e:
        raise StepError(str(e)) from None
    fetched = fetch_pinned(pin, ctx.distribution, ctx.cache / "upstream", pip_command())
    if fetched.path is None:
        raise StepError(f"{pin.name}: {fetched.error}")
    return fetched.path


def prepare_pytest(ctx: Context) -> Path:
    site = ctx.cache / "tools" / "pytest-site"
    req = REQUIREMENTS / "pytest.txt"
    stamp = site / ".e2e-stamp"
    if not stamp.exists() or stamp.read_text() != sha256_file(req):
        shutil.rmtree(site, ignore_errors=True)
        py39 = ctx.interpreters.find("3.9") or Path(sys.executable)
        ctx.run([py39, "-m", "pip", "install", "--quiet", "--only-binary=:all:", "--require-hashes", "--target",
                 site, "-r", req], "tools-pytest")
        # Byte-compile once per interpreter: the runs themselves write no bytecode (PYTHONDONTWRITEBYTECODE),
        # and an emulated interpreter would otherwise compile pytest on every start.
        for minor in PYTHONS:
            if ctx.interpreters.find(minor):
                ctx.run([ctx.interpreters.find(minor), "-m", "compileall", "-q", "-j", "0", site], "tools-pytest")
        stamp.write_text(sha256_file(req))
    return site


def prepare_tools(ctx: Context) -> Toolbox:
    tools = ctx.cache / "tools"
    tools.mkdir(parents=True, exist_ok=True)
    ctx.pytest_site = prepare_pytest(ctx)
    req, legacy = REQUIREMENTS / "tools.txt", REQUIREMENTS / "installer-py39.txt"
    dl = tools / "dl"
    venv = tools / "venv"
    stamp = venv / ".e2e-stamp"
    pins = sha256_file(req) + sha256_file(legacy)
    if not stamp.exists() or stamp.read_text() != pins:
        shutil.rmtree(venv, ignore_errors=True)
        shutil.rmtree(dl, ignore_errors=True)
        for r in (req, legacy):
            ctx.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                     "--require-hashes", "-d", dl / r.stem, "-r", r], "tools-download")
        ctx.run([sys.executable, "-m", "venv", venv], "tools-venv")
        ctx.run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-index", "--find-links",
                 dl / req.stem, "--require-hashes", "-r", req], "tools-venv")
        stamp.write_text(pins)
    [installer_wheel] = sorted((dl / req.stem).glob("installer-*.whl"))
    [installer_wheel_py39] = sorted((dl / legacy.stem).glob("installer-*.whl"))
    ctx.tools = Toolbox(venv / "bin" / "uv", installer_wheel, installer_wheel_py39)
    ctx.report.log(f"tools ready: {ctx.run.stdout([ctx.tools.uv, '--version']).strip()}, {installer_wheel.name}, pytest")
    return ctx.tools


def prepare_upstream_venv(ctx: Context, version: str) -> Path:
    wheel = fetch_upstream(ctx, version)
    sha = find_pin(ctx.pins, wheel.name).sha256
    venv = ctx.upstream_venv(version)
    stamp = venv / ".e2e-stamp"
    if stamp.exists() and stamp.read_text() == sha:
        return venv
    shutil.rmtree(venv, ignore_errors=True)
    minor = UPSTREAM_PYTHONS[version]
    python = ctx.interpreters.find(minor)
    if python is None:
        raise StepError(f"CPython {minor} is not installed (needed for upstream {version})")
    name = f"upstream-venv-{version}"
    ctx.run([python, "-m", "venv", venv], name)
    if ctx.args.hashed_requirements:
        house, why = ctx.wheelhouses.get(minor, python, wheel, name)
        if house is None:
            raise StepError(why)
        ctx.run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-index", "--find-links", house,
                 wheel], name)
    else:
        ctx.run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--only-binary=:all:", wheel], name)
    stamp.write_text(sha)
    return venv


def capture_simple_types(ctx: Context) -> Path:
    """System types as the upstream binary defines them, captured in each server's venv; all must be equal."""
    captured = {}
    code = ("import sys; from ml_metadata.metadata_store.pywrap.metadata_store_extension import metadata_store "
            "as m; b, e, c = m.LoadSimpleTypes(); assert c == 0, e; open(sys.argv[1], 'wb').write(b)")
    for version in SERVER_VERSIONS:
        out = ctx.run_dir / f"simple-types-{version}.bin"
        try:
            ctx.run([ctx.upstream_venv(version) / "bin" / "python", "-c", code, out], f"simple-types-{version}")
            captured[version] = out.read_bytes()
        except StepError as e:
            ctx.report.check(f"LoadSimpleTypes() from upstream {version}", False, str(e))
    ctx.report.check("LoadSimpleTypes() identical in both server venvs",
                     len(set(captured.values())) == 1 and len(captured) == len(SERVER_VERSIONS),
                     f"{ {v: len(b) for v, b in captured.items()} }")
    return ctx.run_dir / f"simple-types-{SERVER_VERSIONS[-1]}.bin"


def baseline(ctx: Context, version: str) -> None:
    name = f"upstream-{version}"
    result = ctx.workload.run(ctx.upstream_venv(version) / "bin" / "python", name, "upstream", version,
                              ctx.servers.spec(version))
    ctx.report.add_counts(name, result.passed, result.failed, result.skipped, result.failures)
    if result.failed == 0:
        ctx.baselines.add(version, result.transcript)
