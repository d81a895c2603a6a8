"""End-to-end proof of `purewheel build` on the real upstream ml-metadata wheels (driver of scripts/e2e-build.sh).

Sections (each prints `ok - name` / `FAIL - name` lines; the last line is `N passed, N failed`):
  1. fetch every pinned upstream file with `pip download` (as purewheel's fetcher does) and verify its sha256
  2. `purewheel build RECIPE --version 1.17.1` as a user runs it (through pip)
  3. build every pinned file with --wheel; one sha256 per version; Windows inputs compare equal
  4. install each version's output in a fresh venv and use it; installer / wheel / twine / check-wheel-contents
  5. determinism across working directory, TZ, umask, --wheel order and SOURCE_DATE_EPOCH
  6. failure behaviour: exit codes, no output on failure, a good output is never replaced by a failed build

Needs CPython >= 3.11 (tomllib). No index host is named anywhere: pip's own configuration applies.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import json
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CANONICAL_VERSION = "1.17.1"
DETERMINISM_VERSION = "1.21.0"
SOURCE_DATE_EPOCH = "1700000000"  # 2023-11-14T22:13:20Z, an even second (DOS times have 2 s resolution)
TOOLS = ["installer==1.1.0", "wheel==0.48.0", "twine==7.0.0", "check-wheel-contents==0.6.3"]
ALLOWED_CWC_CODES = {"W002"}  # identical licence-only __init__.py files that upstream ships
EXIT_BAD_INPUT, EXIT_NO_INPUT, EXIT_CONFIG = 65, 66, 78
PUREWHEEL_BINARY: list[Path] = []


# --- reporting ----------------------------------------------------------------------------------------------


class Report:
    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0
        self.failures: list[str] = []
        self.lock = threading.Lock()

    def section(self, title: str) -> None:
        print(f"\n# {title}", flush=True)

    def note(self, text: str) -> None:
        for line in text.rstrip("\n").splitlines():
            print(f"    {line}", flush=True)

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        with self.lock:
            if ok:
                self.passed += 1
                print(f"ok - {name}" + (f"  ({detail})" if detail and "\n" not in detail and len(detail) < 90 else ""), flush=True)
                if detail and ("\n" in detail or len(detail) >= 90):
                    self.note(detail)
            else:
                self.failed += 1
                self.failures.append(name)
                print(f"FAIL - {name}", flush=True)
                if detail:
                    self.note(detail)
        return ok


R = Report()


@dataclass
class Result:
    code: int
    out: str
    err: str
    seconds: float

    def tail(self, lines: int = 8) -> str:
        text = (self.err.strip() + "\n" + self.out.strip()).strip()
        return "\n".join(text.splitlines()[-lines:])


def run(args: list[str], *, cwd: Path | str | None = None, env: dict[str, str] | None = None, umask: int | None = None,
        timeout: float = 900) -> Result:
    start = time.monotonic()
    preexec = (lambda: os.umask(umask)) if umask is not None else None
    try:
        proc = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                              errors="replace", stdin=subprocess.DEVNULL, preexec_fn=preexec, timeout=timeout)
        return Result(proc.returncode, proc.stdout, proc.stderr, time.monotonic() - start)
    except FileNotFoundError as error:
        return Result(127, "", str(error), time.monotonic() - start)
    except subprocess.TimeoutExpired:
        return Result(124, "", f"timed out after {timeout:.0f} s: {shlex.join(map(str, args))}", time.monotonic() - start)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def whls(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.whl")) if folder.is_dir() else []


def others(folder: Path) -> list[str]:
    """Anything in an output folder that is not a wheel (e.g. a temp file left behind)."""
    return sorted(p.name for p in folder.iterdir() if p.suffix != ".whl") if folder.is_dir() else []


# --- recipe and wheel names -------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Pinned:
    version: str
    name: str
    sha256: str

    @property
    def tags(self) -> tuple[str, str, str]:
        parts = self.name[: -len(".whl")].split("-")
        if len(parts) == 6:  # build tag
            parts = parts[:2] + parts[3:]
        _, _, python, abi, platform = parts
        return python, abi, platform

    @property
    def family(self) -> str:
        platform = self.tags[2]
        if platform.startswith(("manylinux", "musllinux", "linux")):
            return "linux"
        if platform.startswith("macosx"):
            return "macos"
        if platform.startswith("win"):
            return "windows"
        return "other"


def load_recipe(path: Path) -> tuple[dict, list[Pinned]]:
    """The recipe and the pins of its lock (`x.lock` beside `x.toml`, written by `purewheel lock`)."""
    with open(path, "rb") as handle:
        recipe = tomllib.load(handle)
    with open(path.with_suffix(".lock"), "rb") as handle:
        lock = tomllib.load(handle)
    pins = [Pinned(version, name, digest.lower())
            for version, table in lock["versions"].items()
            for name, digest in table.items()]
    return recipe, pins


def pip_download_args(pin: Pinned, distribution: str, dest: Path) -> list[str]:
    """The same `pip download` arguments as purewheel's PipFetcher.downloadArguments."""
    python, abi, platform = pin.tags
    args = ["download", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check", "--dest", str(dest)]
    for tag in platform.split("."):
        if tag != "any":
            args += ["--platform", tag]
    first = python.split(".")[0]
    digits = first.lstrip("abcdefghijklmnopqrstuvwxyz")
    if digits[:1].isdigit() and digits[1:].isdigit():  # py3 has no minor version: pip would read "3" as 3.0
        args += ["--python-version", f"{digits[0]}.{digits[1:]}"]
        if first.startswith("cp"):
            args += ["--implementation", "cp"]
    for tag in abi.split("."):
        if tag != "none":
            args += ["--abi", tag]
    args.append(f"{distribution}=={pin.version}")
    return args


def pip_command() -> list[str]:
    """What purewheel would use: $PUREWHEEL_PIP, else pip3 or pip on PATH."""
    if os.environ.get("PUREWHEEL_PIP"):
        return os.environ["PUREWHEEL_PIP"].split(" ")
    for name in ("pip3", "pip"):
        found = shutil.which(name)
        if found:
            return [found]
    return [sys.executable, "-m", "pip"]


# --- 1. upstream files ------------------------------------------------------------------------------------


def fetch_one(pin: Pinned, distribution: str, upstream: Path, pip: list[str]) -> tuple[Pinned, Path | None, str, str]:
    """Returns (pin, path or None, how: cached/downloaded/re-downloaded, error detail)."""
    target = upstream / pin.version / pin.name
    how = "downloaded"
    if target.is_file():
        if sha256(target) == pin.sha256:
            return pin, target, "cached", ""
        how = "re-downloaded (cached copy had the wrong sha256)"
        target.unlink()
    partial = upstream / ".partial"
    partial.mkdir(parents=True, exist_ok=True)
    dest = Path(tempfile.mkdtemp(prefix=pin.name[:40] + ".", dir=partial))
    try:
        result = run(pip + pip_download_args(pin, distribution, dest), timeout=600)
        got = dest / pin.name
        if result.code != 0:
            return pin, None, how, f"pip download exit {result.code}:\n{result.tail()}"
        if not got.is_file():
            names = ", ".join(p.name for p in dest.iterdir()) or "nothing"
            return pin, None, how, f"pip downloaded {names}, not {pin.name}"
        digest = sha256(got)
        if digest != pin.sha256:
            return pin, None, how, f"sha256 {digest} != pin {pin.sha256}"
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(got, target)
        return pin, target, how, ""
    finally:
        shutil.rmtree(dest, ignore_errors=True)


def fetch_all(pins: list[Pinned], distribution: str, upstream: Path) -> dict[Pinned, Path]:
    R.section(f"1. upstream files: pip download + sha256 pin ({len(pins)} pinned files, cache {upstream})")
    pip = pip_command()
    R.note(f"pip: {shlex.join(pip)}  (its index configuration applies; e.g. {shlex.join(pip + pip_download_args(pins[0], distribution, Path('DEST')))})")
    found: dict[Pinned, Path] = {}
    outcomes: dict[str, list[tuple[Pinned, Path | None, str, str]]] = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
        for outcome in pool.map(lambda p: fetch_one(p, distribution, upstream, pip), pins):
            outcomes.setdefault(outcome[0].version, []).append(outcome)
    for version, results in outcomes.items():
        bad = [f"{pin.name}: {error}" for pin, path, _, error in results if path is None]
        for pin, path, _, _ in results:
            if path is not None:
                found[pin] = path
        counts: dict[str, int] = {}
        for _, path, how, _ in results:
            if path is not None:
                counts[how] = counts.get(how, 0) + 1
        summary = ", ".join(f"{n} {how}" for how, n in counts.items())
        R.check(f"fetch {version}: {len(results) - len(bad)}/{len(results)} pinned files obtained, sha256 = pin", not bad,
                summary if not bad else "\n".join(bad))
    return found


# --- purewheel helpers ------------------------------------------------------------------------------------


class Purewheel:
    def __init__(self, binary: Path, recipe: Path) -> None:
        self.binary = binary
        self.recipe = recipe

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env.pop("SOURCE_DATE_EPOCH", None)
        env.update(extra)
        return env

    def build_wheels(self, inputs: list[Path], out: Path, *extra: str, cwd: Path | None = None, env: dict | None = None,
                     umask: int | None = None, recipe: Path | None = None, relative: bool = False) -> Result:
        recipe = recipe or self.recipe
        def arg(p: Path) -> str:
            return os.path.relpath(p, cwd) if relative and cwd else str(p)
        args = [self.binary, "build", arg(recipe)]
        for path in inputs:
            args += ["--wheel", arg(path)]
        args += ["--out", arg(out), *extra]
        return run(args, cwd=cwd, env=env or self.env(), umask=umask)

    def compare(self, a: Path, b: Path) -> Result:
        return run([self.binary, "compare", a, b])

    def check(self, wheel: Path) -> Result:
        return run([self.binary, "check", wheel])


def summary_sha(out: str) -> str | None:
    match = re.search(r"^\s*sha256\s+([0-9a-f]{64})\s*$", out, re.M)
    return match.group(1) if match else None


# --- 2. canonical build through pip -----------------------------------------------------------------------


def canonical_build(pw: Purewheel, work: Path, cache: Path, pins: list[Pinned], canonical_platform: str) -> Path | None:
    R.section(f"2. purewheel build RECIPE --version {CANONICAL_VERSION} (through pip, as a user runs it)")
    cache_dir = cache / "purewheel-cache"
    # Drop purewheel's cached copy of this version so that pip really runs (pip's own HTTP cache keeps it cheap).
    for stale in cache_dir.glob(f"*/{CANONICAL_VERSION}/*.whl"):
        stale.unlink()
    out = work / "canonical"
    result = run([pw.binary, "build", pw.recipe, "--version", CANONICAL_VERSION, "--out", out, "--cache-dir", cache_dir],
                 env=pw.env())
    R.note(f"$ purewheel build {pw.recipe.name} --version {CANONICAL_VERSION} --out OUT --cache-dir {cache_dir}   ({result.seconds:.1f} s)")
    R.note("\n".join(result.out.strip().splitlines()[:3]))
    R.check(f"build --version {CANONICAL_VERSION} exits 0", result.code == 0, "" if result.code == 0 else f"exit {result.code}\n{result.tail()}")
    outputs = whls(out)
    R.check("exactly one output wheel exists", len(outputs) == 1 and outputs[0].stat().st_size > 0,
            outputs[0].name if len(outputs) == 1 else f"found {[p.name for p in outputs]}")
    fetched = sorted(cache_dir.glob(f"*/{CANONICAL_VERSION}/*.whl"))
    wanted = {p.name: p.sha256 for p in pins if p.version == CANONICAL_VERSION}
    ok = len(fetched) == 1 and fetched[0].name in wanted and sha256(fetched[0]) == wanted[fetched[0].name]
    R.check(f"pip fetched the pinned {canonical_platform} file into --cache-dir", ok,
            fetched[0].name if ok else f"cache holds {[p.name for p in fetched]}")
    if len(outputs) != 1:
        return None
    check = pw.check(outputs[0])
    R.check("purewheel check on it exits 0", check.code == 0, check.tail(3) if check.code else "")
    return outputs[0]


# --- 3. every pinned file ---------------------------------------------------------------------------------


def build_all(pw: Purewheel, work: Path, files: dict[Pinned, Path], canonical: Path | None) -> dict[str, Path]:
    R.section(f"3. every pinned file builds with --wheel ({len(files)} files, each into its own folder)")
    root = work / "each"

    def one(pin: Pinned) -> tuple[Pinned, Result, list[Path]]:
        out = root / pin.name[: -len(".whl")]
        result = pw.build_wheels([files[pin]], out)
        return pin, result, whls(out)

    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(one, sorted(files, key=lambda p: (p.version, p.name))))
    by_version: dict[str, list[tuple[Pinned, Result, list[Path]]]] = {}
    for item in results:
        by_version.setdefault(item[0].version, []).append(item)

    table: list[tuple[str, str, str]] = []
    reference: dict[str, Path] = {}
    for version, items in by_version.items():
        broken = [f"{pin.name}: exit {res.code}, outputs {[p.name for p in outs]}\n{res.tail(4)}"
                  for pin, res, outs in items if res.code != 0 or len(outs) != 1]
        seconds = sum(res.seconds for _, res, _ in items)
        R.check(f"{version}: {len(items) - len(broken)}/{len(items)} inputs build", not broken,
                f"{seconds:.1f} s in all" if not broken else "\n".join(broken))
        good = [(pin, res, outs[0]) for pin, res, outs in items if res.code == 0 and len(outs) == 1]
        unix = [(pin, res, out) for pin, res, out in good if pin.family in ("linux", "macos")]
        windows = [(pin, res, out) for pin, res, out in good if pin.family == "windows"]
        digests: dict[str, list[str]] = {}
        mismatched_summary = []
        for pin, res, out in unix:
            digest = sha256(out)
            digests.setdefault(digest, []).append(pin.name)
            if summary_sha(res.out) != digest:
                mismatched_summary.append(f"{pin.name}: summary says {summary_sha(res.out)}, file is {digest}")
        families = sorted({pin.family for pin, _, _ in unix})
        R.check(f"{version}: {len(unix)} {'+'.join(families) or 'linux/macos'} inputs give one sha256", len(digests) == 1 and bool(unix),
                "\n".join(f"{d[:16]}: {', '.join(n)}" for d, n in digests.items()) if len(digests) != 1 else "")
        if mismatched_summary:
            R.check(f"{version}: build summary sha256 = output file sha256", False, "\n".join(mismatched_summary))
        linux = [out for pin, _, out in unix if pin.family == "linux"] or [out for _, _, out in unix]
        if linux:
            reference[version] = linux[0]
            table.append((version, sha256(linux[0]), " + ".join(f"{sum(p.family == f for p, _, _ in good)} {f}" for f in ("linux", "macos", "windows")
                                                                 if any(p.family == f for p, _, _ in good))))
        if windows and linux:
            diffs = []
            same_bytes = 0
            recompressed: set[str] = set()
            for pin, _, out in windows:
                cmp = pw.compare(linux[0], out)
                last = (cmp.out.strip().splitlines() or ["(no output)"])[-1]
                if cmp.code != 0 or not last.startswith("0 of "):
                    diffs.append(f"{pin.name}: compare exit {cmp.code}: {cmp.tail(6)}")
                same_bytes += sha256(out) == sha256(linux[0])
                if sha256(out) != sha256(linux[0]):
                    with zipfile.ZipFile(linux[0]) as za, zipfile.ZipFile(out) as zb:
                        sizes = {i.filename: (i.CRC, i.compress_size) for i in za.infolist()}
                        recompressed.update(i.filename for i in zb.infolist()
                                            if i.filename in sizes and sizes[i.filename][0] == i.CRC and sizes[i.filename][1] != i.compress_size)
            R.check(f"{version}: {len(windows)} windows outputs: purewheel compare vs linux reports 0 differing files",
                    not diffs, "\n".join(diffs) if diffs else f"{last}; {same_bytes}/{len(windows)} also byte-identical")
            if recompressed:
                R.note(f"note: same content, other compressed size (normalized + recompressed): {', '.join(sorted(recompressed))}")
    if canonical is not None and CANONICAL_VERSION in reference:
        R.check(f"{CANONICAL_VERSION}: the pip-fetched build (section 2) = the --wheel builds, byte for byte",
                sha256(canonical) == sha256(reference[CANONICAL_VERSION]))
    for version, wheel in reference.items():
        check = pw.check(wheel)
        R.check(f"{version}: purewheel check {wheel.name} exits 0", check.code == 0, check.tail(3) if check.code else "")
    print("\n    version   sha256 of ml_metadata_remote-<version>-py3-none-any.whl                 inputs")
    for version, digest, inputs in table:
        print(f"    {version:<9} {digest}  {inputs}")
    return reference


