#!/usr/bin/env python3
"""The ml-metadata-remote end-to-end matrix (stdlib only; run by scripts/e2e-mlmd.sh).

1. Tools: pytest (one pure-Python --target dir for every client), uv and installer, all pinned by sha256.
2. Upstream platform wheels (pinned in requirements/upstream.txt), fetched with `pip download`, one venv each.
3. Four MLMD servers (mlmd_server.py): upstream 1.14.0 and 1.17.1, each with the in-memory and the SQLite backend.
4. The upstream baseline: the workload with each upstream wheel as the client, giving a normalized transcript.
5. The matrix: every pure wheel x {pip, uv, python -m installer} x CPython 3.9-3.13 that its Requires-Python and
   its dependencies allow; each installs into a fresh venv, runs the workload, and its transcript must equal the
   baseline's.
6. ARM: the pure wheel installed by, and the workload run on, an emulated aarch64 CPython (qemu-user).
7. Self-test: sabotaged copies of a pure wheel must make the workload fail.

Every check counts as passed, failed or skipped; the last line is `N passed, N failed, N skipped`.
"""

import argparse
import base64
import concurrent.futures
import csv
import email.parser
import hashlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORKLOAD = HERE / "workload"
VERSIONS = ["1.14.0", "1.15.0", "1.16.0", "1.17.0", "1.17.1", "1.21.0"]
PYTHONS = ["3.9", "3.10", "3.11", "3.12", "3.13"]
INSTALLERS = ["pip", "uv", "installer"]
SERVER_VERSIONS = ["1.14.0", "1.17.1"]
BACKENDS = ["memory", "sqlite"]
# 1.14.0 and 1.17.1 clients talk to both servers; the others to the newest server.
CLIENT_SERVERS = {"1.14.0": SERVER_VERSIONS, "1.17.1": SERVER_VERSIONS}  # "arm" uses the default
DEFAULT_CLIENT_SERVERS = ["1.17.1"]
ARM_VERSIONS = ["1.17.1", "1.21.0"]  # Debian bookworm's python3.11 on aarch64
ARM_PYTHON = "3.11"
SELF_TEST_VERSION = "1.17.1"


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


class Tally:
    """Thread-safe pass/fail/skip counter; every check has a name."""

    def __init__(self):
        self.lock = threading.Lock()
        self.passed, self.failed, self.skipped = [], [], []

    def add(self, name, ok, detail=""):
        with self.lock:
            (self.passed if ok else self.failed).append((name, detail))
        if not ok:
            log(f"FAIL {name}{': ' + detail if detail else ''}")

    def skip(self, name, reason):
        with self.lock:
            self.skipped.append((name, reason))

    def add_counts(self, prefix, passed, failed, skipped, failures):
        with self.lock:
            self.passed.extend((f"{prefix}#{i}", "") for i in range(passed))
            self.failed.extend((f"{prefix}::{name}", "") for name in failures)
            self.failed.extend((f"{prefix}#f{i}", "") for i in range(failed - len(failures)))
            self.skipped.extend((f"{prefix}#s{i}", "") for i in range(skipped))
        for name in failures:
            log(f"FAIL {prefix}::{name}")

    def line(self):
        return f"{len(self.passed)} passed, {len(self.failed)} failed, {len(self.skipped)} skipped"


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


def tail(path, lines=30):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


