"""Step 3: the broken release (one line inside a patched region changed) is refused by `lock` and by `build`,
with exit 78 naming the patch file and the hunk, and nothing is written."""

from __future__ import annotations

import re

from ..proc import Result

from .context import Context
from .index import Index
from .step_releases import BROKEN, Releases


def names_hunk(result: Result, patch_name: str, hunk: int) -> bool:
    text = result.err + result.out
    return patch_name in text and re.search(rf"\bhunk {hunk}\b", text) is not None


def run_step(ctx: Context, releases: Releases, index: Index) -> None:
    r, pw = ctx.report, ctx.purewheel
    patch_name, hunk = releases.patch.name, releases.broken_hunk
    if pw.has("lock"):
        before = ctx.lock_bytes()
        result = pw(index.simple, *pw.with_cache("lock", ctx.recipe, "--upstream-version", BROKEN))
        r.check(f"lock --upstream-version {BROKEN} exits 78", result.code == 78, f"exit {result.code}\n{result.tail()}")
        r.check(f"  its message names {patch_name} and hunk {hunk}", names_hunk(result, patch_name, hunk),
                result.tail(4))
        r.check("  the lock is byte-identical", ctx.lock_bytes() == before)
    else:
        r.check(f"lock --upstream-version {BROKEN} exits 78 naming {patch_name}, hunk {hunk}", False, pw.missing("lock"))

    out = ctx.work / "dist-broken"
    wheel = releases.broken["3.11"]
    result = pw(index.simple, *pw.with_cache("build", ctx.recipe, "--wheel", wheel, "--allow-unpinned", "--out", out))
    left = sorted(p.name for p in out.rglob("*.whl")) if out.is_dir() else []
    r.check(f"build --wheel {wheel.name} --allow-unpinned exits 78", result.code == 78,
            f"exit {result.code}\n{result.tail()}")
    r.check(f"  its message names {patch_name} and hunk {hunk}", names_hunk(result, patch_name, hunk), result.tail(4))
    r.check("  no .whl in the output folder", not left, ", ".join(left))
