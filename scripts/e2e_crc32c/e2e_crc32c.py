#!/usr/bin/env python3
"""End-to-end proof for recipes/google-crc32c-pure.toml (stdlib only; run by scripts/e2e-crc32c.sh).

1. upstream: every file the lock pins, fetched with `pip download` for its own tags and checked against its pin
2. build: `purewheel build RECIPE --version V`, `purewheel check`; the wheel holds upstream's files minus the
   compiled code, byte for byte (cext.py included: no patch); METADATA is upstream's unchanged
3. every pinned file (30 for 1.9.0: five platforms x CPython 3.10-3.15) builds, with --wheel, to the same sha256
4. selection: pip, given a folder with upstream's files and the pure wheel (a private index), takes upstream's
   platform wheel where one fits and the pure wheel elsewhere (musllinux, armv7l, ppc64le, win_arm64, PyPy), and
   nothing for a CPython that upstream's Requires-Python excludes
5. native: upstream's x86-64 platform wheel in its own venv computes the reference checksums (implementation "c")
6. pure: the wheel installed with pip into fresh venvs of CPython 3.9-3.13 (an interpreter that Requires-Python
   excludes is a skip, and pip must refuse it there) and into the emulated aarch64 CPython 3.11 (qemu-user);
   each must run the pure fallback (implementation "python", upstream's RuntimeWarning, no native file) and give
   exactly the native checksums on the same bytes: b"", b"123456789" (0xe3069283), every prefix of 0-64 bytes
   and a 1 MiB random file, through value(), extend(), Checksum (update, copy, digest, hexdigest, consume)

Every check counts as passed or failed (skips are listed); the last line is `N passed, N failed`.
"""

import argparse
import concurrent.futures
import email.parser
import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import tomllib
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROBE = HERE / "probe.py"
ARM_ROOTFS = HERE.parent / "e2e" / "arm-rootfs.sh"
DISTRIBUTION = "google-crc32c"
VERSION = "1.9.0"
PYTHONS = ["3.9", "3.10", "3.11", "3.12", "3.13"]
NATIVE_PYTHON = "3.11"  # the reference: upstream's cp311 manylinux x86-64 wheel
ARM_PYTHON = "3.11"  # Debian bookworm's python3.11 on aarch64 (scripts/e2e/arm-rootfs.sh)
FALLBACK_WARNING = "As the c extension couldn't be imported, `google-crc32c` is using a pure python implementation"
KNOWN_KEY = "value(b'123456789')"  # probe.py's name for the check value
CEXT_ERROR = "ModuleNotFoundError: No module named 'google_crc32c._crc32c' (name=google_crc32c._crc32c)"
# What pip picks from a folder holding upstream's 30 files and the pure wheel: (label, pip target, expected), where
# expected is "upstream" (a platform wheel of upstream), "pure" or None (nothing installable).
SELECTION = [
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
]


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


class StepError(Exception):
    def __init__(self, message, log_path=None):
        super().__init__(message)
        self.log_path = log_path


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def tail(path, lines=15):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except (OSError, TypeError):
        return ""


def version_tuple(text):
    return tuple(int(x) for x in re.findall(r"\d+", text)[:3])


def python_allowed(requires_python, version):
    """Evaluates a Requires-Python of plain clauses (>=, >, <=, <, ==, !=, with release numbers) for a version."""
    v = version_tuple(version)
    for clause in filter(None, (c.strip() for c in (requires_python or "").split(","))):
        m = re.fullmatch(r"(>=|<=|==|!=|>|<)\s*([0-9.]+)(\.\*)?", clause)
        if not m:
            raise ValueError(f"cannot evaluate Requires-Python clause {clause!r}")
        op, bound = m.group(1), version_tuple(m.group(2))
        left = v[:len(bound)] if m.group(3) or op in ("==", "!=") else v + (0,) * (len(bound) - len(v))
        ok = {">=": left >= bound, ">": left > bound, "<=": left <= bound, "<": left < bound, "==": left == bound,
              "!=": left != bound}[op]
        if not ok:
            return False
    return True


