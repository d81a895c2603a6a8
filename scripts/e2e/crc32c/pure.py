"""Sections 5-6: the native reference (upstream's x86-64 wheel) and the pure wheel on each CPython 3.9-3.13 and on
the emulated aarch64 CPython, each judged against the native checksums."""

from __future__ import annotations

import os
import shutil
import sys
import time

from ..arm import ARM_PYTHON, emulated_pip, prepare_rootfs
from ..hashing import sha256_file
from ..interpreters import bundled_pip, full_version, pip_version, python_allowed
from ..proc import StepError
from .context import DISTRIBUTION, VERSION, Context

NATIVE_PYTHON = "3.11"  # the reference: upstream's cp311 manylinux x86-64 wheel
FALLBACK_WARNING = "As the c extension couldn't be imported, `google-crc32c` is using a pure python implementation"
KNOWN_KEY = "value(b'123456789')"  # crc32c_probe.py's name for the check value
CEXT_ERROR = "ModuleNotFoundError: No module named 'google_crc32c._crc32c' (name=google_crc32c._crc32c)"


def prepare_data(ctx: Context) -> None:
    ctx.data.write_bytes(os.urandom(1 << 20))
    ctx.data_sha256 = sha256_file(ctx.data)


def native_reference(ctx: Context) -> bool:
    python = ctx.interpreters.find(NATIVE_PYTHON)
    tag = f"cp{NATIVE_PYTHON.replace('.', '')}"
    names = [n for n in ctx.files if f"-{tag}-{tag}-" in n and n.endswith("_x86_64.whl") and "linux" in n]
    if python is None or len(names) != 1:
        return ctx.report.check(f"native: upstream {tag} x86-64 wheel in a venv", False,
                                f"interpreter {python}, pinned files {names}")
    name = names[0]
    venv = ctx.home / "venvs" / f"native-{tag}-{ctx.pins[name][:12]}"
    vpy = venv / "bin" / "python"
    try:
        if not (venv / ".done").exists():
            shutil.rmtree(venv, ignore_errors=True)
            ctx.run([python, "-m", "venv", "--without-pip", venv], "native")
            ctx.run([vpy, bundled_pip(python) / "pip", "install", "--quiet", "--no-index", "--no-deps",
                     ctx.files[name]], "native", env=ctx.offline_env)
            (venv / ".done").write_text(name + "\n")
        ctx.native = ctx.probe([vpy], "native-x86_64")
    except (StepError, ValueError) as e:
        return ctx.report.check(f"native: upstream {name} in a venv", False, str(e))
    n = ctx.native
    ok = (n["implementation"] == "c" and n["machine"] == "x86_64" and n["native_files"]
          and all(n["known_answers"].values()) and n["data"]["sha256"] == ctx.data_sha256)
    return ctx.report.check(f"native: upstream {name} runs its C extension (implementation 'c') and gives the "
                            f"known answers", bool(ok),
                            f"implementation {n['implementation']}, value(b'123456789') = {hex(n['values'][KNOWN_KEY])}")


def judge(ctx: Context, target: str, result: dict, machine: str) -> bool:
    """The checks every pure install must pass, against the native reference."""
    r = ctx.report
    problems = []
    if result["implementation"] != "python":
        problems.append(f"implementation {result['implementation']!r}")
    if not any(w.startswith(FALLBACK_WARNING) for w in result["runtime_warnings"]):
        problems.append(f"no fallback RuntimeWarning ({result['runtime_warnings']})")
    if result["cext"] != CEXT_ERROR:
        problems.append(f"cext: {result['cext']}")
    fallback = r.check(f"{target}: the pure fallback runs (implementation 'python', upstream's RuntimeWarning, cext "
                       f"raises ModuleNotFoundError)", not problems, "; ".join(problems))
    problems = []
    if result["native_files"]:
        problems.append(f"native files installed: {result['native_files']}")
    if result["distribution"] != [DISTRIBUTION, VERSION] or result["wheel_tags"] != ["py3-none-any"]:
        problems.append(f"installed {result['distribution']} tags {result['wheel_tags']}")
    if result["machine"] != machine:
        problems.append(f"platform.machine() {result['machine']!r}, expected {machine!r}")
    installed = r.check(f"{target}: installed {DISTRIBUTION} {VERSION} py3-none-any, no native file, on {machine}",
                        not problems, "; ".join(problems))
    if ctx.native is None:
        return r.check(f"{target}: checksums equal the native package's", False, "no native reference")
    differ = [k for k in ctx.native["values"] if result["values"].get(k) != ctx.native["values"][k]]
    same_data = result["data"]["sha256"] == ctx.data_sha256 == ctx.native["data"]["sha256"]
    ok = not differ and same_data and all(result["known_answers"].values())
    r.check(f"{target}: checksums equal the native package's on the same bytes ({len(ctx.native['values'])} values: "
            f"b'', b'123456789', prefixes 0-64, 1 MiB file; value, extend, Checksum "
            f"update/copy/digest/hexdigest/consume)", ok,
            f"differ: {differ[:5]}" if differ else "" if same_data else "the data file differs")
    return ok and fallback and installed


