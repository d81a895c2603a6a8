"""The Python baseline for `purewheel build`: a zipfile rewriter doing the same job for a recipe such as
recipes/ml-metadata-remote.toml, in memory: check the input against its pin in the lock file, strip, apply
the patches (exact context, hunks may move up to max_offset lines), inject, rename the distribution,
rewrite METADATA and WHEEL (py3-none-any), recompute RECORD and write the wheel deterministically.

    python rewrite_wheel.py RECIPE.toml LOCK WHEEL VERSION OUTDIR

Linux inputs only (no newline normalization); needs `packaging` for version specifiers.
"""

import base64
import fnmatch
import hashlib
import os
import re
import sys
import tomllib
import zipfile

from packaging.specifiers import SpecifierSet


def applies(overlay, version):
    versions = overlay.get("versions")
    if isinstance(versions, list) and version not in versions:
        return False
    if isinstance(versions, str) and version not in SpecifierSet(versions):
        return False
    return "linux" in overlay.get("platforms", ["linux"])


def apply_patch(files, diff, max_offset):
    lines = diff.splitlines(keepends=True)
    i = 0
    while i < len(lines):
        if not lines[i].startswith("--- "):
            i += 1
            continue
        target = lines[i + 1][4:].strip().split("\t")[0].removeprefix("b/")
        i += 2
        text = files[target].decode().splitlines(keepends=True)
        delta = 0
        while i < len(lines) and lines[i].startswith("@@"):
            start = int(re.match(r"@@ -(\d+)", lines[i])[1])
            i += 1
            old, new = [], []
            while i < len(lines) and lines[i][:1] in (" ", "-", "+", "\\", "\n"):
                line = " \n" if lines[i] == "\n" else lines[i]
                if line[0] in " -":
                    old.append(line[1:])
                if line[0] in " +":
                    new.append(line[1:])
                i += 1
            expected = start - 1 + delta
            for offset in sorted(range(-max_offset, max_offset + 1), key=abs):
                at = expected + offset
                if at >= 0 and text[at : at + len(old)] == old:
                    break
            else:
                sys.exit(f"a hunk does not apply to {target}")
            text[at : at + len(old)] = new
            delta += len(new) - len(old) + offset
        files[target] = "".join(text).encode()


def rewrite_metadata(text, name, meta, replacements):
    head, _, body = text.partition("\n\n")
    out = []
    for line in head.split("\n"):
        key, _, value = line.partition(": ")
        if key == "Name":
            line = f"Name: {name}"
        elif key == "Summary":
            line = f"Summary: {meta['summary']}"
        elif key == "Requires-Dist" and re.split(r"[ <>=!~;(\[]", value, maxsplit=1)[0] in replacements:
            project = re.split(r"[ <>=!~;(\[]", value, maxsplit=1)[0]
            out += [f"Requires-Dist: {r}" for r in replacements.pop(project)]
            continue
        out.append(line)
    return "\n".join(out) + "\n\n" + meta["description_note"] + "\n\n" + body


def main():
    recipe_path, lock_path, wheel_path, version, outdir = sys.argv[1:6]
    with open(recipe_path, "rb") as f:
        recipe = tomllib.load(f)
    with open(lock_path, "rb") as f:
        lock = tomllib.load(f)
    recipe_dir = os.path.dirname(recipe_path)
    data = open(wheel_path, "rb").read()
    if hashlib.sha256(data).hexdigest() != lock["versions"][version][os.path.basename(wheel_path)]:
        sys.exit("the input does not match its pin")
    overlays = [o for o in recipe.get("overlay", []) if applies(o, version)]
    strip = recipe.get("strip", []) + [g for o in overlays for g in o.get("strip", [])]
    with zipfile.ZipFile(wheel_path) as zf:
        files = {i.filename: zf.read(i) for i in zf.infolist() if not i.is_dir()}
        modes = {i.filename: i.external_attr >> 16 for i in zf.infolist()}
    files = {n: b for n, b in files.items() if not any(fnmatch.fnmatchcase(n, g) for g in strip)}
    for overlay in overlays:
        for patch in overlay.get("patch", []):
            with open(os.path.join(recipe_dir, patch["file"]), encoding="utf-8") as f:
                apply_patch(files, f.read(), patch.get("max_offset", 0))
    for inject in recipe.get("inject", []):
        with open(os.path.join(recipe_dir, inject["file"]), "rb") as f:
            files[inject["path"]] = f.read()
    dist = recipe["output"]["distribution"]
    old_info = next(n.split("/")[0] for n in files if n.split("/")[0].endswith(".dist-info"))
    new_info = f"{dist.replace('-', '_')}-{version}.dist-info"
    files = {(new_info + n[len(old_info) :] if n.startswith(old_info + "/") else n): b for n, b in files.items()}
    files.pop(f"{new_info}/RECORD", None)
    replacements = {}
    for overlay in overlays:
        replacements.update(overlay.get("requirements", {}).get("replace", {}))
    meta = files[f"{new_info}/METADATA"].decode()
    files[f"{new_info}/METADATA"] = rewrite_metadata(meta, dist, recipe["metadata"], replacements).encode()
    wheel = [l for l in files[f"{new_info}/WHEEL"].decode().split("\n") if l and not l.startswith(("Tag:", "Root-Is-Purelib:", "Generator:"))]
    files[f"{new_info}/WHEEL"] = ("\n".join(wheel + ["Generator: rewrite_wheel.py", "Root-Is-Purelib: true", "Tag: py3-none-any"]) + "\n").encode()
    names = sorted(n for n in files if not n.startswith(new_info + "/")) + sorted(n for n in files if n.startswith(new_info + "/"))
    rows = []
    for name in names:
        digest = base64.urlsafe_b64encode(hashlib.sha256(files[name]).digest()).rstrip(b"=").decode()
        rows.append(f"{name},sha256={digest},{len(files[name])}")
    rows.append(f"{new_info}/RECORD,,")
    files[f"{new_info}/RECORD"] = ("\n".join(rows) + "\n").encode()
    names.append(f"{new_info}/RECORD")
    out = os.path.join(outdir, f"{dist.replace('-', '_')}-{version}-py3-none-any.whl")
    with zipfile.ZipFile(out + ".tmp", "w", zipfile.ZIP_DEFLATED) as zf:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = (0o100755 if modes.get(name, 0) & 0o111 else 0o100644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, files[name])
    os.replace(out + ".tmp", out)
    print(out)


if __name__ == "__main__":
    main()