# --- 4. install and use; packaging tools ------------------------------------------------------------------


def find_python(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit)
    pyenv = shutil.which("pyenv")
    if pyenv:
        root = run([pyenv, "root"]).out.strip()
        candidate = Path(root) / "versions" / "3.11.7" / "bin" / "python"
        if candidate.is_file():
            return candidate
        found = sorted(Path(root).glob("versions/3.11.*/bin/python"))
        if found:
            return found[-1]
    return Path(sys.executable)


def make_venv(python: Path, folder: Path, packages: list[str]) -> tuple[Path | None, str, float]:
    start = time.monotonic()
    result = run([python, "-m", "venv", folder])
    if result.code != 0:
        return None, f"venv: exit {result.code}\n{result.tail()}", time.monotonic() - start
    vpy = folder / "bin" / "python"
    result = run([vpy, "-m", "pip", "install", "--disable-pip-version-check", "--no-input", "-q", *packages], timeout=900)
    if result.code != 0:
        return None, f"pip install {' '.join(packages)}: exit {result.code}\n{result.tail(10)}", time.monotonic() - start
    return vpy, "", time.monotonic() - start


def tools_venv(python: Path, cache: Path) -> tuple[Path | None, str, float]:
    """The tools venv, kept in the e2e cache across runs (keyed by interpreter and pins); rebuilt when broken."""
    start = time.monotonic()
    key = hashlib.sha256(f"{python.resolve()} {run([python, '--version']).out.strip()} {' '.join(TOOLS)}".encode()).hexdigest()[:12]
    folder = cache / f"tools-venv-{key}"
    vpy = folder / "bin" / "python"
    marker = folder / ".complete"
    if marker.is_file() and run([vpy, "-c", "import installer, wheel, twine, check_wheel_contents"]).code == 0:
        return vpy, "reused from the cache", time.monotonic() - start
    shutil.rmtree(folder, ignore_errors=True)
    vpy, error, seconds = make_venv(python, folder, TOOLS)
    if vpy is not None:
        marker.write_text(" ".join(TOOLS) + "\n")
        return vpy, "created", seconds
    return None, error, seconds


