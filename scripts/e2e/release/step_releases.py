"""Step 1: the test-made next releases, served by a local index.

1.22.0 is the real 1.21.0 with three harmless comment lines inserted in metadata_store.py right before the first
patched region, so every hunk of the recipe's patch moves down by 3 lines (a recipe whose patches tolerate moved
hunks builds it unchanged). 1.23.0 is the real 1.21.0 with one line inside the second patched region changed, so
that hunk cannot apply anywhere (the recipe must refuse it)."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..pins import read_pins
from ..wheels import verify_record

from . import fakerelease, hunks, upstream
from .context import TARGET, Context

NEXT, BROKEN = "1.22.0", "1.23.0"
MOVED_BY = 3
MOVED_LINES = (
    "# purewheel e2e-release: three harmless lines that a test-made next release adds here, so that",
    "# every patched region below moves down by three lines.",
    "_PUREWHEEL_E2E_RELEASE_MARKER = None",
)
BROKEN_SUFFIX = "  # changed in a test-made release: this patched line no longer matches"
CONFLICT_LINES = ("# other bytes under the same file name: a re-published upstream file", "", "")


@dataclass(frozen=True)
class Releases:
    served: Path  # the folder the upstream index serves
    real: dict[str, Path]  # python -> real 1.21.0 file (cache)
    next: dict[str, Path]  # python -> 1.22.0 file (served)
    broken: dict[str, Path]  # python -> 1.23.0 file (served)
    patch: hunks.LocatedPatch  # the recipe's patch of metadata_store.py, located in 1.21.0
    broken_hunk: int


def source_lines(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        return archive.read(TARGET).decode().splitlines()


def make(ctx: Context) -> Releases | None:
    r = ctx.report
    pins, origin = read_pins(ctx.recipe)
    pinned = pins.get(upstream.VERSION, {})
    real: dict[str, Path] = {}
    problems = []
    for python in upstream.PYTHONS:
        path, how = upstream.fetch(python, pinned, ctx.cache, [str(ctx.python), "-m", "pip"])
        if path is None:
            problems.append(how)
        else:
            real[python] = path
    if not r.check(f"real {upstream.VERSION} files ({len(upstream.PYTHONS)} x {upstream.PLATFORM}) match their pins in "
                   f"{origin}", not problems, "\n".join(problems) or f"cache {ctx.cache / 'upstream'}"):
        return None

    source = source_lines(real["3.11"])
    patch = hunks.patch_for(ctx.recipe.parent / "ml-metadata-remote" / "patches", TARGET, source)
    if not r.check(f"a recipe patch of {TARGET} applies to {upstream.VERSION}", patch is not None,
                   "" if patch is None else f"{patch.name}: hunks found at lines "
                   + ", ".join(str(s) for s in patch.starts)):
        return None
    first = patch.starts[0]
    broken_hunk = 2 if len(patch.starts) > 1 else 1
    hunk = patch.file_patch.hunks[broken_hunk - 1]
    broken_line = patch.starts[broken_hunk - 1] + hunk.removed[0]

    served = ctx.work / "upstream-index"
    next_files, broken_files = {}, {}
    try:
        for python, path in real.items():
            next_files[python] = fakerelease.make_release(
                path, upstream.VERSION, NEXT, {TARGET: fakerelease.insert_lines(first, MOVED_LINES)}, served)
            broken_files[python] = fakerelease.make_release(
                path, upstream.VERSION, BROKEN, {TARGET: fakerelease.change_line(broken_line, BROKEN_SUFFIX)}, served)
    except (ValueError, OSError, KeyError) as error:
        r.check(f"make the {NEXT} and {BROKEN} wheels with zipfile", False, str(error))
        return None
    for path in real.values():  # the real files are served too, unchanged
        (served / path.name).write_bytes(path.read_bytes())

    record_problems = [f"{p.name}: {x}" for p in [*next_files.values(), *broken_files.values()]
                       for x in verify_record(p)]
    r.check(f"{len(next_files) + len(broken_files)} test-made wheels have a RECORD that matches every entry",
            not record_problems, "\n".join(record_problems[:5]))
    moved = source_lines(next_files["3.11"])
    now = [hunks.locate(h, moved) for h in patch.file_patch.hunks]
    r.check(f"{NEXT}: every hunk of {patch.name} is found {MOVED_BY} lines further down than in {upstream.VERSION}",
            now == [s + MOVED_BY for s in patch.starts], f"lines {now}")
    changed = source_lines(broken_files["3.11"])
    now = [hunks.locate(h, changed) for h in patch.file_patch.hunks]
    expected = [None if i == broken_hunk - 1 else s for i, s in enumerate(patch.starts)]
    r.check(f"{BROKEN}: only hunk {broken_hunk} of {patch.name} (line {broken_line} changed) is found nowhere",
            now == expected, f"lines {now}")
    metadata_ok = all(_metadata_version(p) == NEXT for p in next_files.values()) and all(
        _metadata_version(p) == BROKEN for p in broken_files.values())
    r.check("METADATA Version, .dist-info folder and ml_metadata/version.py carry the new versions", metadata_ok)
    return Releases(served, real, next_files, broken_files, patch, broken_hunk)


def _metadata_version(wheel: Path) -> str | None:
    project, version = wheel.name.split("-")[:2]
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        info = f"{project}-{version}.dist-info/"
        if any(".dist-info/" in n and not n.startswith(info) for n in names):
            return None
        meta = archive.read(info + "METADATA").decode()
        declared = archive.read("ml_metadata/version.py").decode()
    found = [line.split(":", 1)[1].strip() for line in meta.splitlines() if line.startswith("Version:")]
    if found != [version] or f"'{version}'" not in declared:
        return None
    return version


def conflicting_copy(releases: Releases, python: str, folder: Path) -> Path:
    """Another 1.22.0 file under the same name with other bytes (as if upstream re-published it)."""
    first = releases.patch.starts[0]
    return fakerelease.make_release(releases.real[python], upstream.VERSION, NEXT,
                                    {TARGET: fakerelease.insert_lines(first, CONFLICT_LINES)}, folder)