def pure_venv(ctx: Context, minor: str) -> None:
    r = ctx.report
    target = f"pip-cp{minor.replace('.', '')}"
    python = ctx.interpreters.find(minor)
    if python is None:
        ctx.results.append((f"CPython {minor}", "❌ not installed"))
        r.check(f"{target}: CPython {minor} interpreter", False, "not found (pyenv or PATH)")
        return
    full = full_version(python)
    venv = ctx.run_dir / "venvs" / target
    vpy = venv / "bin" / "python"
    try:
        pip = bundled_pip(python)
        ctx.run([python, "-m", "venv", "--without-pip", venv], target)
        cmd = [vpy, pip / "pip", "install", "--no-index", "--find-links", ctx.wheel.parent, f"{DISTRIBUTION}=={VERSION}"]
        if not python_allowed(ctx.requires_python, full):
            r.skip(f"{target}: CPython {full}", f"{DISTRIBUTION} {VERSION} has Requires-Python {ctx.requires_python}, "
                   f"which excludes it (upstream's own bound, kept by the recipe)")
            refused = ctx.run.capture(cmd, env=ctx.offline_env)
            ok = refused.code != 0 and "requires a different Python" in refused.out + refused.err
            ctx.results.append((f"CPython {full}", f"— Requires-Python {ctx.requires_python}"))
            r.check(f"{target}: pip {pip_version(pip)} on CPython {full} refuses the wheel (Requires-Python "
                    f"{ctx.requires_python})", ok, "" if ok else (refused.out + refused.err)[-400:])
            return
        ctx.run(cmd, target, env=ctx.offline_env)
        r.check(f"{target}: pip {pip_version(pip)} installs {ctx.wheel.name} by name into a fresh CPython {full} venv",
                True)
        result = ctx.probe([vpy], target)
    except (StepError, ValueError) as e:
        ctx.results.append((f"CPython {full}", "❌ install or probe failed"))
        r.check(f"{target}: install and probe on CPython {full}", False, str(e) if not isinstance(e, StepError)
                else e.detail(15))
        return
    ok = judge(ctx, target, result, "x86_64")
    ctx.results.append((f"CPython {full} (x86-64 venv, pip {pip_version(pip)})", "✅" if ok else "❌"))


def arm(ctx: Context) -> None:
    target = f"arm64-cp{ARM_PYTHON.replace('.', '')}"
    try:
        prefix = prepare_rootfs(ctx.cache, ctx.logs, ctx.run.env)
        # pip (the host CPython 3.11's bundled wheel, pure Python) runs on the emulated interpreter itself, so it
        # judges the wheel by aarch64 CPython 3.11's tags and Requires-Python; the emulated Debian has no venv.
        pip = bundled_pip(ctx.interpreters.find(ARM_PYTHON) or sys.executable)
        pip_home = emulated_pip(ctx.run, prefix, pip, ctx.home / "arm-pip")
        site = ctx.run_dir / "venvs" / target
        t0 = time.monotonic()
        ctx.run([*prefix, "-m", "pip", "install", "--no-index", "--find-links", ctx.wheel.parent, "--target", site,
                 f"{DISTRIBUTION}=={VERSION}"], target, env=dict(ctx.offline_env, PYTHONPATH=str(pip_home)), timeout=1200)
        full = full_version(prefix[-1], tuple(prefix[:-1]))
        ctx.report.check(f"{target}: pip {pip_version(pip)} (emulated) installs {ctx.wheel.name} into the emulated "
                         f"aarch64 CPython {full}", True, f"{time.monotonic() - t0:.0f} s")
        result = ctx.probe(prefix, target, env=dict(ctx.run.env, PYTHONPATH=str(site)), timeout=1200)
    except (StepError, ValueError, OSError) as e:
        ctx.results.append(("emulated aarch64 CPython", "❌ install or probe failed"))
        ctx.report.check(f"{target}: emulated aarch64 install and probe", False,
                         e.detail(15) if isinstance(e, StepError) else str(e))
        return
    ok = judge(ctx, target, result, "aarch64")
    ctx.results.append((f"CPython {result['python']} (emulated aarch64, Debian bookworm, pip --target)",
                        "✅" if ok else "❌"))
