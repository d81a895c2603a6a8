"""Sections 1-4: upstream's pinned files, the build and its contents against upstream's, every pinned input built
with --wheel, and pip's choice between upstream's platform wheels and the pure one on a private index."""

from __future__ import annotations

import concurrent.futures
import email.parser
import os
import re
import shutil
import sys
import zipfile

from ..hashing import sha256_file
from ..outputs import publishable, validators_venv
from ..pins import Pin, fetch_pinned, pip_command, read_toml
from ..proc import StepError
from ..release.tools import tools_venv
from .context import DISTRIBUTION, VERSION, Context

# What pip picks from a folder holding upstream's 30 files and the pure wheel: (label, pip target, expected), where
# expected is "upstream" (a platform wheel of upstream), "pure" or None (nothing installable).
SELECTION = (
    ("CPython 3.11 manylinux x86-64", ("3.11", "cp", "cp311", "manylinux2014_x86_64"), "upstream"),
    ("CPython 3.13 manylinux aarch64", ("3.13", "cp", "cp313", "manylinux2014_aarch64"), "upstream"),
    ("CPython 3.12 macOS 14 arm64", ("3.12", "cp", "cp312", "macosx_14_0_arm64"), "upstream"),
    ("CPython 3.14 Windows x86-64", ("3.14", "cp", "cp314", "win_amd64"), "upstream"),
    ("CPython 3.12 Alpine x86-64 (musllinux_1_2)", ("3.12", "cp", "cp312", "musllinux_1_2_x86_64"), "pure"),
    ("CPython 3.11 32-bit ARM (linux_armv7l)", ("3.11", "cp", "cp311", "linux_armv7l"), "pure"),
    ("CPython 3.12 manylinux ppc64le", ("3.12", "cp", "cp312", "manylinux2014_ppc64le"), "pure"),
    ("CPython 3.13 Windows arm64", ("3.13", "cp", "cp313", "win_arm64"), "pure"),
    ("PyPy 3.10 manylinux x86-64", ("3.10", "pp", "pypy310_pp73", "manylinux2014_x86_64"), "pure"),
    ("CPython 3.9 manylinux x86-64", ("3.9", "cp", "cp39", "manylinux2014_x86_64"), None),
)


def fetch_upstream(ctx: Context) -> bool:
    lock = read_toml(ctx.recipe.with_suffix(".lock"))
    ctx.pins = {name: sha.lower() for name, sha in lock["versions"][VERSION].items()}
    pip = pip_command()
    pins = [Pin(VERSION, name, sha) for name, sha in sorted(ctx.pins.items())]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        fetched = list(pool.map(lambda pin: fetch_pinned(pin, DISTRIBUTION, ctx.home / "upstream", pip), pins))
    problems = [f"{f.pin.name}: {f.error}" for f in fetched if f.path is None]
    ctx.files = {f.pin.name: f.path for f in fetched if f.path is not None}
    downloaded = sum(f.how != "cached" for f in fetched if f.path is not None)
    return ctx.report.check(f"upstream: {len(ctx.pins)} pinned files of {DISTRIBUTION} {VERSION} present and "
                            f"matching their pins", not problems,
                            "; ".join(problems[:3]) or f"{downloaded} downloaded with pip")


def build(ctx: Context) -> bool:
    out = ctx.run_dir / "dist"
    try:
        log_path = ctx.run([ctx.purewheel, "build", ctx.recipe, "--upstream-version", VERSION, "--out", out,
                            "--cache-dir", ctx.cache / "purewheel"], "build")
    except StepError as e:
        ctx.report.check(f"build: purewheel build --upstream-version {VERSION}", False, e.detail())
        return False
    text = log_path.read_text()
    ctx.wheel = out / f"google_crc32c-{VERSION}-py3-none-any.whl"
    source = re.search(r"^\s+from\s+(\S+\.whl)", text, re.M)
    ctx.canonical = ctx.files.get(source.group(1)) if source else None
    ctx.report.check(f"build: purewheel build --upstream-version {VERSION} wrote {ctx.wheel.name}", ctx.wheel.exists(),
                     f"from {source.group(1) if source else '?'}")
    try:
        ctx.run([ctx.purewheel, "check", ctx.wheel], "check")
        ctx.report.check("build: purewheel check", True)
    except StepError as e:
        ctx.report.check("build: purewheel check", False, e.detail(15))
    return ctx.wheel.exists()


