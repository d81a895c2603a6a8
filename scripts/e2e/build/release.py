"""Section 4c: what ml-metadata-remote says about itself as a release (recipe-controlled metadata, licence notices,
the repack's SBOM), read from each output and compared with the recipe, its lock and its files on disk."""

from __future__ import annotations

import email.parser
import json
import zipfile
from pathlib import Path

from ..hashing import sha256_file
from ..interpreters import PYTHONS, python_allowed
from ..pins import lock_path, read_pins, read_toml

Check = tuple[str, bool, str]
# The files a patch changes or an inject adds in every version (each must carry the recipe's notice).
CHANGED = ("ml_metadata/metadata_store/metadata_store.py", "ml_metadata/metadata_store/mlmd_types.py",
           "ml_metadata/simple_types/simple_types_constants.py")


def release_fields(recipe_path: Path, version: str, wheel: Path) -> list[Check]:
    recipe = read_toml(recipe_path)
    pins, _ = read_pins(recipe_path)
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        dist_info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA"))
        meta = email.parser.BytesParser().parsebytes(z.read(f"{dist_info}/METADATA"))
        texts = {name: z.read(name).decode() for name in CHANGED if name in names}
        sbom = json.loads(z.read(f"{dist_info}/sboms/purewheel.cdx.json")) if f"{dist_info}/sboms/purewheel.cdx.json" in names else {}
    out: list[Check] = []
    classifiers = meta.get_all("Classifier") or []
    proven = [f"Programming Language :: Python :: {m}" for m in PYTHONS if python_allowed(meta["Requires-Python"], m)]
    out.append(("Metadata-Version 2.5, Import-Name ml_metadata",
                meta["Metadata-Version"] == "2.5" and meta.get_all("Import-Name") == ["ml_metadata"],
                f"{meta['Metadata-Version']}, {meta.get_all('Import-Name')}"))
    licence = f"{dist_info}/licenses/LICENSE"
    out.append(("License-Expression Apache-2.0, no License field, License-File under .dist-info/licenses/",
                meta["License-Expression"] == "Apache-2.0" and meta["License"] is None
                and meta.get_all("License-File") == ["LICENSE"] and licence in names,
                f"{meta['License-Expression']!r}, License {meta['License']!r}, {meta.get_all('License-File')}, {licence in names}"))
    python = sorted((c for c in classifiers if c.startswith("Programming Language :: Python :: 3.")),
                    key=lambda c: tuple(int(x) for x in c.rsplit(" ", 1)[1].split(".")))
    out.append(("Python classifiers = the CPython versions the e2e installs into (Requires-Python "
                f"{meta['Requires-Python']})", python == proven, f"{[c.rsplit(' ', 1)[1] for c in python]}"))
    systems = [c for c in classifiers if c.startswith("Operating System ::")]
    out.append(("Operating System :: OS Independent only, no licence classifier",
                systems == ["Operating System :: OS Independent"] and not any(c.startswith("License ::") for c in classifiers),
                str(systems)))
    wanted_urls = recipe["metadata"].get("project_urls", [])
    urls = meta.get_all("Project-URL") or []
    out.append(("Project-URL: the recipe's added, upstream's Home-page kept",
                all(u in urls for u in wanted_urls) and bool(wanted_urls) and meta["Home-page"] is not None,
                f"{urls}, Home-page {meta['Home-page']}"))
    notice = recipe["notice"]
    for name in CHANGED:
        lines = texts.get(name, "").splitlines()
        at = lines.index(notice) if notice in lines else -1
        ok = lines.count(notice) == 1 and (at == 0 or lines[at - 1].startswith("#"))
        out.append((f"{name.rsplit('/', 1)[1]}: the notice right after the licence header", ok,
                    f"line {at + 1}" if at >= 0 else "missing"))
    out += sbom_contents(recipe_path, recipe, pins.get(version, {}), version, sbom)
    return out


def sbom_contents(recipe_path: Path, recipe: dict, pins: dict[str, str], version: str, sbom: dict) -> list[Check]:
    component = sbom.get("metadata", {}).get("component", {})
    tools = [t.get("name") for t in sbom.get("metadata", {}).get("tools", {}).get("components", [])]
    ancestors = {a.get("purl"): a.get("hashes", [{}])[0].get("content") for a in component.get("pedigree", {}).get("ancestors", [])}
    distribution = recipe["source"]["distribution"]
    expected = {f"pkg:pypi/{distribution}@{version}?file_name={name}": digest for name, digest in pins.items()}
    out = [(f"SBOM: pkg:pypi/ml-metadata-remote@{version}, made by purewheel, every pinned file of {version} as an "
            "ancestor with its sha256", component.get("purl") == f"pkg:pypi/ml-metadata-remote@{version}"
            and tools == ["purewheel"] and ancestors == expected, f"{len(ancestors)} ancestors, {len(expected)} pins")]
    removed = [p["value"] for p in component.get("properties", []) if p.get("name") == "purewheel:removed"]
    out.append(("SBOM: the recipe's strip globs as purewheel:removed", "ml_metadata/metadata_store/pywrap/metadata_store_extension.*" in removed,
                f"{len(removed)} globs"))
    on_disk = {"recipe": recipe_path, "lock": lock_path(recipe_path)}
    wrong = []
    inputs = [c for f in sbom.get("formulation", []) for c in f.get("components", [])]
    for item in inputs:
        role = next((p["value"] for p in item.get("properties", []) if p.get("name") == "purewheel:role"), "")
        path = on_disk[role] if role in on_disk else recipe_path.parent / item.get("name", "")
        if not path.is_file() or sha256_file(path) != item.get("hashes", [{}])[0].get("content"):
            wrong.append(f"{role} {item.get('name')}")
    roles = sorted({next((p["value"] for p in i.get("properties", []) if p.get("name") == "purewheel:role"), "")
                    for i in inputs})
    out.append(("SBOM: recipe, lock, patches and injected files, each with the sha256 of the file on disk",
                not wrong and roles == ["inject", "lock", "patch", "recipe"], ", ".join(wrong) or f"roles {roles}"))
    return out