def install_and_use(work: Path, cache: Path, wheels: dict[str, Path], python: Path, jobs: int) -> None:
    R.section(f"4. pip install each output in a fresh venv ({run([python, '--version']).out.strip()}, {jobs} at a time) and use it")
    probe = (HERE / "probe.py").read_text()
    venvs = work / "venvs"
    venvs.mkdir(parents=True, exist_ok=True)

    def version_job(version: str) -> tuple[str, Path | None, str, float, dict | None]:
        wheel = wheels[version]
        vpy, error, seconds = make_venv(python, venvs / f"v{version}", [str(wheel)])
        if vpy is None:
            return version, None, error, seconds, None
        bare = work / "probe-cwd"
        bare.mkdir(exist_ok=True)
        result = run([vpy, "-I", "-c", probe, "ml-metadata-remote", wheel.name.split("-")[1]], cwd=bare)
        try:
            data = json.loads(result.out.strip().splitlines()[-1])
        except (ValueError, IndexError):
            data = {"checks": {"probe ran": [False, f"exit {result.code}\n{result.tail()}"]}}
        freeze = run([vpy, "-m", "pip", "list", "--format=freeze", "--disable-pip-version-check"]).out.split()
        data["freeze"] = [line for line in freeze if re.match(r"(?i)(protobuf|grpcio|absl-py|attrs|ml.metadata)", line)]
        return version, vpy, "", seconds, data

    def tools_job() -> tuple[Path | None, str, float]:
        return tools_venv(python, cache)

    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        tools_future = pool.submit(tools_job)
        futures = [pool.submit(version_job, version) for version in sorted(wheels)]
        for future in futures:
            version, vpy, error, seconds, data = future.result()
            if not R.check(f"{version}: pip install {wheels[version].name} with its dependencies", vpy is not None,
                           f"{seconds:.0f} s" if vpy else error):
                continue
            for name, (ok, detail) in data["checks"].items():
                R.check(f"{version}: {name}", ok, detail)
            R.note("installed: " + " ".join(data.get("freeze", [])))
        tools, error, seconds = tools_future.result()

    R.section("4b. packaging tools on each output (" + ", ".join(TOOLS) + ")")
    if not R.check("tools venv: pip install " + " ".join(TOOLS), tools is not None, f"{error}, {seconds:.0f} s" if tools else error):
        return
    bindir = tools.parent

    def tools_on(version: str) -> list[tuple[str, bool, str]]:
        wheel = wheels[version]
        scratch = work / "tools" / version
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
        res = run([bindir / "twine", "check", "--strict", wheel])
        out.append(("twine check --strict", res.code == 0 and "PASSED" in res.out, "" if res.code == 0 else f"exit {res.code}\n{res.tail()}"))
        res = run([bindir / "check-wheel-contents", "--no-config", wheel], cwd=scratch if scratch.is_dir() else None)
        codes = sorted(set(re.findall(r": ([EW]\d{3}):", res.out + res.err)))
        unexpected = [c for c in codes if c not in ALLOWED_CWC_CODES]
        sane = res.code == 0 or codes  # a non-zero exit must come with parsed findings
        out.append(("check-wheel-contents reports nothing but " + "/".join(sorted(ALLOWED_CWC_CODES)), not unexpected and bool(sane),
                    ("codes: " + (", ".join(codes) or "none")) if not unexpected and sane else f"exit {res.code}, codes {codes}\n{res.tail()}"))
        return out

    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for version, results in zip(sorted(wheels), pool.map(tools_on, sorted(wheels))):
            for name, ok, detail in results:
                R.check(f"{version}: {name}", ok, detail)

    # Self-test: the checks above must be able to fail. One .py entry of an output is changed without updating
    # RECORD (written with Python's zipfile); the RECORD-validating tools and purewheel check must refuse it.
    version = sorted(wheels)[-1]
    sabotaged = work / "tools" / "sabotaged" / wheels[version].name
    sabotaged.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheels[version]) as source, zipfile.ZipFile(sabotaged, "w", zipfile.ZIP_DEFLATED) as target:
        victim = next(i.filename for i in source.infolist() if i.filename.endswith("/__init__.py"))
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, data + b"# sabotaged\n" if info.filename == victim else data)
    res_installer = run([tools, "-m", "installer", "--validate-record", "all", "--destdir", sabotaged.parent / "destdir", sabotaged])
    res_unpack = run([tools, "-m", "wheel", "unpack", sabotaged, "-d", sabotaged.parent / "unpack"])
    res_check = run([PUREWHEEL_BINARY[0], "check", sabotaged]) if PUREWHEEL_BINARY else Result(0, "", "", 0)
    R.check(f"self-test: {victim} changed behind RECORD's back is refused by installer --validate-record all, wheel unpack, purewheel check",
            res_installer.code != 0 and res_unpack.code != 0 and res_check.code != 0,
            f"exit codes {res_installer.code} / {res_unpack.code} / {res_check.code}")


