"""Step 4b: a fixed repack. With 1.22.0 published, the recipe gives it `revision = 1`: pending lists it again as
1.22.0.post1, the build names everything 1.22.0.post1 while the lock still pins 1.22.0's files, the statement
records the revision (another claimed revision is exit 4), the index takes the new file name and pip picks it."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

from ..proc import clean_env, run

from .context import Context
from .index import Index
from .step_next import pending_versions, said
from . import step_publish  # a module import: step_publish imports this module while it loads
from .step_releases import NEXT

REVISED = f"{NEXT}.post1"
OUTPUT = f"ml_metadata_remote-{REVISED}-py3-none-any.whl"


def run_step(ctx: Context, upstream_index: Index, index: Index) -> None:
    """Runs with NEXT published on `index`; the recipe copy is restored afterwards, whatever happens."""
    original = ctx.recipe.read_bytes()
    lock_before = ctx.lock_bytes()
    try:
        ctx.recipe.write_bytes(original + f'\n[versions."{NEXT}"]\nrevision = 1\n'.encode())
        _revise(ctx, upstream_index, index)
        ctx.report.check(f"the lock is unchanged: it still pins upstream {NEXT}'s files",
                         ctx.lock_bytes() == lock_before)
    finally:
        ctx.recipe.write_bytes(original)


def _pending(ctx: Context, upstream_index: Index, index: Index) -> tuple[dict | None, str]:
    pw = ctx.purewheel
    return pending_versions(pw(upstream_index.simple, *pw.with_cache("pending", ctx.recipe, "--published", index.simple,
                                                                       "--format", "json")))


def _revise(ctx: Context, upstream_index: Index, index: Index) -> None:
    r, pw = ctx.report, ctx.purewheel
    versions, detail = _pending(ctx, upstream_index, index)
    entry = (versions or {}).get(NEXT, {})
    r.check(f"pending lists {NEXT} again, as output {REVISED} over the published {NEXT}",
            entry.get("output") == REVISED and entry.get("published") == NEXT and entry.get("pinned") is True, detail)

    out = ctx.work / "dist-revision"
    relative = ctx.recipe.relative_to(ctx.work)
    built = pw(upstream_index.simple, *pw.with_cache("build", relative, "--upstream-version", NEXT, "--out", out), cwd=ctx.work)
    wheel = out / OUTPUT
    if not r.check(f"build --upstream-version {NEXT} writes {OUTPUT}", built.code == 0 and wheel.is_file(), said(built)):
        return
    _check_names(ctx, wheel)
    check = pw(upstream_index.simple, "check", wheel)
    r.check(f"purewheel check {OUTPUT}", check.code == 0, said(check) if check.code else "")
    statement = Path(str(wheel) + ".intoto.json")
    data = json.loads(statement.read_text()) if statement.is_file() else {}
    parameters = data.get("predicate", {}).get("buildDefinition", {}).get("externalParameters", {})
    r.check("the statement records revision 1 and upstream_version " + NEXT,
            parameters.get("revision") == 1 and parameters.get("upstream_version") == NEXT, json.dumps(parameters))
    verified = pw(upstream_index.simple, *pw.with_cache("verify-provenance", wheel), cwd=ctx.work)
    r.check(f"verify-provenance {OUTPUT} exits 0", verified.code == 0, said(verified) if verified.code else "")
    forged = ctx.work / "forged.intoto.json"
    forged.write_text(statement.read_text().replace('"revision" : 1', '"revision" : 2'))
    claimed = pw(upstream_index.simple, *pw.with_cache("verify-provenance", wheel, "--provenance", forged),
                 cwd=ctx.work)
    r.check("a statement claiming revision 2 is exit 4 naming externalParameters.revision",
            claimed.code == 4 and "externalParameters.revision" in claimed.err, said(claimed))

    uploaded = step_publish.upload(ctx, index, wheel, step_publish.PASSWORD)
    r.check(f"twine upload of {OUTPUT} beside {NEXT} succeeds (a new file name)", uploaded.code == 0,
            f"exit {uploaded.code}: {uploaded.tail(4)}")
    _install(ctx, index)
    versions, detail = _pending(ctx, upstream_index, index)
    r.check(f"pending no longer lists {NEXT} once {REVISED} is published",
            versions is not None and NEXT not in versions, detail)


def _check_names(ctx: Context, wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        dist_info = {n.split("/")[0] for n in names if ".dist-info/" in n}
        metadata = archive.read(f"ml_metadata_remote-{REVISED}.dist-info/METADATA").decode() \
            if f"ml_metadata_remote-{REVISED}.dist-info/METADATA" in names else ""
        sbom_name = f"ml_metadata_remote-{REVISED}.dist-info/sboms/purewheel.cdx.json"
        sbom = json.loads(archive.read(sbom_name)) if sbom_name in names else {}
    ctx.report.check(f"the .dist-info is ml_metadata_remote-{REVISED}.dist-info and METADATA says Version: {REVISED}",
                     dist_info == {f"ml_metadata_remote-{REVISED}.dist-info"} and f"\nVersion: {REVISED}\n" in metadata,
                     f"{sorted(dist_info)}")
    component = sbom.get("metadata", {}).get("component", {})
    ancestors = [a.get("purl", "") for a in component.get("pedigree", {}).get("ancestors", [])]
    ctx.report.check(f"the SBOM's purl is pkg:pypi/ml-metadata-remote@{REVISED}; its ancestors are {NEXT}'s files",
                     component.get("purl") == f"pkg:pypi/ml-metadata-remote@{REVISED}" and bool(ancestors)
                     and all(a.startswith(f"pkg:pypi/ml-metadata@{NEXT}?file_name=") for a in ancestors),
                     f"{component.get('purl')}; {ancestors[:1]}")


def _install(ctx: Context, index: Index) -> None:
    venv = ctx.work / "venv-revision"
    shutil.rmtree(venv, ignore_errors=True)
    made = run([ctx.python, "-m", "venv", venv])
    vpy = venv / "bin" / "python"
    env = clean_env(PIP_CONFIG_FILE="/dev/null", PIP_NO_CACHE_DIR="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    env.pop("PIP_FIND_LINKS", None)
    env.pop("PIP_INDEX_URL", None)
    # No dependencies: only which file pip picks is in question here (step 4 installs and runs the package).
    result = run([vpy, "-m", "pip", "install", "--quiet", "--no-deps", "--only-binary=:all:",
                  "--index-url", index.simple, f"ml-metadata-remote=={NEXT}.*"], env=env, timeout=600)
    version = run([vpy, "-I", "-c", "import importlib.metadata as m; print(m.version('ml-metadata-remote'))"])
    ctx.report.check(f"pip install 'ml-metadata-remote=={NEXT}.*' picks {REVISED} over {NEXT}",
                     made.code == 0 and result.code == 0 and version.out.strip() == REVISED,
                     f"exit {result.code}: {result.tail(4)}; installed {version.out.strip()}")
