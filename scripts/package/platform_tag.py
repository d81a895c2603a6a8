#!/usr/bin/env python3
"""The manylinux platform tag the purewheel binary can carry, from what its ELF files really need.

A wheel may claim `manylinux_2_N_<arch>` when every symbol version its ELF files take from the system (glibc,
libstdc++, libgcc_s, zlib: the libraries of the policy's baseline, which the wheel does not carry) exists on every
system with glibc 2.N (PEP 600). The needs are read from the ELF files themselves (`.gnu.version_r`, the same table
`readelf -V` prints): the binary's, and those of every library outside the baseline that it loads, because those
libraries travel inside the wheel with the same needs. Which versions each glibc baseline offers is auditwheel's
policy table (`auditwheel/policy/manylinux-policy.json`, installed with the pinned auditwheel), so the answer is
the tag `auditwheel repair` reaches; scripts/package.sh passes it as `--plat` and compares it with `auditwheel show`.

    platform_tag.py ELF_FILE

Prints the tag (for example `manylinux_2_35_x86_64`) on the last line of stdout and, on stderr, the needs that keep
it from the next older baseline. The libraries are found as the loader finds them (`ldd`, so LD_LIBRARY_PATH
counts). Exit 65 names a file that is not a readable ELF file; exit 1 says that no manylinux policy fits.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from elftools.common.exceptions import ELFError
from elftools.elf.dynamic import DynamicSection
from elftools.elf.elffile import ELFFile
from elftools.elf.gnuversions import GNUVerNeedSection
from elftools.elf.sections import SymbolTableSection

ARCHITECTURES = {"EM_X86_64": "x86_64", "EM_AARCH64": "aarch64"}
# glibc's dynamic loader is part of glibc itself: never carried, and its versions are GLIBC versions.
LOADER = re.compile(r"ld-linux[-a-z0-9_.]*\.so\.[0-9]+")


class NotELF(Exception):
    """A file that cannot be read as an ELF file."""


@dataclass(frozen=True)
class Needs:
    """What one ELF file asks of the libraries it loads."""

    path: str
    architecture: str
    needed: tuple[str, ...]
    versions: dict[str, frozenset[str]]  # library soname -> symbol version names (GLIBC_2.17, GLIBCXX_3.4.21, ...)
    imported: frozenset[str]  # undefined dynamic symbols


def read_needs(path: Path) -> Needs:
    try:
        with path.open("rb") as handle:
            elf = ELFFile(handle)
            machine = elf["e_machine"]
            if machine not in ARCHITECTURES:
                raise NotELF(f"{path}: machine {machine} is none of {', '.join(ARCHITECTURES.values())}")
            needed: list[str] = []
            versions: dict[str, set[str]] = {}
            imported: set[str] = set()
            for section in elf.iter_sections():
                if isinstance(section, DynamicSection):
                    needed += [tag.needed for tag in section.iter_tags() if tag.entry.d_tag == "DT_NEEDED"]
                elif isinstance(section, GNUVerNeedSection):
                    for requirement, auxiliaries in section.iter_versions():
                        versions.setdefault(requirement.name, set()).update(aux.name for aux in auxiliaries)
                elif isinstance(section, SymbolTableSection) and section.name == ".dynsym":
                    imported.update(s.name for s in section.iter_symbols()
                                    if s.name and s["st_shndx"] == "SHN_UNDEF")
    except (OSError, ELFError) as error:
        raise NotELF(f"{path}: not a readable ELF file ({error})") from error
    return Needs(str(path), ARCHITECTURES[machine], tuple(needed),
                 {name: frozenset(names) for name, names in versions.items()}, frozenset(imported))


def loaded_libraries(path: Path) -> dict[str, Path]:
    """Every library the loader would load for `path` (soname -> file), as `ldd` resolves them."""
    result = subprocess.run(["ldd", str(path)], capture_output=True, text=True)
    if result.returncode != 0:
        raise NotELF(f"{path}: ldd failed: {(result.stderr or result.stdout).strip()}")
    libraries: dict[str, Path] = {}
    for line in result.stdout.splitlines():
        match = re.match(r"\s*(\S+) => (\S+) \(0x[0-9a-f]+\)$", line)
        if match:
            libraries[match.group(1)] = Path(match.group(2))
        elif "=> not found" in line:
            raise NotELF(f"{path}: the loader does not find {line.split()[0]}")
    return libraries


def load_policies() -> list[dict]:
    import auditwheel

    policy = Path(auditwheel.__file__).parent / "policy" / "manylinux-policy.json"
    return sorted((p for p in json.loads(policy.read_text()) if p["name"] != "linux"),
                  key=lambda p: p["priority"], reverse=True)


def unmet(policy: dict, files: list[Needs]) -> list[str]:
    """The needs of `files` that `policy` does not offer, as `VERSION (file)` or `symbol (file)`; [] when it fits."""
    offered = policy["symbol_versions"].get(files[0].architecture)
    if offered is None:
        return [f"no {files[0].architecture} baseline"]
    baseline = set(policy["lib_whitelist"])
    problems = []
    for needs in files:
        name = Path(needs.path).name
        for library, versions in sorted(needs.versions.items()):
            if library not in baseline and not LOADER.fullmatch(library):
                continue  # carried in the wheel
            for version in sorted(versions):
                family, _, number = version.partition("_")
                if family in offered and number not in offered[family]:
                    problems.append(f"{version} ({name})")
        for library in needs.needed:
            forbidden = set(policy["blacklist"].get(library, [])) & needs.imported
            problems += [f"{symbol} from {library} ({name})" for symbol in sorted(forbidden)]
    return problems


def wheel_files(binary: Needs, libraries: dict[str, Path], policy: dict) -> list[Needs]:
    """The binary and the libraries outside the policy's baseline: auditwheel grafts those, so their needs count."""
    baseline = set(policy["lib_whitelist"])
    return [binary] + [read_needs(path) for soname, path in sorted(libraries.items())
                       if soname not in baseline and not LOADER.fullmatch(soname)]


