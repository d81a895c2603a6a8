"""Step 2: the next release goes through pending -> lock -> build -> check -> provenance -> the MLMD workload,
with no recipe edit."""

from __future__ import annotations

import hashlib
import json
import tomllib
from pathlib import Path

from ..hashing import sha256_file
from ..pins import read_toml
from ..proc import Result

from .context import Context
from .index import Index
from .lock_diff import check_lock_diff
from .step_releases import BROKEN, NEXT, Releases
from .upstream import VERSION as REAL
from .workload import run_workload

OUTPUT = f"ml_metadata_remote-{NEXT}-py3-none-any.whl"


def said(result: Result) -> str:
    return f"exit {result.code}: {result.command()}\n{result.tail()}"


def pending_versions(result: Result) -> tuple[dict | None, str]:
    """The JSON of `pending --format json` as {version: entry}, or None and why not."""
    if result.code != 0:
        return None, said(result)
    try:
        data = json.loads(result.out)
        return {entry["version"]: entry for entry in data["versions"]}, json.dumps(data)
    except (ValueError, KeyError, TypeError) as error:
        return None, f"not the documented JSON ({error}): {result.out[:300]}"


def run_step(ctx: Context, releases: Releases, index: Index) -> Path | None:
    """Returns the built 1.22.0 wheel (None when the build failed)."""
    check_pending(ctx, index)
    check_lock(ctx, releases, index)
    wheel = check_build(ctx, index)
    if wheel is not None:
        run_workload(ctx, wheel.parent, NEXT)
    return wheel


def check_pending(ctx: Context, index: Index) -> None:
    r, pw = ctx.report, ctx.purewheel
    if not pw.has("pending"):
        r.check(f"pending lists {NEXT} (unpinned) and {REAL} (pinned)", False, pw.missing("pending"))
        return
    empty = ctx.work / "published-empty"
    empty.mkdir(exist_ok=True)
    result = pw(index.simple, *pw.with_cache("pending", ctx.recipe, "--published", empty, "--format", "json"))
    versions, detail = pending_versions(result)
    ok = (versions is not None and versions.get(NEXT, {}).get("pinned") is False
          and versions.get(REAL, {}).get("pinned") is True)
    r.check(f"pending --published <empty folder> lists {NEXT} (pinned: false) and {REAL} (pinned: true)", ok, detail)
    if versions is not None:
        unbuildable = {u.get("version"): u.get("reason") for u in json.loads(result.out).get("unbuildable", [])}
        where = (f"unbuildable: {unbuildable[BROKEN]}" if BROKEN in unbuildable else
                 f"listed as pending (pinned: {json.dumps(versions.get(BROKEN, {}).get('pinned'))}); lock refuses it (step 3)")
        r.note(f"{BROKEN} (broken): {where}")


def check_lock(ctx: Context, releases: Releases, index: Index) -> None:
    r, pw = ctx.report, ctx.purewheel
    expected = {p.name: sha256_file(p) for p in releases.next.values()}
    if not pw.has("lock"):
        r.check(f"lock --upstream-version {NEXT} pins the {len(expected)} files", False, pw.missing("lock"))
        return
    before = ctx.lock_bytes()
    result = pw(index.simple, *pw.with_cache("lock", ctx.recipe, "--upstream-version", NEXT))
    table, others_same, detail = None, False, said(result)
    if result.code == 0 and ctx.lock.is_file():
        lock = read_toml(ctx.lock)
        table = lock.get("versions", {}).get(NEXT)
        others_same = _other_tables(before, lock)
        detail = f"{len(table or {})} files pinned; other versions unchanged: {others_same}"
        if table != expected:
            detail += f"\nexpected {json.dumps(expected, indent=1)}\ngot {json.dumps(table, indent=1)}"
    r.check(f"lock --upstream-version {NEXT} pins exactly the {len(expected)} {NEXT} files with their sha256 (hashlib)",
            result.code == 0 and table == expected and others_same, detail)
    order = _table_order(ctx.lock.read_text(), NEXT) if ctx.lock.is_file() else []
    r.check(f"the lock's {NEXT} table lists its files in sorted order", bool(order) and order == sorted(expected),
            ", ".join(order) or "no table")
    check_lock_diff(ctx, before, NEXT, expected)
    first = ctx.lock_bytes()
    again = pw(index.simple, *pw.with_cache("lock", ctx.recipe, "--upstream-version", NEXT))
    r.check("a second lock run exits 0 and leaves the lock byte-identical",
            again.code == 0 and ctx.lock_bytes() == first, said(again) if again.code else again.err.strip()[:90])


