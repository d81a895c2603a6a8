"""Sections 1-3: every pinned upstream file fetched, the canonical build through pip, every pinned file built with
--wheel (one sha256 per version; Windows inputs compare equal)."""

from __future__ import annotations

import concurrent.futures
import shlex
import zipfile
from pathlib import Path

from ..hashing import sha256_file as sha256
from ..pins import Fetched, Pin, describe, fetch_pinned, pip_command
from ..proc import Result, run
from .context import Context
from .purewheel import CANONICAL_VERSION, summary_sha, whls


def fetch_all(ctx: Context, pins: list[Pin], distribution: str, upstream: Path) -> dict[Pin, Path]:
    r = ctx.report
    r.section("1", f"upstream files: pip download + sha256 pin ({len(pins)} pinned files, cache {upstream})")
    pip = pip_command()
    r.note(f"pip: {shlex.join(pip)}  (its index configuration applies; e.g. {describe(pip, pins[0], distribution)})")
    outcomes: dict[str, list[Fetched]] = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
        for outcome in pool.map(lambda p: fetch_pinned(p, distribution, upstream, pip), pins):
            outcomes.setdefault(outcome.pin.version, []).append(outcome)
    found: dict[Pin, Path] = {}
    for version, results in outcomes.items():
        bad = [f"{f.pin.name}: {f.error}" for f in results if f.path is None]
        counts: dict[str, int] = {}
        for f in results:
            if f.path is not None:
                found[f.pin] = f.path
                counts[f.how] = counts.get(f.how, 0) + 1
        summary = ", ".join(f"{n} {how}" for how, n in counts.items())
        r.check(f"fetch {version}: {len(results) - len(bad)}/{len(results)} pinned files obtained, sha256 = pin", not bad,
                summary if not bad else "\n".join(bad))
    return found


def canonical_build(ctx: Context, pins: list[Pin], canonical_platform: str) -> Path | None:
    r, pw = ctx.report, ctx.purewheel
    r.section("2", f"purewheel build RECIPE --upstream-version {CANONICAL_VERSION} (through pip, as a user runs it)")
    cache_dir = ctx.cache / "purewheel-cache"
    # Drop purewheel's cached copy of this version so that pip really runs (pip's own HTTP cache keeps it cheap).
    for stale in cache_dir.glob(f"*/{CANONICAL_VERSION}/*.whl"):
        stale.unlink()
    out = ctx.work / "canonical"
    result = run([pw.binary, "build", pw.recipe, "--upstream-version", CANONICAL_VERSION, "--out", out, "--cache-dir", cache_dir],
                 env=pw.env())
    r.note(f"$ purewheel build {pw.recipe.name} --upstream-version {CANONICAL_VERSION} --out OUT --cache-dir {cache_dir}   ({result.seconds:.1f} s)")
    r.note("\n".join(result.out.strip().splitlines()[:3]))
    r.check(f"build --upstream-version {CANONICAL_VERSION} exits 0", result.code == 0, "" if result.code == 0 else f"exit {result.code}\n{result.tail()}")
    outputs = whls(out)
    r.check("exactly one output wheel exists", len(outputs) == 1 and outputs[0].stat().st_size > 0,
            outputs[0].name if len(outputs) == 1 else f"found {[p.name for p in outputs]}")
    fetched = sorted(cache_dir.glob(f"*/{CANONICAL_VERSION}/*.whl"))
    wanted = {p.name: p.sha256 for p in pins if p.version == CANONICAL_VERSION}
    ok = len(fetched) == 1 and fetched[0].name in wanted and sha256(fetched[0]) == wanted[fetched[0].name]
    r.check(f"pip fetched the pinned {canonical_platform} file into --cache-dir", ok,
            fetched[0].name if ok else f"cache holds {[p.name for p in fetched]}")
    if len(outputs) != 1:
        return None
    check = pw.check(outputs[0])
    r.check("purewheel check on it exits 0", check.code == 0, check.tail(3) if check.code else "")
    return outputs[0]


Built = tuple[Pin, Result, Path]


