"""Test-made upstream releases: a real upstream wheel rewritten with Python's zipfile under another version
(file name, `.dist-info` folder, METADATA `Version`, `ml_metadata/version.py`), with edits to one source file and a
recomputed RECORD (sha256 urlsafe base64 without padding, sizes). Every other entry keeps its bytes, order, time and
mode."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Callable, Sequence

from ..wheels import record_bytes

Edit = Callable[[str], str]  # new text of one source file from the old


def renamed(name: str, old_dist_info: str, new_dist_info: str) -> str:
    return new_dist_info + name[len(old_dist_info):] if name.startswith(old_dist_info) else name


def make_release(upstream: Path, old_version: str, new_version: str, edits: dict[str, Edit], out_dir: Path) -> Path:
    """Writes the rewritten wheel into out_dir and returns its path."""
    old_name = upstream.name
    if f"-{old_version}-" not in old_name:
        raise ValueError(f"{old_name} is not a {old_version} wheel")
    out = out_dir / old_name.replace(f"-{old_version}-", f"-{new_version}-", 1)
    project = old_name.split("-")[0]
    old_info, new_info = f"{project}-{old_version}.dist-info/", f"{project}-{new_version}.dist-info/"
    with zipfile.ZipFile(upstream) as source:
        infos = source.infolist()
        contents = {info.filename: source.read(info) for info in infos}
    record_name = old_info + "RECORD"
    if record_name not in contents:
        raise ValueError(f"{old_name} has no {record_name}")
    edits = dict(edits)
    edits[old_info + "METADATA"] = lambda text: re.sub(r"(?m)^Version: .*$", f"Version: {new_version}", text, count=1)
    edits["ml_metadata/version.py"] = lambda text: text.replace(f"'{old_version}'", f"'{new_version}'")
    for path, edit in edits.items():
        if path not in contents:
            raise ValueError(f"{old_name} has no {path}")
        before = contents[path].decode("utf-8")
        after = edit(before)
        if after == before:
            raise ValueError(f"the edit of {path} changed nothing")
        contents[path] = after.encode("utf-8")
    entries = {renamed(i.filename, old_info, new_info): contents[i.filename] for i in infos if not i.filename.endswith("/")}
    contents[record_name] = record_bytes(entries, new_info + "RECORD")
    out_dir.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w") as target:
        for info in infos:
            copy = zipfile.ZipInfo(renamed(info.filename, old_info, new_info), date_time=info.date_time)
            copy.compress_type = info.compress_type
            copy.external_attr = info.external_attr
            copy.create_system = info.create_system
            target.writestr(copy, contents[info.filename])
    return out


def insert_lines(line_number: int, lines: Sequence[str]) -> Edit:
    """Inserts lines before a 1-based line number (the text keeps its line endings)."""
    def edit(text: str) -> str:
        old = text.splitlines(keepends=True)
        return "".join(old[: line_number - 1] + [line + "\n" for line in lines] + old[line_number - 1:])
    return edit


def change_line(line_number: int, suffix: str) -> Edit:
    """Appends text to one 1-based line."""
    def edit(text: str) -> str:
        old = text.splitlines(keepends=True)
        body = old[line_number - 1].rstrip("\n")
        old[line_number - 1] = body + suffix + "\n"
        return "".join(old)
    return edit
