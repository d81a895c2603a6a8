"""Step 5b: an index that cannot be read is never "nothing pending" or "up to date", against a misbehaving index on
127.0.0.1 (faultyindex.py) and real pip with retries off: HTTP 429, 407 and 410, a 200 login page without links,
TLS spoken to a plain-http server, an http host pip ignores as untrusted, a server slower than PIP_TIMEOUT, an
index that rate-limits every third request (a version is pinned with all its files or none) and one that serves
another version's bytes under a file's name. Then what counts as published: no wheelhouse reached through
PIP_FIND_LINKS, no empty file, folder, FIFO or dangling link, and a missing folder fails before pip is asked.
Last, two overlapping `lock` runs of different versions keep both versions' pins.

It works on its own copy of recipes/ (the repository's lock, without the test-made releases)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
import tomllib
import zipfile
from pathlib import Path

from ..hashing import sha256_file
from ..proc import Result

from . import fakerelease, upstream
from .context import RECIPE_NAME, TARGET, Context
from .faultyindex import FaultyIndex, untrusted_host
from .index import closed_port
from .step_releases import MOVED_LINES, NEXT, Releases

OUTPUT_NAME = "ml_metadata_remote"
# Both names: pip reads either, and this machine sets PIP_DEFAULT_TIMEOUT globally.
FAST = {"PIP_TIMEOUT": "2", "PIP_DEFAULT_TIMEOUT": "2"}


def said(result: Result) -> str:
    return f"exit {result.code}\n{result.tail(6)}"


def run_step(ctx: Context, releases: Releases) -> None:
    r, pw = ctx.report, ctx.purewheel
    if not (pw.has("lock") and pw.has("pending")):
        r.check("lock and pending against a misbehaving index", False, pw.missing("lock") or pw.missing("pending"))
        return
    copy = ctx.work / "recipes-faults"
    shutil.copytree(ctx.repo / "recipes", copy)
    recipe = copy / RECIPE_NAME
    lock = recipe.with_suffix(".lock")
    good = lock.read_bytes()
    empty = ctx.work / "published-faults-empty"
    empty.mkdir(exist_ok=True)
    with FaultyIndex(releases.served) as index:
        unreadable(ctx, index, recipe, lock, good, empty)
        flaky(ctx, releases, index, recipe, lock, good)
        lying(ctx, releases, index, recipe, lock, good)
        published(ctx, index, recipe, lock, good)
    overlapping(ctx, releases, recipe, lock, good)


def unreadable(ctx: Context, index: FaultyIndex, recipe: Path, lock: Path, good: bytes, empty: Path) -> None:
    r, pw = ctx.report, ctx.purewheel
    host = untrusted_host()
    cases = [
        ("HTTP 429", "status:429", index.simple(), "429 Client Error: Too Many Requests"),
        ("HTTP 407", "status:407", index.simple(), "407 Client Error: Proxy Authentication Required"),
        ("HTTP 410", "status:410", index.simple(), "410 Client Error: Gone"),
        ("a 200 login page without links", "nolinks", index.simple(), "lists none of the versions of ml-metadata"),
        ("TLS spoken to a plain-http server", "ok", index.simple(scheme="https"),
         "problem confirming the ssl certificate"),
        ("a server slower than PIP_TIMEOUT=2", "slow", index.simple(), "Read timed out"),
    ]
    if host is not None:
        untrusted = index.simple(host=host)
        cases.append((f"plain http to {host} (untrusted)", "ok", untrusted, "not a trusted or secure host"))
    else:
        r.check("a name of this machine that resolves to 127.0.0.1 (for the untrusted-host case)", False)
    for label, mode, url, quoted in cases:
        index.set(mode, slow_seconds=10)
        result = pw(url, *pw.with_cache("pending", recipe, "--published", empty), env=FAST, timeout=300)
        r.check(f"pending, {label}: exit 74 quoting pip ('{quoted}'), not 'nothing pending'",
                result.code == 74 and result.out == "" and quoted in result.err, said(result))
        result = pw(url, *pw.with_cache("lock", recipe), env=FAST, timeout=300)
        r.check(f"lock, {label}: exit 74 quoting pip, lock unchanged, not 'up to date'",
                result.code == 74 and quoted in result.err and lock.read_bytes() == good, said(result))


def flaky(ctx: Context, releases: Releases, index: FaultyIndex, recipe: Path, lock: Path, good: bytes) -> None:
    """Every third project page after the version queries (one per Python version) is answered with 429."""
    r, pw = ctx.report, ctx.purewheel
    pythons = len(_python_versions(recipe))
    for attempt in (1, 2):
        index.set("flaky", flaky_skip=pythons)
        result = pw(index.simple(), *pw.with_cache("lock", recipe, "--upstream-version", NEXT), env=FAST, timeout=600)
        r.check(f"lock --upstream-version {NEXT}, every third page rate-limited (run {attempt}): exit 74, nothing pinned",
                result.code == 74 and "429 Client Error" in result.err and lock.read_bytes() == good, said(result))
    index.set("ok")
    result = pw(index.simple(), *pw.with_cache("lock", recipe, "--upstream-version", NEXT), timeout=600)
    expected = {p.name: sha256_file(p) for p in releases.next.values()}
    pinned = _table(lock, NEXT)
    r.check(f"lock --upstream-version {NEXT} once the index answers: all {len(expected)} files pinned",
            result.code == 0 and pinned == expected, said(result) + f"\npinned {sorted(pinned or {})}")
    lock.write_bytes(good)


def lying(ctx: Context, releases: Releases, index: FaultyIndex, recipe: Path, lock: Path, good: bytes) -> None:
    r, pw = ctx.report, ctx.purewheel
    index.set("lying", liar=releases.broken["3.11"])
    result = pw(index.simple(), *pw.with_cache("lock", recipe, "--upstream-version", NEXT), timeout=600)
    r.check(f"{NEXT} files served with {releases.broken['3.11'].name}'s bytes: exit 65, 'contents contradict its "
            "name' with pip's line, not 'the index has no wheel'",
            result.code == 65 and "contents contradict its name" in result.err and "inconsistent version" in result.err
            and lock.read_bytes() == good, said(result))
    index.set("ok")


def published(ctx: Context, index: FaultyIndex, recipe: Path, lock: Path, good: bytes) -> None:
    r, pw = ctx.report, ctx.purewheel
    wheelhouse = ctx.work / "faults-wheelhouse"
    output = _tiny_wheel(wheelhouse, NEXT)
    result = pw(index.simple(), *pw.with_cache("pending", recipe, "--published", index.simple(), "--format", "json"),
                env={"PIP_FIND_LINKS": str(wheelhouse), "PIP_EXTRA_INDEX_URL": f"file://{wheelhouse}"})
    r.check(f"pending --published URL does not count {output.name} reached through PIP_FIND_LINKS or "
            "PIP_EXTRA_INDEX_URL", result.code == 0 and NEXT in _pending(result), said(result))

    folder = ctx.work / "published-faults-bogus"
    folder.mkdir(exist_ok=True)
    (folder / f"{OUTPUT_NAME}-{NEXT}-py3-none-any.whl").write_bytes(b"")
    (folder / f"{OUTPUT_NAME}-1.21.0-py3-none-any.whl").mkdir(exist_ok=True)
    os.mkfifo(folder / f"{OUTPUT_NAME}-{NEXT}-py2.py3-none-any.whl")
    (folder / f"{OUTPUT_NAME}-1.21.0-py2.py3-none-any.whl").symlink_to(ctx.work / "gone.whl")
    result = pw(index.simple(), *pw.with_cache("pending", recipe, "--published", folder, "--format", "json"))
    pending = _pending(result)
    r.check("pending --published DIR: an empty file, a folder, a FIFO and a dangling link named like outputs are not "
            "published", result.code == 0 and NEXT in pending and "1.21.0" in pending, said(result))

    down = f"http://127.0.0.1:{closed_port()}/simple/"
    result = pw(down, *pw.with_cache("pending", recipe, "--published", ctx.work / "no-such-folder"), timeout=300)
    r.check("pending --published <missing folder>: exit 66 'no such folder', before any pip query (index down)",
            result.code == 66 and "no such folder" in result.err and result.seconds < 10, said(result))
    r.check("the faults copy's lock is unchanged", lock.read_bytes() == good)


def _python_versions(recipe: Path) -> list[str]:
    return tomllib.loads(recipe.read_text())["source"]["python_versions"]


def _table(lock: Path, version: str) -> dict | None:
    return tomllib.loads(lock.read_text()).get("versions", {}).get(version)


def _pending(result: Result) -> set[str]:
    try:
        return {v["version"] for v in json.loads(result.out)["versions"]}
    except (ValueError, KeyError, TypeError):
        return set()


def _tiny_wheel(folder: Path, version: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{OUTPUT_NAME}-{version}-py3-none-any.whl"
    info = f"{OUTPUT_NAME}-{version}.dist-info"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"{info}/METADATA", f"Metadata-Version: 2.1\nName: ml-metadata-remote\nVersion: {version}\n")
        archive.writestr(f"{info}/WHEEL",
                         "Wheel-Version: 1.0\nGenerator: e2e\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        archive.writestr(f"{info}/RECORD", "")
    return path


def overlapping(ctx: Context, releases: Releases, recipe: Path, lock: Path, good: bytes) -> None:
    """Run A (lock 1.22.0) is stopped (SIGSTOP) once it has made its first index request, which it makes only after
    reading the lock; run B (lock 1.22.1) then runs to its end; then A continues. A must not write the lock it read
    over B's pins. Deterministic: the order is forced by the stop, not by timing."""
    r, pw = ctx.report, ctx.purewheel
    other = "1.22.1"
    served = ctx.work / "upstream-index-overlap"
    shutil.copytree(releases.served, served)
    first = releases.patch.starts[0]
    expected_other = {}
    for path in releases.real.values():
        edits = {TARGET: fakerelease.insert_lines(first, MOVED_LINES)}
        made = fakerelease.make_release(path, upstream.VERSION, other, edits, served)
        expected_other[made.name] = sha256_file(made)
    expected_next = {p.name: sha256_file(p) for p in releases.next.values()}
    lock.write_bytes(good)
    with FaultyIndex(served) as index:
        env = pw.pip_env(index.simple())
        argv = [str(a) for a in (pw.binary, *pw.with_cache("lock", recipe, "--upstream-version", NEXT))]
        a = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             stdin=subprocess.DEVNULL, start_new_session=True)
        stopped = False
        try:
            deadline = time.monotonic() + 120
            while not index.requests and a.poll() is None and time.monotonic() < deadline:
                time.sleep(0.005)
            if a.poll() is None and index.requests:
                os.killpg(a.pid, signal.SIGSTOP)
                stopped = True
            b = pw(index.simple(), *pw.with_cache("lock", recipe, "--upstream-version", other), timeout=600)
        finally:
            if stopped:
                os.killpg(a.pid, signal.SIGCONT)
            try:
                out, err = a.communicate(timeout=600)
            except subprocess.TimeoutExpired:
                os.killpg(a.pid, signal.SIGKILL)
                out, err = a.communicate()
    r.check(f"run A (lock {NEXT}) was stopped after its first index request, while run B (lock {other}) ran",
            stopped, f"A exited {a.returncode} before its first request" if not stopped else "")
    tables = tomllib.loads(lock.read_text()).get("versions", {}) if lock.is_file() else {}
    both = tables.get(NEXT) == expected_next and tables.get(other) == expected_other
    r.check(f"two overlapping lock runs ({NEXT}, {other}) both exit 0 and the lock keeps both versions' pins",
            a.returncode == 0 and b.code == 0 and both,
            f"A exit {a.returncode}: {(out + err).strip()[-300:]}\nB {said(b)}\nlocked: {sorted(tables)}")