@dataclass(frozen=True)
class Choice:
    tag: str
    files: list[Needs]
    reasons: list[str]  # what the next older policy lacks; [] when the oldest fits


def choose(binary: Needs, libraries: dict[str, Path], policies: list[dict]) -> Choice:
    """The oldest policy (highest priority, as auditwheel ranks them) that every file fits."""
    verdicts = [(policy, wheel_files(binary, libraries, policy)) for policy in policies]
    verdicts = [(policy, files, unmet(policy, files)) for policy, files in verdicts]
    for index, (policy, files, problems) in enumerate(verdicts):
        if not problems:
            reasons = verdicts[index - 1][2] if index else []
            return Choice(f"{policy['name']}_{binary.architecture}", files, reasons)
    raise LookupError("no manylinux policy fits; the newest lacks " + ", ".join(verdicts[-1][2]))


def glibc_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.removeprefix("GLIBC_").split("."))


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 64
    path = Path(sys.argv[1])
    try:
        choice = choose(read_needs(path), loaded_libraries(path), load_policies())
    except NotELF as error:
        print(error, file=sys.stderr)
        return 65
    except LookupError as error:
        print(f"{path}: {error}", file=sys.stderr)
        return 1
    glibc = [(version, Path(needs.path).name) for needs in choice.files for versions in needs.versions.values()
             for version in versions if re.fullmatch(r"GLIBC_[0-9.]+", version)]
    newest = max(glibc, key=lambda item: glibc_key(item[0]), default=("no GLIBC version", path.name))
    why = "the oldest baseline" if not choice.reasons else "the next older baseline lacks " + ", ".join(choice.reasons)
    print(f"{path.name} and {len(choice.files) - 1} carried libraries: newest glibc symbol version {newest[0]} "
          f"({newest[1]}); {choice.tag}: {why}", file=sys.stderr)
    print(choice.tag)
    return 0


if __name__ == "__main__":
    sys.exit(main())