class Tally:
    """Thread-safe pass/fail counter; skips are listed, not counted."""

    def __init__(self):
        self.lock = threading.Lock()
        self.passed, self.failed, self.skipped = [], [], []

    def add(self, name, ok, detail=""):
        with self.lock:
            (self.passed if ok else self.failed).append((name, detail))
        if ok:
            log(f"PASS {name}{' (' + detail + ')' if detail else ''}")
        else:
            log(f"FAIL {name}{': ' + detail if detail else ''}")
        return ok

    def skip(self, name, reason):
        with self.lock:
            self.skipped.append((name, reason))
        log(f"SKIP {name}: {reason}")


class Harness:
    def __init__(self, args):
        self.args = args
        self.purewheel = Path(args.purewheel).resolve()
        self.recipe = Path(args.recipe).resolve()
        self.cache = Path(args.cache).resolve()
        self.home = self.cache / "crc32c"
        self.upstream = self.home / "upstream"
        self.run_dir = self.home / "run"
        self.logs = self.run_dir / "logs"
        self.tally = Tally()
        self.env = dict(os.environ, PIP_CACHE_DIR=str(self.cache / "pip-cache"), PIP_DISABLE_PIP_VERSION_CHECK="1",
                        PIP_NO_INPUT="1", PYTHONDONTWRITEBYTECODE="1")
        self.env.pop("PYTHONPATH", None)
        self.env.pop("VIRTUAL_ENV", None)
        # Offline pip calls read no configuration file, so that a configured find-links folder cannot add files.
        self.offline_env = dict(self.env, PIP_CONFIG_FILE=os.devnull)
        for key in ("PIP_FIND_LINKS", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL"):
            self.offline_env.pop(key, None)
        self.interpreters = {}
        self.pins = {}
        self.wheel = None
        self.native = None
        self.data = self.run_dir / "data.bin"
        self.results = []  # (target, outcome) for the summary

    # -- helpers ------------------------------------------------------------------------------------------------------

    def run(self, cmd, name, env=None, timeout=900, cwd=None):
        """Runs cmd with its output in logs/<name>.log; raises StepError naming the log on failure."""
        log_path = self.logs / f"{name}.log"
        with open(log_path, "ab") as out:
            out.write(("$ " + " ".join(str(c) for c in cmd) + "\n").encode())
            out.flush()
            try:
                proc = subprocess.run([str(c) for c in cmd], stdout=out, stderr=subprocess.STDOUT, env=env or self.env,
                                      timeout=timeout, cwd=cwd)
            except subprocess.TimeoutExpired:
                raise StepError(f"timed out after {timeout}s: {cmd[0]} (log: {log_path})", log_path)
        if proc.returncode != 0:
            raise StepError(f"exit {proc.returncode}: {' '.join(str(c) for c in cmd[:4])} ... (log: {log_path})",
                            log_path)
        return log_path

    def capture(self, cmd, env=None, timeout=900):
        proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, env=env or self.env,
                              timeout=timeout)
        return proc.returncode, proc.stdout, proc.stderr

    def python(self, minor):
        if minor not in self.interpreters:
            found = None
            try:
                root = subprocess.run(["pyenv", "root"], capture_output=True, text=True, check=True).stdout.strip()
                candidates = [c for c in Path(root, "versions").glob(f"{minor}.*")
                              if re.fullmatch(rf"{re.escape(minor)}\.\d+", c.name)]
                candidates.sort(key=lambda p: version_tuple(p.name))
                if candidates and (candidates[-1] / "bin" / "python").exists():
                    found = candidates[-1] / "bin" / "python"
            except (OSError, subprocess.CalledProcessError):
                pass
            if found is None:
                which = shutil.which(f"python{minor}")
                found = Path(which) if which else None
            self.interpreters[minor] = found
        return self.interpreters[minor]

    def bundled_pip(self, python):
        """The pip wheel `python -m venv` would seed; run from the wheel, it is that pip without ~8 s of seeding."""
        where = "import ensurepip, os; print(os.path.dirname(ensurepip.__file__))"
        code, out, err = self.capture([python, "-c", where])
        if code != 0:
            raise StepError(f"{python} has no ensurepip: {err.strip()}")
        [pip] = sorted(Path(out.strip(), "_bundled").glob("pip-*.whl"))
        return pip

    def probe(self, cmd, name, env=None, timeout=900):
        log_path = self.logs / f"probe-{name}.json"
        code, out, err = self.capture([*cmd, PROBE, self.data], env=env, timeout=timeout)
        log_path.write_text(out + ("\n--- stderr\n" + err if err else ""))
        if code != 0:
            raise StepError(f"probe exit {code}: {err.strip().splitlines()[-1:] or ''} (log: {log_path})", log_path)
        return json.loads(out)

    # -- 1. upstream files --------------------------------------------------------------------------------------------

    def fetch_upstream(self):
        lock = tomllib.loads(self.recipe.with_suffix(".lock").read_text())
        self.pins = lock["versions"][VERSION]
        self.upstream.mkdir(parents=True, exist_ok=True)
        missing = [n for n, sha in sorted(self.pins.items())
                   if not (self.upstream / n).exists() or sha256_file(self.upstream / n) != sha]
        if missing:
            log(f"downloading {len(missing)} of {len(self.pins)} pinned upstream files with pip")

        def fetch(name):
            # google_crc32c-1.9.0-cp310-cp310-manylinux2014_aarch64.manylinux_2_17_aarch64.whl
            _, _, python_tag, abi, platforms = name[:-len(".whl")].split("-")
            minor = f"{python_tag[2]}.{python_tag[3:]}"
            scratch = self.upstream / f".download-{name}"
            shutil.rmtree(scratch, ignore_errors=True)
            try:
                self.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                          "--python-version", minor, "--implementation", python_tag[:2], "--abi", abi, "--platform",
                          platforms.split(".")[0], "-d", scratch, f"{DISTRIBUTION}=={VERSION}"], "fetch-upstream")
                got = scratch / name
                if not got.exists():
                    return f"{name}: pip fetched {sorted(p.name for p in scratch.iterdir())}"
                if sha256_file(got) != self.pins[name]:
                    return f"{name}: sha256 {sha256_file(got)} differs from the pin {self.pins[name]}"
                os.replace(got, self.upstream / name)
                return None
            except StepError as e:
                return f"{name}: {e}"
            finally:
                shutil.rmtree(scratch, ignore_errors=True)

        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            problems = [p for p in pool.map(fetch, missing) if p]
        return self.tally.add(f"upstream: {len(self.pins)} pinned files of {DISTRIBUTION} {VERSION} present and "
                              f"matching their pins", not problems, "; ".join(problems[:3]))

    # -- 2. build and contents ----------------------------------------------------------------------------------------

    def build(self):
        out = self.run_dir / "dist"
        try:
            log_path = self.run([self.purewheel, "build", self.recipe, "--version", VERSION, "--out", out,
                                 "--cache-dir", self.cache / "purewheel"], "build")
        except StepError as e:
            self.tally.add(f"build: purewheel build --version {VERSION}", False, f"{e}\n{tail(e.log_path)}")
            return False
        text = log_path.read_text()
        self.wheel = out / f"google_crc32c-{VERSION}-py3-none-any.whl"
        source = re.search(r"^\s+from\s+(\S+\.whl)", text, re.M)
        self.canonical = self.upstream / source.group(1) if source else None
        self.tally.add(f"build: purewheel build --version {VERSION} wrote {self.wheel.name}", self.wheel.exists(),
                       f"from {source.group(1) if source else '?'}")
        try:
            self.run([self.purewheel, "check", self.wheel], "check")
            self.tally.add("build: purewheel check", True)
        except StepError as e:
            self.tally.add("build: purewheel check", False, tail(e.log_path))
        return self.wheel.exists()

    def contents(self):
        if self.canonical is None or not self.canonical.exists():
            return self.tally.add("contents: compared with upstream", False, "the build named no pinned upstream file")
        with zipfile.ZipFile(self.canonical) as up, zipfile.ZipFile(self.wheel) as pure:
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
        if added:
            problems.append(f"added {added}")
        if changed != sorted([info + "RECORD", info + "WHEEL"]):
            problems.append(f"changed {changed}, expected only RECORD and WHEEL")
        self.tally.add("contents: upstream's files minus the extension and google_crc32c.libs/, byte for byte, except "
                       "WHEEL and RECORD", not problems, "; ".join(problems) or
                       f"dropped {', '.join(dropped)}")
        wheel_lines = pure_files[info + "WHEEL"].decode().splitlines()
        ok = "Root-Is-Purelib: true" in wheel_lines and [x for x in wheel_lines if x.startswith("Tag:")] == [
            "Tag: py3-none-any"]
        self.tally.add("contents: WHEEL is pure (Root-Is-Purelib: true, Tag: py3-none-any)", ok, "\n".join(wheel_lines))
        same = pure_files[info + "METADATA"] == up_files[info + "METADATA"]
        self.tally.add("contents: METADATA is upstream's, byte for byte (name, version, Summary, Requires-Python)",
                       same)
        cext = pure_files["google_crc32c/cext.py"].decode()
        ok = "google_crc32c._crc32c import" in cext or "from google_crc32c import _crc32c" in cext
        self.tally.add("contents: cext.py is upstream's, still importing the extension (guarded one level up)", ok)
        meta = email.parser.Parser().parsestr(pure_files[info + "METADATA"].decode())
        self.requires_python = meta.get("Requires-Python")

    # -- 3. every pinned input builds the same wheel ------------------------------------------------------------------

    def every_input(self):
        reference = sha256_file(self.wheel)

        def one(name):
            out = self.run_dir / "every-input" / name[:-len(".whl")]
            try:
                self.run([self.purewheel, "build", self.recipe, "--wheel", self.upstream / name, "--out", out],
                         "every-input")
            except StepError as e:
                return name, None, f"build failed: {e}"
            built = out / self.wheel.name
            code, text, _ = self.capture([self.purewheel, "compare", self.wheel, built])
            return name, sha256_file(built), None if code == 0 else f"files differ: {text.strip()[:300]}"

        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            results = list(pool.map(one, sorted(self.pins)))
        bad = [f"{n}: {why}" for n, _, why in results if why]
        groups = {}
        for name, digest, _ in results:
            groups.setdefault(digest, []).append(name)
        others = {d: names for d, names in groups.items() if d != reference}
        # Entries purewheel does not change keep upstream's compressed stream, so an upstream file zipped by another
        # deflate (CPython 3.14's Windows zlib-ng) gives the same files in other bytes.
        def tags(names):
            return ", ".join(n.split("-")[2] + " " + n.split("-")[4][:-len(".whl")] for n in names)

        detail = f"{len(groups.get(reference, []))} give {reference[:12]}…" + "".join(
            f"; {len(names)} give {d[:12]}… ({tags(names)})" for d, names in others.items() if d)
        self.tally.add(f"inputs: all {len(results)} pinned files build with --wheel to the same files "
                       f"(purewheel compare)", not bad, "; ".join(bad[:4]) if bad else detail)

    # -- 4. pip's choice on a private index ---------------------------------------------------------------------------

    def selection(self):
        house = self.run_dir / "index"
        house.mkdir(parents=True, exist_ok=True)
        for name in self.pins:
            try:
                os.link(self.upstream / name, house / name)
            except OSError:
                shutil.copy2(self.upstream / name, house / name)
        shutil.copy2(self.wheel, house / self.wheel.name)

        def one(entry):
            label, (minor, impl, abi, platform), expected = entry
            dest = self.run_dir / "selection" / re.sub(r"[^A-Za-z0-9.]+", "-", label)
            cmd = [sys.executable, "-m", "pip", "download", "--no-index", "--find-links", house, "--no-deps",
                   "--only-binary=:all:", "--python-version", minor, "--implementation", impl, "--abi", abi,
                   "--platform", platform, "-d", dest, f"{DISTRIBUTION}=={VERSION}"]
            code, out, err = self.capture(cmd, env=self.offline_env)
            got = sorted(p.name for p in dest.glob("*.whl")) if dest.exists() else []
            if code != 0 or not got:
                kind = None
                why = (err.strip().splitlines() or ["?"])[-1]
            else:
                kind = "pure" if got == [self.wheel.name] else "upstream" if len(got) == 1 else f"{got}"
                why = got[0]
            return label, expected, kind, why

        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            for label, expected, kind, why in pool.map(one, SELECTION):
                want = {"pure": "the pure wheel", "upstream": "upstream's platform wheel",
                        None: "nothing (Requires-Python)"}[expected]
                ok = kind == expected and (expected != "upstream" or "-py3-none-any" not in why)
                self.tally.add(f"index: pip on {label} takes {want}", ok, why)

    # -- 5. the native reference --------------------------------------------------------------------------------------

    def prepare_data(self):
        self.data.write_bytes(os.urandom(1 << 20))
        self.data_sha256 = sha256_file(self.data)

    def native_reference(self):
        python = self.python(NATIVE_PYTHON)
        tag = f"cp{NATIVE_PYTHON.replace('.', '')}"
        names = [n for n in self.pins if f"-{tag}-{tag}-" in n and n.endswith("_x86_64.whl") and "linux" in n]
        if python is None or len(names) != 1:
            return self.tally.add(f"native: upstream {tag} x86-64 wheel in a venv", False,
                                  f"interpreter {python}, pinned files {names}")
        name = names[0]
        venv = self.home / "venvs" / f"native-{tag}-{self.pins[name][:12]}"
        vpy = venv / "bin" / "python"
        try:
            if not (venv / ".done").exists():
                shutil.rmtree(venv, ignore_errors=True)
                self.run([python, "-m", "venv", "--without-pip", venv], "native")
                self.run([vpy, self.bundled_pip(python) / "pip", "install", "--quiet", "--no-index", "--no-deps",
                          self.upstream / name], "native", env=self.offline_env)
                (venv / ".done").write_text(name + "\n")
            self.native = self.probe([vpy], "native-x86_64")
        except (StepError, ValueError) as e:
            return self.tally.add(f"native: upstream {name} in a venv", False, f"{e}\n{tail(e.log_path)}")
        n = self.native
        ok = (n["implementation"] == "c" and n["machine"] == "x86_64" and n["native_files"]
              and all(n["known_answers"].values()) and n["data"]["sha256"] == self.data_sha256)
        return self.tally.add(f"native: upstream {name} runs its C extension (implementation 'c') and gives the "
                              f"known answers", bool(ok),
                              f"implementation {n['implementation']}, value(b'123456789') = "
                              f"{hex(n['values'][KNOWN_KEY])}")

    # -- 6. the pure wheel on each interpreter ------------------------------------------------------------------------

    def judge(self, target, result, machine):
        """The checks every pure install must pass, against the native reference."""
        problems = []
        if result["implementation"] != "python":
            problems.append(f"implementation {result['implementation']!r}")
        if not any(w.startswith(FALLBACK_WARNING) for w in result["runtime_warnings"]):
            problems.append(f"no fallback RuntimeWarning ({result['runtime_warnings']})")
        if result["cext"] != CEXT_ERROR:
            problems.append(f"cext: {result['cext']}")
        fallback = self.tally.add(f"{target}: the pure fallback runs (implementation 'python', upstream's "
                                  f"RuntimeWarning, cext raises ModuleNotFoundError)", not problems,
                                  "; ".join(problems))
        problems = []
        if result["native_files"]:
            problems.append(f"native files installed: {result['native_files']}")
        if result["distribution"] != [DISTRIBUTION, VERSION] or result["wheel_tags"] != ["py3-none-any"]:
            problems.append(f"installed {result['distribution']} tags {result['wheel_tags']}")
        if result["machine"] != machine:
            problems.append(f"platform.machine() {result['machine']!r}, expected {machine!r}")
        installed = self.tally.add(f"{target}: installed {DISTRIBUTION} {VERSION} py3-none-any, no native file, on "
                                   f"{machine}", not problems, "; ".join(problems))
        if self.native is None:
            return self.tally.add(f"{target}: checksums equal the native package's", False, "no native reference")
        differ = [k for k in self.native["values"] if result["values"].get(k) != self.native["values"][k]]
        same_data = result["data"]["sha256"] == self.data_sha256 == self.native["data"]["sha256"]
        ok = not differ and same_data and all(result["known_answers"].values())
        self.tally.add(f"{target}: checksums equal the native package's on the same bytes "
                       f"({len(self.native['values'])} values: b'', b'123456789', prefixes 0-64, 1 MiB file; value, "
                       f"extend, Checksum update/copy/digest/hexdigest/consume)", ok,
                       f"differ: {differ[:5]}" if differ else "" if same_data else "the data file differs")
        return ok and fallback and installed

    def pure_venv(self, minor):
        target = f"pip-cp{minor.replace('.', '')}"
        python = self.python(minor)
        if python is None:
            self.results.append((f"CPython {minor}", "❌ not installed"))
            return self.tally.add(f"{target}: CPython {minor} interpreter", False, "not found (pyenv or PATH)")
        full = self.capture([python, "-c", "import platform; print(platform.python_version())"])[1].strip()
        venv = self.run_dir / "venvs" / target
        vpy = venv / "bin" / "python"
        allowed = python_allowed(self.requires_python, full)
        try:
            pip = self.bundled_pip(python)
            self.run([python, "-m", "venv", "--without-pip", venv], target)
            cmd = [vpy, pip / "pip", "install", "--no-index", "--find-links", self.wheel.parent,
                   f"{DISTRIBUTION}=={VERSION}"]
            if not allowed:
                self.tally.skip(f"{target}: CPython {full}",
                                f"{DISTRIBUTION} {VERSION} has Requires-Python {self.requires_python}, which excludes "
                                f"it (upstream's own bound, kept by the recipe)")
                code, out, err = self.capture(cmd, env=self.offline_env)
                refused = code != 0 and "requires a different Python" in out + err
                self.results.append((f"CPython {full}", f"— Requires-Python {self.requires_python}"))
                return self.tally.add(f"{target}: pip {pip.name.split('-')[1]} on CPython {full} refuses the wheel "
                                      f"(Requires-Python {self.requires_python})", refused,
                                      "" if refused else (out + err)[-400:])
            self.run(cmd, target, env=self.offline_env)
            self.tally.add(f"{target}: pip {pip.name.split('-')[1]} installs {self.wheel.name} by name into a fresh "
                           f"CPython {full} venv", True)
            result = self.probe([vpy], target)
        except (StepError, ValueError) as e:
            self.results.append((f"CPython {full}", "❌ install or probe failed"))
            return self.tally.add(f"{target}: install and probe on CPython {full}", False,
                                  f"{e}\n{tail(getattr(e, 'log_path', None))}")
        ok = self.judge(target, result, "x86_64")
        self.results.append((f"CPython {full} (x86-64 venv, pip {pip.name.split('-')[1]})", "✅" if ok else "❌"))

    def emulated_pip(self, prefix, pip_wheel):
        """pip unpacked once and byte-compiled by the emulated interpreter (kept in the cache): run from its wheel,
        every emulated start would compile all of pip again (~100 s instead of ~15 s)."""
        home = self.home / "arm-pip" / pip_wheel.stem
        if not (home / ".done").exists():
            shutil.rmtree(home, ignore_errors=True)
            with zipfile.ZipFile(pip_wheel) as z:
                z.extractall(home)
            compile_env = dict(self.env)
            compile_env.pop("PYTHONDONTWRITEBYTECODE", None)
            self.run([*prefix, "-m", "compileall", "-q", home], "arm-pip", env=compile_env, timeout=1200)
            (home / ".done").write_text(pip_wheel.name + "\n")
        return home

    def arm(self):
        target = f"arm64-cp{ARM_PYTHON.replace('.', '')}"
        rootfs = self.cache / "arm" / "rootfs"
        rootfs.parent.mkdir(parents=True, exist_ok=True)
        try:
            # One builder at a time (another e2e may be preparing the same root file system).
            with open(rootfs.parent / ".rootfs.lock", "w") as lock_file:
                fcntl.flock(lock_file, fcntl.LOCK_EX)
                with open(self.logs / "arm-rootfs.log", "wb") as f:
                    proc = subprocess.run(["bash", ARM_ROOTFS, rootfs], stdout=subprocess.PIPE, stderr=f,
                                          env=self.env, timeout=1200)
            if proc.returncode != 0:
                raise StepError(f"arm-rootfs.sh failed (log: {self.logs / 'arm-rootfs.log'})",
                                self.logs / "arm-rootfs.log")
            prefix = proc.stdout.decode().strip().splitlines()[-1].split()
            # pip (the host CPython 3.11's bundled wheel, pure Python) runs on the emulated interpreter itself, so it
            # judges the wheel by aarch64 CPython 3.11's tags and Requires-Python; the emulated Debian has no venv.
            pip = self.bundled_pip(self.python(ARM_PYTHON) or sys.executable)
            pip_home = self.emulated_pip(prefix, pip)
            site = self.run_dir / "venvs" / target
            t0 = time.monotonic()
            self.run([*prefix, "-m", "pip", "install", "--no-index", "--find-links", self.wheel.parent, "--target",
                      site, f"{DISTRIBUTION}=={VERSION}"], target, env=dict(self.offline_env, PYTHONPATH=str(pip_home)),
                     timeout=1200)
            full = self.capture([*prefix, "-c", "import platform; print(platform.python_version())"])[1].strip()
            self.tally.add(f"{target}: pip {pip.name.split('-')[1]} (emulated) installs {self.wheel.name} into the "
                           f"emulated aarch64 CPython {full}", True, f"{time.monotonic() - t0:.0f} s")
            result = self.probe(prefix, target, env=dict(self.env, PYTHONPATH=str(site)), timeout=1200)
        except (StepError, ValueError, OSError) as e:
            self.results.append(("emulated aarch64 CPython", "❌ install or probe failed"))
            return self.tally.add(f"{target}: emulated aarch64 install and probe", False,
                                  f"{e}\n{tail(getattr(e, 'log_path', None))}")
        ok = self.judge(target, result, "aarch64")
        self.results.append((f"CPython {result['python']} (emulated aarch64, Debian bookworm, pip --target)",
                             "✅" if ok else "❌"))

    # -- main ---------------------------------------------------------------------------------------------------------

    def main(self):
        t0 = time.monotonic()
        shutil.rmtree(self.run_dir, ignore_errors=True)
        self.logs.mkdir(parents=True)
        log(f"google-crc32c-pure e2e: {self.recipe.name}, {DISTRIBUTION} {VERSION}, cache {self.home}")
        with concurrent.futures.ThreadPoolExecutor(1) as arm_pool:
            if self.fetch_upstream() and self.build():
                self.contents()
                self.prepare_data()
                # The emulated run is the slowest part (one core): it starts first and overlaps with the rest.
                arm_future = None if self.args.no_arm else arm_pool.submit(self.arm)
                self.native_reference()
                self.every_input()
                self.selection()
                with concurrent.futures.ThreadPoolExecutor(max(1, self.args.jobs)) as pool:
                    list(pool.map(self.pure_venv, self.args.pythons))
                if arm_future is not None:
                    arm_future.result()
        print()
        print(f"{DISTRIBUTION} {VERSION} pure wheel: {self.wheel.name if self.wheel else 'not built'}"
              f"{' sha256 ' + sha256_file(self.wheel) if self.wheel and self.wheel.exists() else ''}")
        for target, outcome in sorted(self.results):
            print(f"  {outcome}  {target}")
        for name, reason in self.tally.skipped:
            print(f"skipped: {name}: {reason}")
        for name, detail in self.tally.failed:
            print(f"failed: {name}{': ' + detail.splitlines()[0] if detail else ''}")
        print(f"wall time {time.monotonic() - t0:.0f} s; logs in {self.logs}")
        print(f"{len(self.tally.passed)} passed, {len(self.tally.failed)} failed")
        return 1 if self.tally.failed else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--purewheel", required=True)
    parser.add_argument("--recipe", required=True)
    parser.add_argument("--cache", required=True)
    parser.add_argument("--pythons", type=lambda s: s.split(","), default=PYTHONS)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-arm", action="store_true")
    sys.exit(Harness(parser.parse_args()).main())


if __name__ == "__main__":
    main()