def contents(ctx: Context) -> None:
    r = ctx.report
    if ctx.canonical is None or not ctx.canonical.exists():
        r.check("contents: compared with upstream", False, "the build named no pinned upstream file")
        return
    with zipfile.ZipFile(ctx.canonical) as up, zipfile.ZipFile(ctx.wheel) as pure:
        up_files = {i.filename: up.read(i) for i in up.infolist() if not i.is_dir()}
        pure_files = {i.filename: pure.read(i) for i in pure.infolist()}
    info = f"google_crc32c-{VERSION}.dist-info/"
    compiled = re.compile(r"google_crc32c/_crc32c\..*\.so|google_crc32c\.libs/.*")
    dropped = sorted(n for n in up_files if n not in pure_files)
    added = sorted(n for n in pure_files if n not in up_files)
    changed = sorted(n for n in pure_files if n in up_files and pure_files[n] != up_files[n])
    problems = []
    if not dropped or any(not compiled.fullmatch(n) for n in dropped):
        problems.append(f"dropped {dropped}, expected exactly the extension and google_crc32c.libs/")
    if added != [info + "sboms/purewheel.cdx.json"]:
        problems.append(f"added {added}, expected only the repack's SBOM")
    if changed != sorted([info + "RECORD", info + "WHEEL"]):
        problems.append(f"changed {changed}, expected only RECORD and WHEEL")
    r.check("contents: upstream's files minus the extension and google_crc32c.libs/, byte for byte, except "
            "WHEEL and RECORD, plus the repack's SBOM", not problems, "; ".join(problems) or f"dropped {', '.join(dropped)}")
    wheel_lines = pure_files[info + "WHEEL"].decode().splitlines()
    ok = "Root-Is-Purelib: true" in wheel_lines and [x for x in wheel_lines if x.startswith("Tag:")] == [
        "Tag: py3-none-any"]
    r.check("contents: WHEEL is pure (Root-Is-Purelib: true, Tag: py3-none-any)", ok, "\n".join(wheel_lines))
    same = pure_files[info + "METADATA"] == up_files[info + "METADATA"]
    r.check("contents: METADATA is upstream's, byte for byte (name, version, Summary, Requires-Python)", same)
    cext = pure_files["google_crc32c/cext.py"].decode()
    ok = "google_crc32c._crc32c import" in cext or "from google_crc32c import _crc32c" in cext
    r.check("contents: cext.py is upstream's, still importing the extension (guarded one level up)", ok)
    meta = email.parser.Parser().parsestr(pure_files[info + "METADATA"].decode())
    ctx.requires_python = meta.get("Requires-Python")


def publishable_checks(ctx: Context) -> None:
    """The checks every output of both recipes passes (e2e/outputs.py), on the pure wheel."""
    r = ctx.report
    python = ctx.interpreters.find("3.11")
    if python is None:
        r.check("publishable: CPython 3.11 for the validators venv", False, "not found")
        return
    validators, how = validators_venv(python, ctx.cache)
    if not r.check("publishable: validators venv (--require-hashes -r scripts/e2e/requirements/sbom-tools.txt)",
                   validators is not None, how):
        return
    tools, how = tools_venv(python, ctx.cache)
    if not r.check("publishable: twine venv (--require-hashes -r scripts/e2e/requirements/release-tools.txt)",
                   tools is not None, how):
        return
    for name, ok, detail in publishable(ctx.purewheel, validators, tools.twine, ctx.wheel):
        r.check(f"publishable: {name}", ok, detail)


def every_input(ctx: Context) -> None:
    reference = sha256_file(ctx.wheel)

    def one(name):
        out = ctx.run_dir / "every-input" / name[:-len(".whl")]
        try:
            ctx.run([ctx.purewheel, "build", ctx.recipe, "--wheel", ctx.files[name], "--out", out], "every-input")
        except StepError as e:
            return name, None, f"build failed: {e}"
        built = out / ctx.wheel.name
        compared = ctx.run.capture([ctx.purewheel, "compare", ctx.wheel, built])
        return name, sha256_file(built), None if compared.code == 0 else f"files differ: {compared.out.strip()[:300]}"

    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        results = list(pool.map(one, sorted(ctx.files)))
    bad = [f"{n}: {why}" for n, _, why in results if why]
    groups: dict[str | None, list[str]] = {}
    for name, digest, _ in results:
        groups.setdefault(digest, []).append(name)
    others = {d: names for d, names in groups.items() if d != reference}

    # Entries purewheel does not change keep upstream's compressed stream, so an upstream file zipped by another
    # deflate (CPython 3.14's Windows zlib-ng) gives the same files in other bytes.
    def tags(names):
        return ", ".join(n.split("-")[2] + " " + n.split("-")[4][:-len(".whl")] for n in names)

    detail = f"{len(groups.get(reference, []))} give {reference[:12]}…" + "".join(
        f"; {len(names)} give {d[:12]}… ({tags(names)})" for d, names in others.items() if d)
    ctx.report.check(f"inputs: all {len(results)} pinned files build with --wheel to the same files "
                     f"(purewheel compare)", not bad and len(results) == len(ctx.pins),
                     "; ".join(bad[:4]) if bad else detail)


def selection(ctx: Context) -> None:
    house = ctx.run_dir / "index"
    house.mkdir(parents=True, exist_ok=True)
    for name, path in ctx.files.items():
        try:
            os.link(path, house / name)
        except OSError:
            shutil.copy2(path, house / name)
    shutil.copy2(ctx.wheel, house / ctx.wheel.name)

    def one(entry):
        label, (minor, impl, abi, platform), expected = entry
        dest = ctx.run_dir / "selection" / re.sub(r"[^A-Za-z0-9.]+", "-", label)
        cmd = [sys.executable, "-m", "pip", "download", "--no-index", "--find-links", house, "--no-deps",
               "--only-binary=:all:", "--python-version", minor, "--implementation", impl, "--abi", abi,
               "--platform", platform, "-d", dest, f"{DISTRIBUTION}=={VERSION}"]
        result = ctx.run.capture(cmd, env=ctx.offline_env)
        got = sorted(p.name for p in dest.glob("*.whl")) if dest.exists() else []
        if result.code != 0 or not got:
            return label, expected, None, (result.err.strip().splitlines() or ["?"])[-1]
        kind = "pure" if got == [ctx.wheel.name] else "upstream" if len(got) == 1 else f"{got}"
        return label, expected, kind, got[0]

    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        for label, expected, kind, why in pool.map(one, SELECTION):
            want = {"pure": "the pure wheel", "upstream": "upstream's platform wheel",
                    None: "nothing (Requires-Python)"}[expected]
            ok = kind == expected and (expected != "upstream" or "-py3-none-any" not in why)
            ctx.report.check(f"index: pip on {label} takes {want}", ok, why)