# --- 5. determinism ---------------------------------------------------------------------------------------


def determinism(pw: Purewheel, work: Path, files: dict[Pinned, Path], reference: dict[str, Path]) -> None:
    R.section("5. determinism: working directory, TZ, umask, --wheel order, SOURCE_DATE_EPOCH")
    root = work / "determinism"
    cwd_a = root / "a"
    cwd_b = root / "b" / "deeper" / "still"
    for folder in (cwd_a, cwd_b):
        folder.mkdir(parents=True, exist_ok=True)
    env_a = pw.env(TZ="UTC")
    env_b = pw.env(TZ="Pacific/Kiritimati", LC_ALL="C")

    canonical = sorted(p for p in files if p.version == CANONICAL_VERSION and p.family == "linux")
    if canonical:
        single = files[canonical[-1]]
        ra = pw.build_wheels([single], cwd_a / "out", cwd=cwd_a, env=env_a, umask=0o022, relative=True)
        rb = pw.build_wheels([single], cwd_b / "out", cwd=cwd_b, env=env_b, umask=0o077, relative=True)
        wa, wb = whls(cwd_a / "out"), whls(cwd_b / "out")
        ok = ra.code == rb.code == 0 and len(wa) == len(wb) == 1 and sha256(wa[0]) == sha256(wb[0])
        R.check(f"{single.name[:-4]}: cwd a + TZ=UTC + umask 022 vs cwd b/deeper/still + TZ=Pacific/Kiritimati + umask 077: identical bytes",
                ok, "" if ok else f"exits {ra.code}/{rb.code}\n{ra.tail(3)}\n{rb.tail(3)}")
        if ok and CANONICAL_VERSION in reference:
            R.check("  ... and identical to the section 3 build", sha256(wa[0]) == sha256(reference[CANONICAL_VERSION]))

    several = sorted((p for p in files if p.version == DETERMINISM_VERSION and p.family in ("linux", "macos")), key=lambda p: p.name)
    if len(several) >= 2:
        order_a = [files[p] for p in several]
        seed = 20261122
        order_b = order_a[:]
        random.Random(seed).shuffle(order_b)
        if order_b == order_a:
            order_b.reverse()
        out_a, out_b = root / "order-a", root / "order-b"
        ra = pw.build_wheels(order_a, out_a, cwd=cwd_a, env=env_a, umask=0o022, relative=True)
        rb = pw.build_wheels(order_b, out_b, cwd=cwd_b, env=env_b, umask=0o077, relative=True)
        wa, wb = whls(out_a), whls(out_b)
        ok = ra.code == rb.code == 0 and len(wa) == len(wb) == 1 and sha256(wa[0]) == sha256(wb[0])
        R.check(f"{DETERMINISM_VERSION}: all {len(several)} linux+macOS files in one command, two orders (seed {seed}), cwd/TZ/umask varied: identical bytes",
                ok, "" if ok else f"exits {ra.code}/{rb.code}, outputs {[p.name for p in wa]} / {[p.name for p in wb]}\n{ra.tail(3)}\n{rb.tail(3)}")
        if ok and DETERMINISM_VERSION in reference:
            R.check("  ... and identical to the single-input build of section 3", sha256(wa[0]) == sha256(reference[DETERMINISM_VERSION]))

    if canonical:
        single = files[canonical[-1]]
        out_c, out_d = root / "sde-c", root / "sde-d"
        rc = pw.build_wheels([single], out_c, cwd=cwd_a, env=pw.env(TZ="UTC", SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH), umask=0o022)
        rd = pw.build_wheels([single], out_d, cwd=cwd_b, env=pw.env(TZ="Pacific/Kiritimati", SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH), umask=0o077)
        wc, wd = whls(out_c), whls(out_d)
        ok = rc.code == rd.code == 0 and len(wc) == len(wd) == 1 and sha256(wc[0]) == sha256(wd[0])
        R.check(f"SOURCE_DATE_EPOCH={SOURCE_DATE_EPOCH}: two runs (TZ/cwd/umask varied) give identical bytes", ok,
                "" if ok else f"exits {rc.code}/{rd.code}\n{rc.tail(3)}\n{rd.tail(3)}")
        if ok and CANONICAL_VERSION in reference:
            base = reference[CANONICAL_VERSION]
            cmp = pw.compare(base, wc[0])
            stamp = time.gmtime(int(SOURCE_DATE_EPOCH))[:6]
            with zipfile.ZipFile(wc[0]) as z:
                times = {info.date_time for info in z.infolist()}
            with zipfile.ZipFile(base) as z:
                base_times = {info.date_time for info in z.infolist()}
            R.check("  ... differs from the default build only by entry timestamps (purewheel compare: 0 differing files)",
                    cmp.code == 0 and times == {stamp} and sha256(wc[0]) != sha256(base),
                    f"entry times {sorted(times)} (default build: {sorted(base_times)})" if cmp.code == 0 else cmp.tail(6))