def build_all(ctx: Context, files: dict[Pin, Path], canonical: Path | None) -> dict[str, Path]:
    r, pw = ctx.report, ctx.purewheel
    r.section("3", f"every pinned file builds with --wheel ({len(files)} files, each into its own folder)")
    root = ctx.work / "each"

    def one(pin: Pin) -> tuple[Pin, Result, list[Path]]:
        out = root / pin.name[: -len(".whl")]
        result = pw.build_wheels([files[pin]], out)
        return pin, result, whls(out)

    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(one, sorted(files, key=lambda p: (p.version, p.name))))
    by_version: dict[str, list[tuple[Pin, Result, list[Path]]]] = {}
    for item in results:
        by_version.setdefault(item[0].version, []).append(item)
    table: list[tuple[str, str, str]] = []
    reference: dict[str, Path] = {}
    for version, items in by_version.items():
        broken = [f"{pin.name}: exit {res.code}, outputs {[p.name for p in outs]}\n{res.tail(4)}"
                  for pin, res, outs in items if res.code != 0 or len(outs) != 1]
        seconds = sum(res.seconds for _, res, _ in items)
        r.check(f"{version}: {len(items) - len(broken)}/{len(items)} inputs build", not broken,
                f"{seconds:.1f} s in all" if not broken else "\n".join(broken))
        good = [(pin, res, outs[0]) for pin, res, outs in items if res.code == 0 and len(outs) == 1]
        linux = one_sha_per_version(ctx, version, good)
        if linux:
            reference[version] = linux
            table.append((version, sha256(linux), " + ".join(f"{sum(p.family == f for p, _, _ in good)} {f}"
                                                             for f in ("linux", "macos", "windows")
                                                             if any(p.family == f for p, _, _ in good))))
            windows_compare(ctx, version, linux, [b for b in good if b[0].family == "windows"])
    if canonical is not None and CANONICAL_VERSION in reference:
        r.check(f"{CANONICAL_VERSION}: the pip-fetched build (section 2) = the --wheel builds, byte for byte",
                sha256(canonical) == sha256(reference[CANONICAL_VERSION]))
    for version, wheel in reference.items():
        check = pw.check(wheel)
        r.check(f"{version}: purewheel check {wheel.name} exits 0", check.code == 0, check.tail(3) if check.code else "")
    print("\n    version   sha256 of ml_metadata_remote-<version>-py3-none-any.whl                 inputs")
    for version, digest, inputs in table:
        print(f"    {version:<9} {digest}  {inputs}")
    return reference


def one_sha_per_version(ctx: Context, version: str, good: list[Built]) -> Path | None:
    """Checks that the linux and macOS inputs of a version give one sha256; returns the reference output."""
    unix = [(pin, res, out) for pin, res, out in good if pin.family in ("linux", "macos")]
    digests: dict[str, list[str]] = {}
    mismatched_summary = []
    for pin, res, out in unix:
        digest = sha256(out)
        digests.setdefault(digest, []).append(pin.name)
        if summary_sha(res.out) != digest:
            mismatched_summary.append(f"{pin.name}: summary says {summary_sha(res.out)}, file is {digest}")
    families = sorted({pin.family for pin, _, _ in unix})
    ctx.report.check(f"{version}: {len(unix)} {'+'.join(families) or 'linux/macos'} inputs give one sha256",
                     len(digests) == 1 and bool(unix),
                     "\n".join(f"{d[:16]}: {', '.join(n)}" for d, n in digests.items()) if len(digests) != 1 else "")
    if mismatched_summary:
        ctx.report.check(f"{version}: build summary sha256 = output file sha256", False, "\n".join(mismatched_summary))
    linux = [out for pin, _, out in unix if pin.family == "linux"] or [out for _, _, out in unix]
    return linux[0] if linux else None


def windows_compare(ctx: Context, version: str, linux: Path, windows: list[Built]) -> None:
    """Windows outputs must hold the same files as the linux one (purewheel compare)."""
    if not windows:
        return
    diffs = []
    same_bytes = 0
    recompressed: set[str] = set()
    last = ""
    for pin, _, out in windows:
        cmp = ctx.purewheel.compare(linux, out)
        last = (cmp.out.strip().splitlines() or ["(no output)"])[-1]
        if cmp.code != 0 or not last.startswith("0 of "):
            diffs.append(f"{pin.name}: compare exit {cmp.code}: {cmp.tail(6)}")
        same_bytes += sha256(out) == sha256(linux)
        if sha256(out) != sha256(linux):
            with zipfile.ZipFile(linux) as za, zipfile.ZipFile(out) as zb:
                sizes = {i.filename: (i.CRC, i.compress_size) for i in za.infolist()}
                recompressed.update(i.filename for i in zb.infolist() if i.filename in sizes
                                    and sizes[i.filename][0] == i.CRC and sizes[i.filename][1] != i.compress_size)
    ctx.report.check(f"{version}: {len(windows)} windows outputs: purewheel compare vs linux reports 0 differing files",
                     not diffs, "\n".join(diffs) if diffs else f"{last}; {same_bytes}/{len(windows)} also byte-identical")
    if recompressed:
        ctx.report.note(f"note: same content, other compressed size (normalized + recompressed): "
                        f"{', '.join(sorted(recompressed))}")
