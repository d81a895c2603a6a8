"""Section 5: determinism across working directory, TZ, umask, --wheel order and SOURCE_DATE_EPOCH."""

from __future__ import annotations

import random
import time
import zipfile
from pathlib import Path

from ..hashing import sha256_file as sha256
from ..pins import Pin
from .context import Context
from .purewheel import CANONICAL_VERSION, DETERMINISM_VERSION, SOURCE_DATE_EPOCH, whls


def determinism(ctx: Context, files: dict[Pin, Path], reference: dict[str, Path]) -> None:
    r, pw = ctx.report, ctx.purewheel
    r.section("5", "determinism: working directory, TZ, umask, --wheel order, SOURCE_DATE_EPOCH")
    root = ctx.work / "determinism"
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
        r.check(f"{single.name[:-4]}: cwd a + TZ=UTC + umask 022 vs cwd b/deeper/still + TZ=Pacific/Kiritimati + umask 077: identical bytes",
                ok, "" if ok else f"exits {ra.code}/{rb.code}\n{ra.tail(3)}\n{rb.tail(3)}")
        if ok and CANONICAL_VERSION in reference:
            r.check("  ... and identical to the section 3 build", sha256(wa[0]) == sha256(reference[CANONICAL_VERSION]))

    order(ctx, files, reference, root, (cwd_a, env_a), (cwd_b, env_b))
    if canonical:
        source_date_epoch(ctx, files[canonical[-1]], reference, root, cwd_a, cwd_b)


def order(ctx: Context, files: dict[Pin, Path], reference: dict[str, Path], root: Path, a: tuple, b: tuple) -> None:
    """All linux+macOS inputs of one version in one command, in two orders: identical bytes."""
    r, pw = ctx.report, ctx.purewheel
    (cwd_a, env_a), (cwd_b, env_b) = a, b
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
        r.check(f"{DETERMINISM_VERSION}: all {len(several)} linux+macOS files in one command, two orders (seed {seed}), cwd/TZ/umask varied: identical bytes",
                ok, "" if ok else f"exits {ra.code}/{rb.code}, outputs {[p.name for p in wa]} / {[p.name for p in wb]}\n{ra.tail(3)}\n{rb.tail(3)}")
        if ok and DETERMINISM_VERSION in reference:
            r.check("  ... and identical to the single-input build of section 3", sha256(wa[0]) == sha256(reference[DETERMINISM_VERSION]))


def source_date_epoch(ctx: Context, single: Path, reference: dict[str, Path], root: Path, cwd_a: Path, cwd_b: Path) -> None:
    """Two SOURCE_DATE_EPOCH builds give identical bytes, differing from the default build only by timestamps."""
    r, pw = ctx.report, ctx.purewheel
    out_c, out_d = root / "sde-c", root / "sde-d"
    rc = pw.build_wheels([single], out_c, cwd=cwd_a, env=pw.env(TZ="UTC", SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH), umask=0o022)
    rd = pw.build_wheels([single], out_d, cwd=cwd_b, env=pw.env(TZ="Pacific/Kiritimati", SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH), umask=0o077)
    wc, wd = whls(out_c), whls(out_d)
    ok = rc.code == rd.code == 0 and len(wc) == len(wd) == 1 and sha256(wc[0]) == sha256(wd[0])
    r.check(f"SOURCE_DATE_EPOCH={SOURCE_DATE_EPOCH}: two runs (TZ/cwd/umask varied) give identical bytes", ok,
            "" if ok else f"exits {rc.code}/{rd.code}\n{rc.tail(3)}\n{rd.tail(3)}")
    if ok and CANONICAL_VERSION in reference:
        base = reference[CANONICAL_VERSION]
        cmp = pw.compare(base, wc[0])
        stamp = time.gmtime(int(SOURCE_DATE_EPOCH))[:6]
        with zipfile.ZipFile(wc[0]) as z:
            times = {info.date_time for info in z.infolist()}
        with zipfile.ZipFile(base) as z:
            base_times = {info.date_time for info in z.infolist()}
        r.check("  ... differs from the default build only by entry timestamps (purewheel compare: 0 differing files)",
                cmp.code == 0 and times == {stamp} and sha256(wc[0]) != sha256(base),
                f"entry times {sorted(times)} (default build: {sorted(base_times)})" if cmp.code == 0 else cmp.tail(6))