# --- 6. failure behaviour ---------------------------------------------------------------------------------


def failures(pw: Purewheel, work: Path, files: dict[Pinned, Path], reference: dict[str, Path], recipe_path: Path) -> None:
    R.section("6. failure behaviour as users see it")
    root = work / "failures"
    root.mkdir(parents=True, exist_ok=True)
    canonical = sorted(p for p in files if p.version == CANONICAL_VERSION and p.family == "linux")
    if not canonical:
        R.check("a canonical upstream file is available for the failure checks", False)
        return
    pin = canonical[-1]
    # Two ways to change a pinned file's bytes while keeping its name: append a byte (the zip now has trailing
    # data after its end record, which a strict reader rejects), and add a one-byte zip comment (still a valid zip).
    tampered = root / "tampered" / pin.name
    tampered.parent.mkdir()
    shutil.copyfile(files[pin], tampered)
    with open(tampered, "ab") as handle:
        handle.write(b"\0")
    commented = root / "commented" / pin.name
    commented.parent.mkdir()
    data = bytearray(files[pin].read_bytes())
    end = data.rfind(b"PK\x05\x06")
    length = int.from_bytes(data[end + 20:end + 22], "little")
    data[end + 20:end + 22] = (length + 1).to_bytes(2, "little")
    data += b"!"
    commented.write_bytes(bytes(data))

    def first_line(result: Result) -> str:
        lines = [line for line in (result.err + result.out).splitlines() if line.strip()]
        return lines[0].replace(str(work), "$WORK")[:220] if lines else "(no message)"

    for label, path in (("a byte appended", tampered), ("a one-byte zip comment added", commented)):
        out = root / f"out-{path.parent.name}"
        res = pw.build_wheels([path], out)
        leftovers = [p.name for p in whls(out)] + others(out)
        R.check(f"--wheel with a pinned name, {label}: exit {EXIT_BAD_INPUT}, sha256 mismatch reported, no output",
                res.code == EXIT_BAD_INPUT and "sha256" in res.err and not leftovers,
                f"exit {res.code}: {first_line(res)}" + (f"; left in out: {leftovers}" if leftovers else ""))

    out = root / "out-unpinned"
    res = pw.build_wheels([commented], out, "--allow-unpinned")
    built = whls(out)
    R.check("--allow-unpinned on the commented file: builds, summary says UNPINNED", res.code == 0 and len(built) == 1 and "UNPINNED" in res.out,
            next((line.strip() for line in res.out.splitlines() if "UNPINNED" in line), "") if res.code == 0 else f"exit {res.code}: {first_line(res)}\n{res.tail(4)}")
    if len(built) == 1 and CANONICAL_VERSION in reference:
        R.check("  ... and gives the same bytes as the pinned file", sha256(built[0]) == sha256(reference[CANONICAL_VERSION]))
    out = root / "out-unpinned-damaged"
    res = pw.build_wheels([tampered], out, "--allow-unpinned")
    leftovers = [p.name for p in whls(out)] + others(out)
    R.check(f"--allow-unpinned on the file with a byte appended: refused as a damaged zip (exit {EXIT_BAD_INPUT}), no output",
            res.code == EXIT_BAD_INPUT and not leftovers, f"exit {res.code}: {first_line(res)}")

    res = run([pw.binary, "build", root / "no-such-recipe.toml", "--version", CANONICAL_VERSION, "--out", root / "out-missing"])
    R.check(f"a missing recipe: exit {EXIT_NO_INPUT}", res.code == EXIT_NO_INPUT and not whls(root / "out-missing"), f"exit {res.code}: {first_line(res)}")

    recipes = root / "recipes"
    recipes.mkdir()
    shutil.copyfile(recipe_path, recipes / recipe_path.name)
    shutil.copyfile(recipe_path.with_suffix(".lock"), recipes / recipe_path.with_suffix(".lock").name)
    if (recipe_path.parent / recipe_path.stem).is_dir():
        shutil.copytree(recipe_path.parent / recipe_path.stem, recipes / recipe_path.stem)
    text = (recipes / recipe_path.name).read_text()
    bad_recipe = recipes / "with-colour.toml"
    patched, n = re.subn(r"^schema = 1$", "schema = 1\ncolour = 1", text, count=1, flags=re.M)
    bad_recipe.write_text(patched if n else "colour = 1\n" + text)
    res = pw.build_wheels([files[pin]], root / "out-colour", recipe=bad_recipe)
    message = res.err + res.out
    R.check(f"a recipe with an unknown key `colour = 1`: exit {EXIT_CONFIG} naming the key",
            res.code == EXIT_CONFIG and "colour" in message and not whls(root / "out-colour"), f"exit {res.code}: {first_line(res)}")
    # The copied recipe itself (without the extra key) must still build: the failure above is the key, not the copy.
    res = pw.build_wheels([files[pin]], root / "out-copy", recipe=recipes / recipe_path.name)
    R.check("  ... while the unmodified copy of the recipe builds", res.code == 0 and len(whls(root / "out-copy")) == 1,
            "" if res.code == 0 else f"exit {res.code}: {first_line(res)}")

    if CANONICAL_VERSION not in reference:
        return
    good = reference[CANONICAL_VERSION]

    def keeps_good(label: str, inputs: list[Path], *extra: str, recipe: Path | None = None, expect: int | None = None) -> None:
        out = root / f"out-keep-{len(list(root.glob('out-keep-*')))}"
        out.mkdir()
        kept = out / good.name
        shutil.copyfile(good, kept)
        os.utime(kept, (1_000_000_000, 1_000_000_000))
        before = (kept.stat().st_ino, kept.stat().st_mtime_ns, sha256(kept))
        res = pw.build_wheels(inputs, out, *extra, recipe=recipe)
        after = (kept.stat().st_ino, kept.stat().st_mtime_ns, sha256(kept)) if kept.exists() else None
        leftovers = [p.name for p in out.iterdir() if p.name != good.name]
        code_ok = res.code != 0 if expect is None else res.code == expect
        R.check(f"pre-existing good output untouched by a failed build: {label}",
                code_ok and after == before and not leftovers,
                f"exit {res.code}: {first_line(res)}" + ("" if after == before else "; the output was replaced or changed")
                + (f"; extra files {leftovers}" if leftovers else ""))

    keeps_good(f"tampered input (exit {EXIT_BAD_INPUT})", [tampered], expect=EXIT_BAD_INPUT)
    # A later stage fails: the good pinned input of the same version with a patch whose context no longer matches.
    broken = root / "recipes-broken-patch"
    shutil.copytree(recipes, broken)
    (broken / "with-colour.toml").unlink()
    patch_files = sorted((broken / recipe_path.stem / "patches").glob("*1.17*.diff"))
    if patch_files:
        patch = patch_files[0]
        lines = patch.read_text().splitlines(keepends=True)
        for i, line in enumerate(lines):
            if line.startswith(" ") and line.strip():
                lines[i] = " # e2e: this context line does not exist upstream\n"
                break
        patch.write_text("".join(lines))
        keeps_good(f"a patch of the recipe does not apply ({patch.name} with one context line changed): exit {EXIT_CONFIG}",
                   [files[pin]], recipe=broken / recipe_path.name, expect=EXIT_CONFIG)
    # A batch where one input is fine and one is not: nothing may be published.
    others_pinned = [p for p in files if p.version == CANONICAL_VERSION and p != pin]
    if others_pinned:
        keeps_good("a batch of a good input and a tampered one", [files[others_pinned[0]], tampered], expect=EXIT_BAD_INPUT)


    killed_build(pw, root, files, good)