class Harness:
    def __init__(self, args):
        self.args = args
        self.cache = Path(args.cache).resolve()
        self.dist = Path(args.dist).resolve()
        # A private run folder (--run-dir) lets another harness run a subset beside a full run of this one.
        self.run_dir = Path(args.run_dir).resolve() if args.run_dir else self.cache / "run"
        self.logs = self.run_dir / "logs"
        self.tally = Tally()
        self.env = dict(os.environ)
        self.env.update(
            PIP_CACHE_DIR=str(self.cache / "pip-cache"),
            UV_CACHE_DIR=str(self.cache / "uv-cache"),
            PIP_DISABLE_PIP_VERSION_CHECK="1",
            PIP_NO_INPUT="1",
            PYTHONDONTWRITEBYTECODE="1",
        )
        self.env.pop("PYTHONPATH", None)
        self.env.pop("VIRTUAL_ENV", None)
        self.wheelhouse_locks = {}
        self.locks_lock = threading.Lock()
        self.servers = {}  # label -> dict(proc, port, version, backend)
        self.results = {}  # (version, python, installer) -> dict
        self.baselines = {}  # version -> transcript path
        self.arm_results = {}
        self.interpreters = {}

    # -- plumbing ------------------------------------------------------------------------------------------------

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
            raise StepError(f"exit {proc.returncode}: {' '.join(str(c) for c in cmd[:4])} ... (log: {log_path})", log_path)
        return log_path

    def python(self, minor):
        if minor in self.interpreters:
            return self.interpreters[minor]
        found = None
        try:
            root = subprocess.run(["pyenv", "root"], capture_output=True, text=True, check=True).stdout.strip()
            candidates = sorted(Path(root, "versions").glob(f"{minor}.*"),
                                key=lambda p: [int(x) if x.isdigit() else -1 for x in p.name.split(".")])
            candidates = [c for c in candidates if re.fullmatch(rf"{re.escape(minor)}\.\d+", c.name)]
            if candidates:
                found = candidates[-1] / "bin" / "python"
        except (OSError, subprocess.CalledProcessError):
            pass
        if found is None and shutil.which(f"python{minor}"):
            found = Path(shutil.which(f"python{minor}"))
        self.interpreters[minor] = found
        return found

    def full_version(self, python):
        return subprocess.run([str(python), "-c", "import platform; print(platform.python_version())"],
                              capture_output=True, text=True, check=True).stdout.strip()

    # -- 1. tools --------------------------------------------------------------------------------------------------

    def prepare_tools(self):
        tools = self.cache / "tools"
        tools.mkdir(parents=True, exist_ok=True)
        self.pytest_site = tools / "pytest-site"
        req = HERE / "requirements" / "pytest.txt"
        stamp = self.pytest_site / ".e2e-stamp"
        if not stamp.exists() or stamp.read_text() != sha256_file(req):
            shutil.rmtree(self.pytest_site, ignore_errors=True)
            py39 = self.python("3.9") or Path(sys.executable)
            self.run([py39, "-m", "pip", "install", "--quiet", "--only-binary=:all:", "--require-hashes", "--target",
                      self.pytest_site, "-r", req], "tools-pytest")
            # Byte-compile once per interpreter: the runs themselves write no bytecode (PYTHONDONTWRITEBYTECODE),
            # and an emulated interpreter would otherwise compile pytest on every start.
            for minor in PYTHONS:
                if self.python(minor):
                    self.run([self.python(minor), "-m", "compileall", "-q", "-j", "0", self.pytest_site], "tools-pytest")
            stamp.write_text(sha256_file(req))
        req = HERE / "requirements" / "tools.txt"
        legacy = HERE / "requirements" / "installer-py39.txt"
        dl = tools / "dl"
        self.tools_venv = tools / "venv"
        stamp = self.tools_venv / ".e2e-stamp"
        pins = sha256_file(req) + sha256_file(legacy)
        if not stamp.exists() or stamp.read_text() != pins:
            shutil.rmtree(self.tools_venv, ignore_errors=True)
            shutil.rmtree(dl, ignore_errors=True)
            for r in (req, legacy):
                self.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                          "--require-hashes", "-d", dl / r.stem, "-r", r], "tools-download")
            self.run([sys.executable, "-m", "venv", self.tools_venv], "tools-venv")
            self.run([self.tools_venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-index",
                      "--find-links", dl / req.stem, "--require-hashes", "-r", req], "tools-venv")
            stamp.write_text(pins)
        self.uv = self.tools_venv / "bin" / "uv"
        [self.installer_wheel] = sorted((dl / req.stem).glob("installer-*.whl"))
        [self.installer_wheel_py39] = sorted((dl / legacy.stem).glob("installer-*.whl"))
        sys.path.append(str(self.pytest_site))  # for packaging.specifiers
        log(f"tools ready: {self.run_capture([self.uv, '--version']).strip()}, {self.installer_wheel.name}, pytest")

    def run_capture(self, cmd, env=None):
        return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, check=True, env=env or self.env).stdout

    # -- 2. upstream wheels and venvs ------------------------------------------------------------------------------

    def upstream_pins(self):
        pins = {}
        for line in (HERE / "requirements" / "upstream.txt").read_text().splitlines():
            if line.strip() and not line.startswith("#"):
                version, python, filename, sha = line.split()
                pins[version] = (python, filename, sha)
        return pins

    def fetch_upstream(self, version, python_minor, filename, sha):
        dest = self.cache / "upstream"
        path = dest / filename
        if path.exists() and sha256_file(path) == sha:
            return path
        dest.mkdir(parents=True, exist_ok=True)
        abi = "cp" + python_minor.replace(".", "")
        self.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                  "--platform", "manylinux2014_x86_64", "--python-version", python_minor, "--implementation", "cp",
                  "--abi", abi, "-d", dest, f"ml-metadata=={version}"], f"upstream-download-{version}")
        if not path.exists():
            raise StepError(f"pip download did not produce the pinned file {filename} (got: "
                            f"{', '.join(p.name for p in dest.glob(f'ml_metadata-{version}-*'))})")
        actual = sha256_file(path)
        if actual != sha:
            path.unlink()
            raise StepError(f"{filename}: sha256 mismatch (expected {sha}, got {actual})")
        return path

    def prepare_upstream_venv(self, version):
        python_minor, filename, sha = self.upstream_pins()[version]
        wheel = self.fetch_upstream(version, python_minor, filename, sha)
        venv = self.cache / "venvs" / f"upstream-{version}"
        stamp = venv / ".e2e-stamp"
        if stamp.exists() and stamp.read_text() == sha:
            return venv
        shutil.rmtree(venv, ignore_errors=True)
        python = self.python(python_minor)
        if python is None:
            raise StepError(f"CPython {python_minor} is not installed (needed for upstream {version})")
        name = f"upstream-venv-{version}"
        self.run([python, "-m", "venv", venv], name)
        self.run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--only-binary=:all:", wheel], name)
        stamp.write_text(sha)
        return venv

    # -- 3. servers -------------------------------------------------------------------------------------------------

    def start_server(self, version, backend):
        label = f"{version}-{backend}"
        venv = self.cache / "venvs" / f"upstream-{version}"
        ready = self.run_dir / f"server-{label}.ready"
        cmd = [str(venv / "bin" / "python"), str(HERE / "mlmd_server.py"), "--backend", backend, "--ready-file", str(ready)]
        if backend == "sqlite":
            cmd += ["--sqlite-path", str(self.run_dir / f"server-{label}.sqlite")]
        err = open(self.logs / f"server-{label}.log", "wb")
        started = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, env=self.env, text=True)
        line = proc.stdout.readline().strip()  # the readiness line, or "" if it died
        match = re.match(r"MLMD_SERVER_READY port=(\d+) pid=(\d+) mlmd=(\S+) backend=(\S+)", line)
        ok = bool(match) and int(match.group(2)) == proc.pid and match.group(3) == version
        self.tally.add(f"server {label}: readiness line", ok, line or tail(self.logs / f"server-{label}.log"))
        if not ok:
            proc.kill()
            return
        self.servers[label] = dict(proc=proc, port=int(match.group(1)), version=version, backend=backend,
                                   startup=time.monotonic() - started)
        try:
            self.run([venv / "bin" / "python", HERE / "server_check.py", match.group(1)], f"server-check-{label}")
            self.tally.add(f"server {label}: raw gRPC (UNIMPLEMENTED x3, OK, NOT_FOUND)", True)
        except StepError as e:
            self.tally.add(f"server {label}: raw gRPC (UNIMPLEMENTED x3, OK, NOT_FOUND)", False, f"{e}\n{tail(e.log_path)}")

    def stop_servers(self):
        for label, server in self.servers.items():
            proc = server["proc"]
            proc.send_signal(signal.SIGTERM)
            try:
                rc = proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                rc = "killed after 20 s"
            self.tally.add(f"server {label}: clean exit on SIGTERM", rc == 0, f"exit status {rc}")

    def server_spec(self, version):
        labels = [f"{v}-{b}" for v in CLIENT_SERVERS.get(version, DEFAULT_CLIENT_SERVERS) for b in BACKENDS]
        return ",".join(f"{label}=127.0.0.1:{self.servers[label]['port']}" for label in labels if label in self.servers)

    # -- 4./5. workload ---------------------------------------------------------------------------------------------

    def workload(self, python, name, kind, version, extra_env=None, prefix=(), pythonpath=None, servers=None):
        """Runs the workload; returns (transcript path, passed, failed, skipped, failing test names)."""
        transcript = self.run_dir / "transcripts" / f"{name}.json"
        junit = self.run_dir / "junit" / f"{name}.xml"
        env = dict(self.env)
        env.update(
            MLMD_E2E_SERVERS=servers or self.server_spec(version),
            MLMD_E2E_NAMESPACE=re.sub(r"[^A-Za-z0-9]", "_", name),
            MLMD_E2E_CLIENT=kind,
            MLMD_E2E_VERSION=version,
            MLMD_E2E_SIMPLE_TYPES=str(self.simple_types),
            MLMD_E2E_TRANSCRIPT=str(transcript),
        )
        if pythonpath:
            env["PYTHONPATH"] = pythonpath
        env.update(extra_env or {})
        cmd = [*prefix, python, HERE / "run_pytest.py", self.pytest_site, "-p", "no:cacheprovider", "-q", "-rfEs",
               f"--junitxml={junit}", "--rootdir", WORKLOAD, WORKLOAD]
        try:
            self.run(cmd, f"workload-{name}", env=env, cwd=self.run_dir)
        except StepError:
            pass  # counted from the junit report below
        return (transcript,) + self.junit_counts(junit, f"workload-{name}") + (env["MLMD_E2E_SERVERS"],)

    def junit_counts(self, junit, log_name):
        try:
            root = ET.parse(junit).getroot()
        except (OSError, ET.ParseError):
            return 0, 1, 0, [f"no junit report (log: {self.logs / (log_name + '.log')})"]
        passed = failed = skipped = 0
        failures = []
        for case in root.iter("testcase"):
            if case.find("failure") is not None or case.find("error") is not None:
                failed += 1
                failures.append(case.get("name"))
            elif case.find("skipped") is not None:
                skipped += 1
            else:
                passed += 1
        for suite in root.iter("testsuite"):  # collection errors have no testcase
            errors = int(suite.get("errors", 0)) - sum(1 for c in suite.iter("testcase") if c.find("error") is not None)
            for i in range(max(errors, 0)):
                failed += 1
                failures.append(f"collection error (log: {self.logs / (log_name + '.log')})")
        if passed + failed + skipped == 0:
            failed, failures = 1, [f"no test ran (log: {self.logs / (log_name + '.log')})"]
        return passed, failed, skipped, failures

    def baseline_version(self, version):
        """The upstream version whose transcript a pure wheel must reproduce: its own where its upstream wheel is
        pinned (and loads here), else the newest pinned one below it. So 1.21.0 (upstream needs glibc 2.39) and a
        version newer than this harness knows (a test-made next release) are compared with 1.17.1's baseline."""
        pins = self.upstream_pins()
        if version in pins:
            return version
        key = lambda v: [int(x) for x in re.findall(r"\d+", v)]
        return max((v for v in pins if key(v) <= key(version)), key=key, default=None)

    def differential(self, name, transcript, version, servers):
        baseline_version = self.baseline_version(version)
        if baseline_version not in self.baselines:  # its baseline failed (counted there): the newest one below
            key = lambda v: [int(x) for x in re.findall(r"\d+", v)]
            baseline_version = max((v for v in self.baselines if key(v) <= key(version)), key=key, default=None)
        if baseline_version is None:
            self.tally.add(f"{name}: differential", False, "no upstream baseline transcript")
            return None
        try:
            got = json.loads(Path(transcript).read_text())
            want = json.loads(Path(self.baselines[baseline_version]).read_text())
        except (OSError, ValueError) as e:
            self.tally.add(f"{name}: differential vs upstream {baseline_version}", False, str(e))
            return False
        diffs = []
        labels = [item.split("=")[0] for item in servers.split(",")]
        for label in labels:
            if label not in want:
                diffs.append(f"{label}: no baseline for this server")
                continue
            g, w = got.get(label, {}), want.get(label, {})
            diffs += [f"{label}:{k}" for k in sorted(set(g) | set(w)) if g.get(k) != w.get(k)]
        self.tally.add(f"{name}: differential vs upstream {baseline_version} ({len(got)} servers)",
                       not diffs and bool(got), ", ".join(diffs[:8]) or "empty transcript")
        return not diffs and bool(got)

    def baseline(self, version):
        venv = self.cache / "venvs" / f"upstream-{version}"
        name = f"upstream-{version}"
        transcript, passed, failed, skipped, failures, servers = self.workload(venv / "bin" / "python", name, "upstream", version)
        self.tally.add_counts(name, passed, failed, skipped, failures)
        if failed == 0:
            self.baselines[version] = transcript

    # -- 5. the matrix ----------------------------------------------------------------------------------------------

    def bundled_pip(self, python):
        out = self.run_capture([python, "-c", "import ensurepip, os; print(os.path.dirname(ensurepip.__file__))"])
        [pip] = sorted(Path(out.strip(), "_bundled").glob("pip-*.whl"))
        return pip

    def wheel_metadata(self, wheel):
        with zipfile.ZipFile(wheel) as z:
            [meta] = [n for n in z.namelist() if n.endswith(".dist-info/METADATA") and n.count("/") == 1]
            return email.parser.Parser().parsestr(z.read(meta).decode())

    def wheelhouse(self, minor, python, version, wheel):
        """pip's own resolution of the wheel's dependencies for this interpreter (binary wheels only).

        Keyed by the interpreter and the wheel's Requires-Python and Requires-Dist, so versions with the same
        requirements share one resolution; kept in the cache (a fresh machine resolves again).
        """
        meta = self.wheel_metadata(wheel)
        requirements = sorted(meta.get_all("Requires-Dist") or []) + [meta.get("Requires-Python") or ""]
        key = hashlib.sha256(json.dumps([minor, requirements]).encode()).hexdigest()[:16]
        with self.locks_lock:
            lock = self.wheelhouse_locks.setdefault(key, threading.Lock())
        with lock:
            house = self.cache / "wheelhouse" / f"cp{minor.replace('.', '')}-{key}"
            done = house / ".done"
            if done.exists():
                return house, ""
            shutil.rmtree(house, ignore_errors=True)
            name = f"wheelhouse-cp{minor}-{version}"
            try:
                self.run([python, "-m", "pip", "download", "--quiet", "--only-binary=:all:", "-d", house, wheel], name)
            except StepError as e:
                text = Path(e.log_path).read_text(errors="replace")
                m = re.search(r"Could not find a version that satisfies the requirement (\S+)", text)
                reason = f"no binary wheel of {m.group(1)} for CPython {minor}" if m else f"pip cannot resolve ({e})"
                return None, reason
            # Only the dependencies stay: the wheel under test is always passed by path.
            for copy in house.glob("ml_metadata_remote-*.whl"):
                copy.unlink()
            done.write_text(json.dumps(requirements))
            return house, ""

    def combo(self, version, minor, installer, wheel, meta):
        name = f"{installer}-cp{minor.replace('.', '')}-{version}"
        result = self.results.setdefault((version, minor, installer), {})
        python = self.python(minor)
        if python is None:
            result.update(status="fail", why=f"CPython {minor} is not installed")
            self.tally.add(f"{name}: interpreter", False, result["why"])
            return
        house, reason = self.wheelhouse(minor, python, version, wheel)
        if house is None:
            if reason.startswith("no binary wheel"):  # a real limit of the dependencies, not a harness failure
                result.update(status="out", why=reason)
                self.tally.skip(name, reason)
            else:
                result.update(status="fail", why=reason)
                self.tally.add(f"{name}: resolve dependencies", False, reason)
            return
        venv = self.run_dir / "venvs" / name
        vpy = venv / "bin" / "python"
        t0 = time.monotonic()
        try:
            if installer == "pip":
                # The pip that `python -m venv` would seed (ensurepip's bundled wheel), run from its wheel: the same
                # pip as a seeded venv, without ~8 s of seeding per venv.
                pip = self.bundled_pip(python)
                self.run([python, "-m", "venv", "--without-pip", venv], f"install-{name}")
                self.run([vpy, pip / "pip", "install", "--quiet", "--no-index", "--find-links", house, wheel],
                         f"install-{name}")
                self.run([vpy, pip / "pip", "check"], f"install-{name}")
                result["tool"] = pip.name.split("-")[1]
            elif installer == "uv":
                self.run([self.uv, "venv", "--quiet", "--python", python, venv], f"install-{name}")
                self.run([self.uv, "pip", "install", "--quiet", "--python", vpy, "--offline", "--no-index",
                          "--find-links", house, wheel], f"install-{name}")
            else:
                self.run([python, "-m", "venv", "--without-pip", venv], f"install-{name}")
                deps = sorted(p for p in house.glob("*.whl") if p.name != wheel.name)
                installer_wheel = self.installer_wheel_py39 if minor == "3.9" else self.installer_wheel
                env = dict(self.env, PYTHONPATH=str(installer_wheel))
                if minor == "3.9":  # installer 0.7.0 takes one wheel per call
                    for dep in deps:
                        self.run([vpy, "-m", "installer", dep], f"install-{name}", env=env)
                else:
                    self.run([vpy, "-m", "installer", *deps], f"install-{name}", env=env)
                # The pure wheel itself, with every RECORD hash checked where installer can (>= 1.0).
                validate = [] if minor == "3.9" else ["--validate-record", "all"]
                self.run([vpy, "-m", "installer", *validate, wheel], f"install-{name}", env=env)
                result["tool"] = installer_wheel.name.split("-")[1]
            self.tally.add(f"{name}: install", True)
        except StepError as e:
            result.update(status="fail", why=f"install failed: {e}")
            self.tally.add(f"{name}: install", False, f"{e}\n{tail(e.log_path)}")
            return
        versions = self.run_capture([vpy, "-c", "import importlib.metadata as m; "
                                     "print(m.version('grpcio'), m.version('protobuf'))"]).split()
        transcript, passed, failed, skipped, failures, servers = self.workload(vpy, name, "pure", version)
        self.tally.add_counts(name, passed, failed, skipped, failures)
        same = self.differential(name, transcript, version, servers) if failed == 0 else False
        result.update(status="pass" if failed == 0 and same else "fail", tests=passed, failed=failed,
                      grpcio=versions[0], protobuf=versions[1], seconds=time.monotonic() - t0,
                      why=", ".join(failures[:3]) if failures else ("" if same else "transcript differs"))

    def plan(self, wheels):
        """Yields (version, minor, installer) jobs and records why the other combinations are out."""
        from packaging.specifiers import SpecifierSet

        jobs = []
        for version in self.versions:
            meta = self.wheel_metadata(wheels[version])
            spec = SpecifierSet(meta.get("Requires-Python") or "")
            for minor in PYTHONS:
                python = self.python(minor)
                full = self.full_version(python) if python else f"{minor}.0"
                for installer in INSTALLERS:
                    if installer not in self.installers:
                        continue
                    if full not in spec:
                        why = f"Requires-Python {meta.get('Requires-Python')}"
                        self.results[(version, minor, installer)] = dict(status="out", why=why)
                        self.tally.skip(f"{installer}-cp{minor}-{version}", why)
                    elif minor in self.pythons:
                        jobs.append((version, minor, installer, wheels[version], meta))
        return jobs

    # -- 6. ARM -----------------------------------------------------------------------------------------------------

    def prepare_arm(self):
        rootfs = self.cache / "arm" / "rootfs"
        out = self.logs / "arm-rootfs.log"
        with open(out, "wb") as f:
            proc = subprocess.run(["bash", str(HERE / "arm-rootfs.sh"), str(rootfs)], stdout=subprocess.PIPE, stderr=f,
                                  env=self.env, timeout=1200)
        if proc.returncode != 0:
            raise StepError(f"arm-rootfs.sh failed (log: {out})", out)
        return proc.stdout.decode().strip().splitlines()[-1].split()

    def arm(self, prefix, version, wheel):
        name = f"arm64-cp311-{version}"
        t0 = time.monotonic()
        house = self.run_dir / "wheelhouse-aarch64" / f"cp311-{version}"
        dest = self.run_dir / "venvs" / name
        try:
            # pip resolves the dependencies for aarch64 CPython 3.11; the emulated interpreter installs everything.
            self.run([sys.executable, "-m", "pip", "download", "--quiet", "--only-binary=:all:", "--platform",
                      "manylinux2014_aarch64", "--python-version", ARM_PYTHON, "--implementation", "cp", "--abi",
                      "cp311", "-d", house, wheel], f"install-{name}")
            env = dict(self.env, PYTHONPATH=str(self.installer_wheel))
            deps = sorted(p for p in house.glob("*.whl") if p.name != wheel.name)
            self.run([*prefix, "-m", "installer", "--destdir", dest, *deps], f"install-{name}", env=env, timeout=1200)
            self.run([*prefix, "-m", "installer", "--destdir", dest, "--validate-record", "all", wheel],
                     f"install-{name}", env=env, timeout=1200)
            [site] = {p.parent for p in dest.rglob("ml_metadata") if p.is_dir() and p.parent.name.endswith("-packages")}
            self.tally.add(f"{name}: install (emulated aarch64 python -m installer)", True)
        except (StepError, ValueError) as e:
            self.arm_results[version] = dict(status="fail", why=f"install failed: {e}")
            self.tally.add(f"{name}: install", False, f"{e}\n{tail(getattr(e, 'log_path', None) or '')}")
            return
        transcript, passed, failed, skipped, failures, servers = self.workload(
            prefix[-1], name, "pure", version, extra_env={"MLMD_E2E_MACHINE": "aarch64"}, prefix=prefix[:-1],
            pythonpath=str(site), servers=self.server_spec("arm"))
        self.tally.add_counts(name, passed, failed, skipped, failures)
        same = self.differential(name, transcript, version, servers) if failed == 0 else False
        self.arm_results[version] = dict(status="pass" if failed == 0 and same else "fail", tests=passed,
                                         seconds=time.monotonic() - t0, why=", ".join(failures[:3]))

    # -- 7. self-test with sabotaged wheels ---------------------------------------------------------------------------

    def sabotage(self, wheel, upstream_wheel, kind):
        """Writes a sabotaged copy of the pure wheel (with a consistent RECORD, so installers accept it)."""
        out = self.run_dir / "sabotage" / kind / wheel.name
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(wheel) as z:
            entries = {info.filename: z.read(info) for info in z.infolist() if not info.filename.endswith("/")}
        with zipfile.ZipFile(upstream_wheel) as up:
            upstream = {n: up.read(n) for n in up.namelist()}
        if kind == "system-types-removed":
            removed = [n for n in entries if n.endswith("metadata_store/mlmd_types.py")]
            assert removed, "no mlmd_types.py in the pure wheel"
            for n in removed:
                del entries[n]
        elif kind == "extension-left-in":
            so = "ml_metadata/metadata_store/pywrap/metadata_store_extension.so"
            entries[so] = upstream[so]
        elif kind == "upstream-metadata-store-py":
            path = "ml_metadata/metadata_store/metadata_store.py"
            entries[path] = upstream[path]
        [record] = [n for n in entries if n.endswith(".dist-info/RECORD")]
        rows = []
        for n, data in entries.items():
            if n != record:
                digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
                rows.append((n, f"sha256={digest}", str(len(data))))
        rows.append((record, "", ""))
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(rows)
        entries[record] = buf.getvalue().encode()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for n, data in entries.items():
                z.writestr(n, data)
        return out

    def self_test(self, wheel):
        version = SELF_TEST_VERSION
        python_minor, filename, sha = self.upstream_pins()[version]
        upstream_wheel = self.fetch_upstream(version, python_minor, filename, sha)
        python = self.python(python_minor)
        for kind in ("system-types-removed", "extension-left-in", "upstream-metadata-store-py"):
            name = f"selftest-{kind}-{version}"
            try:
                broken = self.sabotage(wheel, upstream_wheel, kind)
                house, reason = self.wheelhouse(python_minor, python, version, wheel)
                venv = self.run_dir / "venvs" / name
                self.run([python, "-m", "venv", "--without-pip", venv], f"install-{name}")
                self.run([venv / "bin" / "python", self.bundled_pip(python) / "pip", "install", "--quiet",
                          "--no-index", "--find-links", house, broken], f"install-{name}")
            except (StepError, AssertionError) as e:
                self.tally.add(f"self-test {kind}: build and install the sabotaged wheel", False, str(e))
                continue
            _, passed, failed, skipped, failures, _ = self.workload(venv / "bin" / "python", name, "pure", version)
            detected = failed > 0
            shown = sorted(set(re.sub(r"\[.*\]$", "", f) for f in failures))
            log(f"self-test {kind}: workload {'FAILED as it must' if detected else 'PASSED (sabotage not detected!)'}"
                f" ({passed} passed, {failed} failed: {', '.join(shown[:6])})")
            self.tally.add(f"self-test {kind}: the e2e workload fails on the sabotaged wheel", detected,
                           f"{passed} passed, {failed} failed")
            self.selftest_report.append((kind, passed, failed, shown))

    # -- report -----------------------------------------------------------------------------------------------------

    def write_matrix(self, wall):
        mark = {"pass": "✅", "fail": "❌", "out": "—"}
        lines = ["| version | " + " | ".join(f"{p} {i}" for p in PYTHONS for i in INSTALLERS) + " |",
                 "|---|" + "---|" * (len(PYTHONS) * len(INSTALLERS))]
        compact = ["| version | " + " | ".join(f"CPython {p}" for p in PYTHONS) + " | why not |",
                   "|---|" + "---|" * len(PYTHONS) + "---|"]
        for version in self.versions:
            cells, ccells, whys = [], [], []
            for minor in PYTHONS:
                statuses = []
                for inst in INSTALLERS:
                    r = self.results.get((version, minor, inst), {"status": "not run"})
                    cells.append(mark.get(r["status"], "·"))
                    statuses.append(r)
                kinds = {r["status"] for r in statuses}
                if kinds == {"out"}:
                    ccells.append("—")
                    whys.append(f"{minor}: {statuses[0]['why']}")
                else:
                    ccells.append(" ".join(f"{i} {mark.get(r['status'], '·')}" for i, r in zip(INSTALLERS, statuses)))
            lines.append(f"| {version} | " + " | ".join(cells) + " |")
            reasons = sorted(set(whys))
            compact.append(f"| {version} | " + " | ".join(ccells) + " | " + ("; ".join(reasons) or "") + " |")
        deps = sorted({(v, m, r.get("grpcio"), r.get("protobuf")) for (v, m, i), r in self.results.items()
                       if r.get("grpcio")})
        md = ["# ml-metadata-remote e2e matrix", "",
              f"Generated by scripts/e2e/matrix.py on {time.strftime('%Y-%m-%d %H:%M %Z')}, wall time {wall:.0f} s; "
              f"dist: `{self.dist}`.", "",
              "✅ installs, workload passes and its transcript equals upstream's; ❌ fails; — out (reason given).", "",
              *compact, "",
              "Servers: upstream " + ", ".join(f"{l} (start {s['startup']:.2f} s)" for l, s in self.servers.items())
              + ". 1.14.0 and 1.17.1 clients run against all four servers, the others against both 1.17.1 servers.",
              "", "ARM (emulated aarch64 CPython 3.11, Debian bookworm, `python -m installer`, host servers):", ""]
        for version, r in sorted(self.arm_results.items()):
            md.append(f"- {version}: {mark.get(r['status'], '·')} {r.get('tests', 0)} tests in "
                      f"{r.get('seconds', 0):.0f} s {r.get('why', '')}")
        if not self.arm_results:
            md.append("- not run")
        if self.selftest_report:
            md += ["", "Self-test (sabotaged copies of the pure wheel must fail the workload):", ""]
            for kind, passed, failed, shown in self.selftest_report:
                md.append(f"- {kind}: {passed} passed, {failed} failed ({', '.join(shown[:6])})")
        md += ["", "Resolved grpcio / protobuf per version and CPython:", "",
               "| version | CPython | grpcio | protobuf |", "|---|---|---|---|"]
        md += [f"| {v} | {m} | {g} | {p} |" for v, m, g, p in deps]
        md += ["", "Full grid (python × installer):", "", *lines, "", f"Result: {self.tally.line()}", ""]
        text = "\n".join(md)
        (self.run_dir / "matrix.md").write_text(text)
        if not self.args.self_test_only and not self.args.run_dir:
            (self.cache / "matrix.md").write_text(text)
        print("\n".join(compact), flush=True)
        log(f"matrix written to {self.run_dir / 'matrix.md' if self.args.run_dir else self.cache / 'matrix.md'}")

    # -- main -------------------------------------------------------------------------------------------------------

    def main(self):
        started = time.monotonic()
        self.versions = self.args.versions.split(",") if self.args.versions else VERSIONS
        self.pythons = self.args.pythons.split(",") if self.args.pythons else PYTHONS
        self.installers = self.args.installers.split(",") if self.args.installers else INSTALLERS
        self.selftest_report = []
        wheels = {v: self.dist / f"ml_metadata_remote-{v}-py3-none-any.whl" for v in self.versions}
        missing = [str(p) for p in wheels.values() if not p.is_file()]
        if missing:
            for p in missing:
                print(f"error: missing pure wheel {p}", file=sys.stderr)
            print(f"  hint: build them first (purewheel build) or pass the directory holding them", file=sys.stderr)
            self.tally.add("pure wheels present", False, ", ".join(missing))
            return
        self.tally.add("pure wheels present", True)
        shutil.rmtree(self.run_dir, ignore_errors=True)
        for d in ("logs", "transcripts", "junit", "venvs", "wheelhouse"):
            (self.run_dir / d).mkdir(parents=True, exist_ok=True)

        pool = concurrent.futures.ThreadPoolExecutor(max_workers=self.args.jobs)
        arm_future = None
        if not self.args.no_arm and not self.args.self_test_only:
            arm_future = pool.submit(self.prepare_arm)  # network and one core: overlaps with the rest
        self.prepare_tools()
        upstream_versions = [v for v in self.upstream_pins() if v in SERVER_VERSIONS
                             or (v in self.versions and not self.args.self_test_only)]
        for version, future in [(v, pool.submit(self.prepare_upstream_venv, v)) for v in upstream_versions]:
            try:
                future.result()
                self.tally.add(f"upstream {version}: pinned wheel fetched and installed", True)
            except StepError as e:
                self.tally.add(f"upstream {version}: pinned wheel fetched and installed", False,
                               f"{e}\n{tail(e.log_path) if e.log_path else ''}")
        # System types as the upstream binary defines them, captured in each server's venv.
        captured = {}
        for version in SERVER_VERSIONS:
            out = self.run_dir / f"simple-types-{version}.bin"
            code = ("import sys; from ml_metadata.metadata_store.pywrap.metadata_store_extension import metadata_store "
                    "as m; b, e, c = m.LoadSimpleTypes(); assert c == 0, e; open(sys.argv[1], 'wb').write(b)")
            try:
                self.run([self.cache / "venvs" / f"upstream-{version}" / "bin" / "python", "-c", code, out],
                         f"simple-types-{version}")
                captured[version] = out.read_bytes()
            except StepError as e:
                self.tally.add(f"LoadSimpleTypes() from upstream {version}", False, str(e))
        self.simple_types = self.run_dir / f"simple-types-{SERVER_VERSIONS[-1]}.bin"
        self.tally.add("LoadSimpleTypes() identical in both server venvs", len(set(captured.values())) == 1 and
                       len(captured) == len(SERVER_VERSIONS), f"{ {v: len(b) for v, b in captured.items()} }")

        for version in SERVER_VERSIONS:
            for backend in BACKENDS:
                self.start_server(version, backend)
        try:
            if self.args.self_test_only:
                self.self_test(wheels[SELF_TEST_VERSION])
                return
            baseline_versions = {self.baseline_version(v) for v in self.versions} - {None}
            baseline_jobs = [pool.submit(self.baseline, v) for v in self.upstream_pins() if v in baseline_versions]
            for f in baseline_jobs:
                f.result()
            jobs = self.plan(wheels)
            log(f"matrix: {len(jobs)} combinations to run on {self.args.jobs} workers")
            futures = []
            if arm_future is not None:
                try:
                    prefix = arm_future.result()
                    self.tally.add("ARM: emulated aarch64 CPython ready", True)
                    for version in ARM_VERSIONS:
                        if version in self.versions:
                            futures.append(pool.submit(self.arm, prefix, version, wheels[version]))
                except StepError as e:
                    self.tally.add("ARM: emulated aarch64 CPython ready", False, f"{e}\n{tail(e.log_path)}")
            futures += [pool.submit(self.combo, *job) for job in jobs]
            if not self.args.no_self_test and SELF_TEST_VERSION in self.versions:
                futures.append(pool.submit(self.self_test, wheels[SELF_TEST_VERSION]))
            for i, f in enumerate(concurrent.futures.as_completed(futures)):
                exc = f.exception()
                if exc:
                    self.tally.add("harness", False, repr(exc))
            self.stop_servers()
            self.servers_stopped = True
        finally:
            if not getattr(self, "servers_stopped", False):
                self.stop_servers()
            pool.shutdown(wait=True)
            self.write_matrix(time.monotonic() - started)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dist", help="directory with ml_metadata_remote-<v>-py3-none-any.whl")
    parser.add_argument("--cache", default=os.environ.get("PUREWHEEL_E2E_CACHE",
                                                          os.path.expanduser("~/.cache/purewheel-e2e")))
    parser.add_argument("--jobs", type=int, default=(os.cpu_count() or 2) + 2)
    parser.add_argument("--versions", help="comma-separated subset (development)")
    parser.add_argument("--pythons", help="comma-separated subset of 3.9,...,3.13 (development)")
    parser.add_argument("--installers", help="comma-separated subset of pip,uv,installer (development)")
    parser.add_argument("--run-dir", help="this run's folder (default: CACHE/run, emptied first); with it the table "
                        "is written only there, not to CACHE/matrix.md")
    parser.add_argument("--no-arm", action="store_true")
    parser.add_argument("--no-self-test", action="store_true")
    parser.add_argument("--self-test-only", action="store_true",
                        help="only the sabotaged-wheel self-test (the workload must fail on each)")
    args = parser.parse_args()
    harness = Harness(args)
    try:
        harness.main()
    except Exception as e:  # a harness bug must still end with the summary line
        import traceback

        traceback.print_exc()
        harness.tally.add("harness", False, repr(e))
    tally = harness.tally
    if tally.failed:
        print("\nFailures:")
        for name, detail in tally.failed[:60]:
            print(f"  {name}" + (f": {detail.splitlines()[0]}" if detail else ""))
    print(tally.line(), flush=True)
    return 1 if tally.failed else 0


if __name__ == "__main__":
    sys.exit(main())
