"""Writes the hash-pinned dependency sets that prove a recipe's relaxed bounds (`sets/`, read by `bounds.py`).

    cd scripts && python -B -m e2e.mlmd.boundsets DIST [--versions 1.17.1,1.21.0] [--pythons 3.11]

For each pure wheel `DIST/ml_metadata_remote-<v>-py3-none-any.whl` (by default every one whose description lists
relaxed bounds) and each CPython minor version (default 3.11), two sets, resolved by that interpreter's pip against
its configured index, binary wheels only:

- `<v>-cp<XY>-lowest.txt`: every requirement of the wheel that applies to that interpreter pinned to its lowest
  release that the wheel's Requires-Dist allows and that has a wheel for that interpreter (pip's own list of
  candidates); what they need in turn as pip resolves it;
- `<v>-cp<XY>-newest.txt`: pip's resolution of the wheel, which takes the newest release each bound allows.

Each file records the Requires-Dist it was made for; the e2e refuses a set whose wheel has other requirements, so a
recipe change that is not proven again fails instead of passing on stale sets."""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

from ..hashing import sha256_file
from ..interpreters import Interpreters, full_version, version_tuple
from ..proc import run
from ..wheels import metadata

SETS = Path(__file__).resolve().parent / "sets"
KINDS = ("lowest", "newest")
RELAXED = re.compile(r"^- `([^`]+)` → `([^`]+)`: ")


def relaxed_bounds(wheel: Path) -> list[str]:
    """The `old → new` lines of the wheel's description (what the recipe relaxed), in order."""
    body = metadata(wheel).get_payload() or ""
    return [f"{m.group(1)} → {m.group(2)}" for m in map(RELAXED.match, body.splitlines()) if m]


def requirements(wheel: Path) -> list[str]:
    """The wheel's Requires-Dist without extras' requirements, as written."""
    return [r for r in metadata(wheel).get_all("Requires-Dist") or [] if "extra" not in r.partition(";")[2]]


def header_line(wheel: Path) -> str:
    return "# requires-dist: " + " | ".join(requirements(wheel))


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def applies(marker: str, python: str) -> bool:
    """A marker of `python_version` clauses joined by `and` (all this recipe's upstream uses), for one interpreter."""
    ok = True
    for clause in filter(None, (c.strip() for c in marker.split(" and "))):
        m = re.fullmatch(r"""python_version\s*(<=|>=|==|!=|<|>)\s*["']([0-9.]+)["']""", clause)
        if not m:
            raise SystemExit(f"boundsets: cannot evaluate marker clause {clause!r}; extend applies()")
        left, right = version_tuple(python)[:2], version_tuple(m.group(2))
        ok &= {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right, "==": left == right,
               "!=": left != right}[m.group(1)]
    return ok


def allowed(version: str, specifier: str) -> bool:
    """Whether a release version satisfies plain clauses (`>=0.9`, `<3`); refuses what it cannot compare."""
    v = version_tuple(version)
    for clause in filter(None, (c.strip() for c in specifier.split(","))):
        m = re.fullmatch(r"(<=|>=|==|!=|<|>)\s*([0-9]+(?:\.[0-9]+)*)", clause)
        if not m:
            raise SystemExit(f"boundsets: cannot compare clause {clause!r}")
        bound = version_tuple(m.group(2))
        width = max(len(v), len(bound))
        left, right = v + (0,) * (width - len(v)), bound + (0,) * (width - len(bound))
        if not {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right, "==": left == right,
                "!=": left != right}[m.group(1)]:
            return False
    return True


def candidates(python: Path, name: str) -> list[str]:
    """The releases of a project that pip would take for this interpreter, binary wheels only, in ascending order.

    pip lists them when asked for a version that cannot exist; final releases only."""
    result = run([python, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check",
                  "-d", tempfile.gettempdir(), f"{name}===purewheel-no-such-version"])
    m = re.search(r"\(from versions: ([^)]*)\)", result.err)
    if not m:
        raise SystemExit(f"boundsets: pip lists no releases of {name}:\n{result.tail()}")
    releases = [v.strip() for v in m.group(1).split(",") if re.fullmatch(r"[0-9]+(\.[0-9]+)*", v.strip())]
    return sorted(releases, key=version_tuple)


