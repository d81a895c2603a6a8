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
    return source[start:start + len(hunk.old_lines)] == list(hunk.old_lines)


def exact_patch_for(patches_dir: Path, target: str, source: list[str]) -> FilePatch | None:
    """The patch in a folder whose diff of `target` applies to `source` with every hunk exactly where it says."""
    for patch in sorted(patches_dir.glob("*.diff")):
        for file_patch in read_patch(patch):
            if file_patch.target == target and file_patch.hunks and all(
                    applies_at(h, source) for h in file_patch.hunks):
                return file_patch
    return None