def check_build(ctx: Context, index: Index) -> Path | None:
    r, pw = ctx.report, ctx.purewheel
    recipe_before = (ctx.repo / "recipes" / ctx.recipe.name).read_bytes()
    out = ctx.work / "dist"
    # As a release engineer runs it: from the checkout (here the copy's folder), with the recipe's relative path,
    # which the provenance statement records and verify-provenance resolves from the same folder.
    relative = ctx.recipe.relative_to(ctx.work)
    result = pw(index.simple, *pw.with_cache("build", relative, "--upstream-version", NEXT, "--out", out), cwd=ctx.work)
    wheel = out / OUTPUT
    if not r.check(f"build --upstream-version {NEXT} writes {OUTPUT} with no recipe edit",
                   result.code == 0 and wheel.is_file() and ctx.recipe.read_bytes() == recipe_before,
                   result.out.splitlines()[0] if result.code == 0 and result.out else said(result)):
        return None
    check = pw(index.simple, "check", wheel)
    r.check(f"purewheel check {OUTPUT}", check.code == 0, said(check) if check.code else check.out.strip()[:90])
    statement = out / (OUTPUT + ".intoto.json")
    r.check(f"{statement.name} is an in-toto statement naming the wheel and its sha256",
            _statement_ok(statement, wheel), "" if statement.is_file() else "no provenance statement beside the wheel")
    # The statement depends on where the recipe is, not on the working folder or how its path is typed.
    elsewhere = ctx.work / "dist-from-recipes"
    again = pw(index.simple, *pw.with_cache("build", Path("..") / relative, "--upstream-version", NEXT, "--out", elsewhere),
               cwd=ctx.recipe.parent)
    other = elsewhere / statement.name
    same = again.code == 0 and other.is_file() and statement.is_file() and other.read_bytes() == statement.read_bytes()
    r.check(f"{statement.name} is byte-identical when built from another folder with a '..' recipe path", same,
            said(again) if again.code else "" if same else "the statements differ")
    if pw.has("verify-provenance"):
        verified = pw(index.simple, *pw.with_cache("verify-provenance", wheel), cwd=ctx.work)
        r.check(f"verify-provenance {OUTPUT} rebuilds the same bytes and names the recipe",
                verified.code == 0 and verified.out.rstrip().endswith(f", recipe {ctx.recipe})"),
                said(verified) if verified.code else verified.out.strip().rsplit(": ", 1)[-1][:90])
    else:
        r.check(f"verify-provenance {OUTPUT}", False, pw.missing("verify-provenance"))
    return wheel


def _other_tables(before: bytes | None, lock: dict) -> bool:
    """Every version pinned before is pinned the same after (an empty or absent lock had none)."""
    if before is None:
        return True
    old = tomllib.loads(before.decode()).get("versions", {})
    return all(lock.get("versions", {}).get(v) == t for v, t in old.items())


def _table_order(text: str, version: str) -> list[str]:
    names, inside = [], False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            inside = stripped == f'[versions."{version}"]'
        elif inside and stripped.startswith('"') and "=" in stripped:
            names.append(stripped.split('"')[1])
    return names


def _statement_ok(statement: Path, wheel: Path) -> bool:
    try:
        data = json.loads(statement.read_text())
    except (OSError, ValueError):
        return False
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    subjects = data.get("subject") or []
    return str(data.get("_type", "")).startswith("https://in-toto.io/Statement/") and any(
        s.get("name") == wheel.name and s.get("digest", {}).get("sha256") == digest for s in subjects)