def lowest_pins(python: Path, minor: str, wheel: Path) -> list[str]:
    """`name==version` for every requirement that applies to this interpreter, at its lowest allowed release."""
    pins = []
    for text in requirements(wheel):
        spec, _, marker = text.partition(";")
        if not applies(marker, minor):
            continue
        m = re.fullmatch(r"\s*([A-Za-z0-9._-]+)\s*\(?([^)]*)\)?\s*", spec)
        if not m:
            raise SystemExit(f"boundsets: cannot read requirement {text!r}")
        name, specifier = m.group(1), m.group(2)
        found = [v for v in candidates(python, name) if allowed(v, specifier)]
        if not found:
            raise SystemExit(f"boundsets: no release of {name} with a wheel for CPython {minor} satisfies {specifier}")
        pins.append(f"{name}=={found[0]}")
    return pins


def resolve(python: Path, wheel: Path, constraints: list[str]) -> list[tuple[str, str, str]]:
    """(name, version, sha256) of every file pip downloads for the wheel's dependencies, sorted by name."""
    with tempfile.TemporaryDirectory() as folder:
        args = [python, "-m", "pip", "download", "--quiet", "--only-binary=:all:", "--disable-pip-version-check",
                "-d", folder]
        if constraints:
            constraint_file = Path(folder, "constraints.txt")
            constraint_file.write_text("\n".join(constraints) + "\n")
            args += ["-c", constraint_file]
        result = run([*args, wheel])
        if result.code != 0:
            raise SystemExit(f"boundsets: pip cannot resolve {wheel.name} with {constraints}:\n{result.tail(12)}")
        files = sorted(p for p in Path(folder).glob("*.whl") if p.name != wheel.name)
        return sorted((normalized(p.name.split("-")[0]), p.name.split("-")[1], sha256_file(p)) for p in files)


def write_set(path: Path, version: str, minor: str, kind: str, wheel: Path, python: Path,
              pinned: list[tuple[str, str, str]]) -> None:
    what = {"lowest": f"every requirement at its lowest allowed release with a wheel for CPython {minor}, the rest "
                      "as pip resolves it",
            "newest": "pip's resolution: the newest release each bound allows"}[kind]
    lines = [f"# ml-metadata-remote {version} on CPython {minor} ({full_version(python)}), {kind}: {what}.",
             "# Written by `python -m e2e.mlmd.boundsets` (scripts/e2e/mlmd/boundsets.py); do not edit.",
             header_line(wheel)]
    lines += [f"{name}=={release} --hash=sha256:{digest}" for name, release, digest in pinned]
    path.write_text("\n".join(lines) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dist", help="directory with ml_metadata_remote-<v>-py3-none-any.whl")
    parser.add_argument("--versions", help="comma-separated (default: every wheel with relaxed bounds)")
    parser.add_argument("--pythons", default="3.11", help="comma-separated CPython minor versions (default 3.11)")
    args = parser.parse_args()
    dist = Path(args.dist).resolve()
    wheels = {w.name.split("-")[1]: w for w in sorted(dist.glob("ml_metadata_remote-*-py3-none-any.whl"))}
    versions = args.versions.split(",") if args.versions else [v for v, w in wheels.items() if relaxed_bounds(w)]
    interpreters = Interpreters()
    SETS.mkdir(exist_ok=True)
    for version in versions:
        wheel = wheels.get(version)
        if wheel is None:
            raise SystemExit(f"boundsets: no ml_metadata_remote-{version}-py3-none-any.whl in {dist}")
        for minor in args.pythons.split(","):
            python = interpreters.find(minor)
            if python is None:
                raise SystemExit(f"boundsets: CPython {minor} is not installed")
            tag = f"cp{minor.replace('.', '')}"
            for kind in KINDS:
                constraints = lowest_pins(python, minor, wheel) if kind == "lowest" else []
                path = SETS / f"{version}-{tag}-{kind}.txt"
                write_set(path, version, minor, kind, wheel, python, resolve(python, wheel, constraints))
                print(f"wrote {path.relative_to(SETS.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
