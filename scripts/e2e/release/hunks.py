"""Just enough unified-diff reading to aim the test-made releases at the recipe's patched regions: which patch of
a file applies exactly to the 1.21.0 source, and where its hunks are. (purewheel has its own applier; this only
decides where the test moves or breaks lines.)"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

HUNK_HEADER = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


@dataclass(frozen=True)
class Hunk:
    number: int  # 1-based, as purewheel's messages count them
    old_start: int  # 1-based line of the first old line
    old_lines: tuple[str, ...]  # context and removed lines, without their prefix
    removed: tuple[int, ...]  # indexes into old_lines of the removed lines


@dataclass(frozen=True)
class FilePatch:
    patch: Path
    target: str
    hunks: tuple[Hunk, ...]


def read_patch(patch: Path) -> list[FilePatch]:
    """Every file diff of a patch with its hunks (paths without the a/ b/ prefixes); hunk bodies are read by the
    line counts of their headers, so a removed line that starts with `--` is not taken for a file header."""
    result: list[FilePatch] = []
    target: str | None = None
    hunks: list[Hunk] = []
    lines = patch.read_text().splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if line.startswith("--- "):
            if target is not None:
                result.append(FilePatch(patch, target, tuple(hunks)))
            target, hunks = None, []
        elif line.startswith("+++ "):
            path = line[4:].split("\t")[0].strip()
            target = path[2:] if path.startswith(("a/", "b/")) else path
        elif (match := HUNK_HEADER.match(line)):
            old_count = int(match.group(2) or 1)
            new_count = int(match.group(4) or 1)
            old, removed = [], []
            while (old_count > 0 or new_count > 0) and i < len(lines):
                body = lines[i]
                i += 1
                kind, text = (body[:1], body[1:]) if body else (" ", "")
                if kind == "\\":
                    continue  # "\ No newline at end of file"
                if kind in (" ", "-"):
                    if kind == "-":
                        removed.append(len(old))
                    old.append(text)
                    old_count -= 1
                if kind in (" ", "+"):
                    new_count -= 1
            hunks.append(Hunk(len(hunks) + 1, int(match.group(1)), tuple(old), tuple(removed)))
    if target is not None:
        result.append(FilePatch(patch, target, tuple(hunks)))
    return result


def applies_at(hunk: Hunk, source: list[str], offset: int = 0) -> bool:
    start = hunk.old_start - 1 + offset
    return start >= 0 and source[start:start + len(hunk.old_lines)] == list(hunk.old_lines)


def locate(hunk: Hunk, source: list[str], limit: int = 300) -> int | None:
    """The 1-based line where a hunk's old lines are found, nearest to where its header says (None: nowhere
    within `limit` lines)."""
    for distance in range(limit + 1):
        for offset in ((0,) if distance == 0 else (distance, -distance)):
            if applies_at(hunk, source, offset):
                return hunk.old_start + offset
    return None


@dataclass(frozen=True)
class LocatedPatch:
    file_patch: FilePatch
    starts: tuple[int, ...]  # where each hunk applies to the source it was located in

    @property
    def name(self) -> str:
        return self.file_patch.patch.name


def patch_for(patches_dir: Path, target: str, source: list[str]) -> LocatedPatch | None:
    """The patch in a folder whose diff of `target` applies to `source` with every hunk found (an exact match
    preferred, then the smallest total offset)."""
    found = []
    for patch in sorted(patches_dir.glob("*.diff")):
        for file_patch in read_patch(patch):
            if file_patch.target != target or not file_patch.hunks:
                continue
            starts = [locate(h, source) for h in file_patch.hunks]
            if all(s is not None for s in starts):
                moved = sum(abs(s - h.old_start) for s, h in zip(starts, file_patch.hunks))
                found.append((moved, patch.name, LocatedPatch(file_patch, tuple(starts))))
    return min(found, key=lambda item: item[:2])[2] if found else None
