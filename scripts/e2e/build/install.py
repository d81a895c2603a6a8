"""Section 4: each version's output installed with its dependencies in a fresh venv and used (build_probe.py);
then the packaging tools on each output, and a self-test that they can fail."""

from __future__ import annotations

import concurrent.futures
import hashlib
import json
import re
from pathlib import Path

from ..installers import cached_venv, make_venv
from ..outputs import publishable, validators_venv
from ..paths import GUEST
from ..proc import run
from ..selftest import behind_record
from .context import Context
from .release import release_fields

TOOLS = ("installer==1.1.0", "wheel==0.48.0", "twine==7.0.0", "check-wheel-contents==0.6.3")
ALLOWED_CWC_CODES = {"W002"}  # identical licence-only __init__.py files that upstream ships


def tools_venv(python: Path, cache: Path) -> tuple[Path | None, str]:
    """The tools venv, kept in the e2e cache across runs (keyed by interpreter and pins); rebuilt when broken."""
    key = hashlib.sha256(f"{python.resolve()} {run([python, '--version']).out.strip()} {' '.join(TOOLS)}".encode()).hexdigest()[:12]
    return cached_venv(python, cache / f"tools-venv-{key}", TOOLS, "installer, wheel, twine, check_wheel_contents",
                       " ".join(TOOLS) + "\n")


def probe_version(ctx: Context, python: Path, wheel: Path) -> tuple[Path | None, str, float, dict | None]:
    """A fresh venv with the wheel and its dependencies; the probe's checks inside it."""
    version = wheel.name.split("-")[1]
    vpy, error, seconds = make_venv(python, ctx.work / "venvs" / f"v{version}", [str(wheel)])
    if vpy is None:
        return None, error, seconds, None
    bare = ctx.work / "probe-cwd"
    bare.mkdir(exist_ok=True)
    result = run([vpy, "-I", "-c", (GUEST / "build_probe.py").read_text(), "ml-metadata-remote", version], cwd=bare)
    try:
        data = json.loads(result.out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        data = {"checks": {"probe ran": [False, f"exit {result.code}\n{result.tail()}"]}}
    freeze = run([vpy, "-m", "pip", "list", "--format=freeze", "--disable-pip-version-check"]).out.split()
    data["freeze"] = [line for line in freeze if re.match(r"(?i)(protobuf|grpcio|absl-py|attrs|ml.metadata)", line)]
    return vpy, "", seconds, data


def install_and_use(ctx: Context, wheels: dict[str, Path], python: Path, jobs: int) -> None:
    r = ctx.report
    r.section("4", f"pip install each output in a fresh venv ({run([python, '--version']).out.strip()}, {jobs} at a time) and use it")
    (ctx.work / "venvs").mkdir(parents=True, exist_ok=True)
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        tools_future = pool.submit(tools_venv, python, ctx.cache)
        validators_future = pool.submit(validators_venv, python, ctx.cache)
        futures = {version: pool.submit(probe_version, ctx, python, wheels[version]) for version in sorted(wheels)}
        for version, future in futures.items():
            vpy, error, seconds, data = future.result()
            if not r.check(f"{version}: pip install {wheels[version].name} with its dependencies", vpy is not None,
                           f"{seconds:.0f} s" if vpy else error):
                continue
            for name, (ok, detail) in data["checks"].items():
                r.check(f"{version}: {name}", ok, detail)
            r.note("installed: " + " ".join(data.get("freeze", [])))
        tools, how = tools_future.result()
        validators, validators_how = validators_future.result()
    r.section("4b", "packaging tools on each output (" + ", ".join(TOOLS) + "), purewheel check --profile pypi, "
              "packaging's validation and the SBOM against the CycloneDX 1.6 schema")
    if not r.check("tools venv: pip install " + " ".join(TOOLS), tools is not None, how):
        return
    if not r.check("validators venv: pip install --require-hashes -r scripts/e2e/requirements/sbom-tools.txt",
                   validators is not None, validators_how):
        return
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for version, results in zip(sorted(wheels), pool.map(lambda v: tools_on(ctx, tools, v, wheels[v]), sorted(wheels))):
            for name, ok, detail in results:
                r.check(f"{version}: {name}", ok, detail)
        twine = tools.parent / "twine"
        checks = pool.map(lambda v: publishable(ctx.purewheel.binary, validators, twine, wheels[v]), sorted(wheels))
        for version, results in zip(sorted(wheels), checks):
            for name, ok, detail in results:
                r.check(f"{version}: {name}", ok, detail)
    self_test(ctx, tools, wheels[sorted(wheels)[-1]])
    r.section("4c", "what each output says about itself as a release: metadata, notices, SBOM (against the recipe)")
    for version in sorted(wheels):
        for name, ok, detail in release_fields(ctx.purewheel.recipe, version, wheels[version]):
            r.check(f"{version}: {name}", ok, detail)


def tools_on(ctx: Context, tools: Path, version: str, wheel: Path) -> list[tuple[str, bool, str]]:
    bindir = tools.parent
    scratch = ctx.work / "tools" / version
    out: list[tuple[str, bool, str]] = []
    dest = scratch / "installer-destdir"
    res = run([tools, "-m", "installer", "--validate-record", "all", "--no-compile-bytecode", "--destdir", dest, wheel])
    installed = list(dest.rglob("ml_metadata/__init__.py")) if dest.is_dir() else []
    out.append(("python -m installer --validate-record all --destdir TMP", res.code == 0 and bool(installed),
                "" if res.code == 0 and installed else f"exit {res.code}, ml_metadata installed: {bool(installed)}\n{res.tail()}"))
    unpack = scratch / "unpack"
    res = run([tools, "-m", "wheel", "unpack", wheel, "-d", unpack])
    unpacked = list(unpack.glob("*/ml_metadata/__init__.py")) if unpack.is_dir() else []
    out.append(("python -m wheel unpack -d TMP", res.code == 0 and bool(unpacked), "" if res.code == 0 and unpacked else f"exit {res.code}\n{res.tail()}"))
    res = run([bindir / "check-wheel-contents", "--no-config", wheel], cwd=scratch if scratch.is_dir() else None)
    codes = sorted(set(re.findall(r": ([EW]\d{3}):", res.out + res.err)))
    unexpected = [c for c in codes if c not in ALLOWED_CWC_CODES]
    sane = res.code == 0 or codes  # a non-zero exit must come with parsed findings
    out.append(("check-wheel-contents reports nothing but " + "/".join(sorted(ALLOWED_CWC_CODES)), not unexpected and bool(sane),
                ("codes: " + (", ".join(codes) or "none")) if not unexpected and sane else f"exit {res.code}, codes {codes}\n{res.tail()}"))
    return out


def self_test(ctx: Context, tools: Path, wheel: Path) -> None:
    """The checks above must be able to fail: one .py entry changed without updating RECORD must be refused by the
    RECORD-validating tools and by purewheel check."""
    sabotaged, victim = behind_record(wheel, ctx.work / "tools" / "sabotaged" / wheel.name)
    res_installer = run([tools, "-m", "installer", "--validate-record", "all", "--destdir", sabotaged.parent / "destdir", sabotaged])
    res_unpack = run([tools, "-m", "wheel", "unpack", sabotaged, "-d", sabotaged.parent / "unpack"])
    res_check = ctx.purewheel.check(sabotaged)
    ctx.report.check(f"self-test: {victim} changed behind RECORD's back is refused by installer --validate-record all, wheel unpack, purewheel check",
                     res_installer.code != 0 and res_unpack.code != 0 and res_check.code != 0,
                     f"exit codes {res_installer.code} / {res_unpack.code} / {res_check.code}")