def killed_build(pw: Purewheel, root: Path, files: dict[Pinned, Path], good: Path) -> None:
    """SIGKILL in the middle of a batch build: no cleanup code runs, yet no .whl may appear at the destination,
    the good one there stays, and the next build removes the abandoned staging folder."""
    out = root / "out-killed"
    out.mkdir()
    kept = out / good.name
    shutil.copyfile(good, kept)
    before = sha256(kept)
    inputs = [arg for path in sorted(files.values()) for arg in ("--wheel", str(path))]
    proc = subprocess.Popen([str(pw.binary), "build", str(pw.recipe), *inputs, "--out", str(out)], env=pw.env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not any(p.name.startswith(".purewheel-staging-") for p in out.iterdir()):
        time.sleep(0.05)
    time.sleep(0.5)
    still_running = proc.poll() is None
    proc.kill()
    proc.wait()
    visible = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    R.check("SIGKILL mid-build: no new or partial .whl at the destination, the good one unchanged",
            still_running and visible == [good.name] and sha256(kept) == before,
            f"killed while running: {still_running}; visible files: {visible}")
    res = pw.build_wheels([next(iter(sorted(files.values())))], out)
    hidden = sorted(p.name for p in out.iterdir() if p.name.startswith("."))
    R.check("  ... and the next build removes the abandoned staging folder", res.code == 0 and not hidden,
            f"exit {res.code}; hidden leftovers: {hidden}")


def guarded(section: str, function, default):
    """Runs one section; a crash of the script itself counts as one failed check instead of ending the run."""
    start = time.monotonic()
    try:
        return function()
    except Exception as error:  # noqa: BLE001
        import traceback
        R.check(f"section {section} ran to the end", False, "".join(traceback.format_exception(error)).rstrip())
        return default
    finally:
        print(f"    (section {section}: {time.monotonic() - start:.0f} s)", flush=True)


# --- main -------------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--purewheel", required=True, type=Path)
    parser.add_argument("--recipe", required=True, type=Path)
    parser.add_argument("--cache", type=Path, default=Path(os.environ.get("PUREWHEEL_E2E_CACHE") or Path.home() / ".cache" / "purewheel-e2e"))
    parser.add_argument("--python", help="CPython for the venvs (default: pyenv 3.11.7, else this interpreter)")
    parser.add_argument("--jobs", type=int, default=2, help="venvs built at a time (default 2)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()

    start = time.monotonic()
    binary = args.purewheel.resolve()
    recipe_path = args.recipe.resolve()
    cache = args.cache.resolve()
    upstream = cache / "upstream"
    upstream.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="purewheel-e2e-build."))
    version = run([binary, "--version"])
    print(f"purewheel: {binary} ({version.out.strip() or 'no --version: exit ' + str(version.code)})")
    print(f"recipe:    {recipe_path}")
    print(f"cache:     {cache}")
    print(f"work:      {work}")

    try:
        recipe, pins = load_recipe(recipe_path)
    except (OSError, tomllib.TOMLDecodeError, KeyError) as error:
        R.check("recipe parses with tomllib", False, str(error))
        print(f"\n{R.passed} passed, {R.failed} failed")
        return 1
    distribution = recipe["source"]["distribution"]
    canonical_platform = recipe["source"].get("canonical_platform", "linux")
    versions = sorted({p.version for p in pins}, key=lambda v: tuple(int(x) for x in re.findall(r"\d+", v)))
    print(f"pins:      {len(pins)} files of {distribution} over {', '.join(versions)}")

    pw = Purewheel(binary, recipe_path)
    PUREWHEEL_BINARY.append(binary)
    files = guarded("1", lambda: fetch_all(pins, distribution, upstream), {})
    canonical = guarded("2", lambda: canonical_build(pw, work, cache, pins, canonical_platform), None)
    reference = guarded("3", lambda: build_all(pw, work, files, canonical), {})
    R.check(f"one output per pinned version ({len(versions)})", sorted(reference) == sorted(versions),
            "" if sorted(reference) == sorted(versions) else f"missing: {sorted(set(versions) - set(reference))}")
    if not reference:
        R.note("section 4 skipped: no outputs to install")
    if reference:
        guarded("4", lambda: install_and_use(work, cache, reference, find_python(args.python), args.jobs), None)
    guarded("5", lambda: determinism(pw, work, files, reference), None)
    guarded("6", lambda: failures(pw, work, files, reference, recipe_path), None)

    print()
    if R.failures:
        print("failed checks:")
        for name in R.failures:
            print(f"  - {name}")
        print(f"work folder kept for inspection: {work}")
    elif args.keep:
        print(f"work folder kept: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    print(f"wall time {time.monotonic() - start:.0f} s")
    print(f"{R.passed} passed, {R.failed} failed")
    return 0 if R.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
