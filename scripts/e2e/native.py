"""Native code never passes as pure (part of `python -m e2e check`):
real objects compiled here with gcc go into `py3-none-any` wheels, and `purewheel check` (default and `--profile
pypi`) must fail every one a process loads: a CPython extension linked plainly, one linked with an interpreter
(`PT_INTERP` from an `.interp` section, as `libc.so.6` has; this Python imports it to prove it loads), a PIE named
like an extension module, and this machine's `libc.so.6` under a name that hides it. A `-pie` program under a
program's name stays a warning (PW707). `build --allow-unpinned` refuses a platform wheel whose unstripped extension
has an interpreter. Ends with `N passed, N failed`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import struct
import sys
import sysconfig
import tempfile
import zipfile
from pathlib import Path

from .proc import run
from .report import Report

EXTENSION_SOURCE = r"""
#include <Python.h>
#ifdef WITH_INTERPRETER
/* GNU ld gives a -shared object PT_INTERP only for an .interp section, as glibc's own libc.so.6 has. */
const char interpreter[] __attribute__((section(".interp"))) = "/lib64/ld-linux-x86-64.so.2";
#endif
static PyObject *value(PyObject *self, PyObject *args) { return PyLong_FromLong(42); }
static PyMethodDef methods[] = {{"value", value, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_probe", NULL, -1, methods};
PyMODINIT_FUNC PyInit__probe(void) { return PyModule_Create(&module); }
"""

PROGRAM_SOURCE = "int main(void) { return 0; }\n"

EXTENSION_NAME = "_probe" + (sysconfig.get_config_var("EXT_SUFFIX") or ".so")


def elf_facts(path: Path) -> tuple[int, bool, bool]:
    """(e_type, has PT_INTERP, DF_1_PIE set) of a 64-bit little-endian ELF file, read from its headers."""
    data = path.read_bytes()
    e_type, = struct.unpack_from("<H", data, 16)
    phoff, = struct.unpack_from("<Q", data, 32)
    phentsize, phnum = struct.unpack_from("<HH", data, 54)
    interp, pie = False, False
    for index in range(phnum):
        p_type, _, p_offset, _, _, p_filesz = struct.unpack_from("<IIQQQQ", data, phoff + index * phentsize)
        if p_type == 3:
            interp = True
        if p_type == 2:
            for at in range(p_offset, p_offset + p_filesz, 16):
                tag, val = struct.unpack_from("<qQ", data, at)
                if tag == 0:
                    break
                if tag == 0x6FFFFFFB:
                    pie = bool(val & 0x08000000)
    return e_type, interp, pie


def record_row(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def write_wheel(path: Path, files: dict[str, bytes], tag: str = "py3-none-any") -> Path:
    """A wheel of `demo` 1.0 holding `files`, with METADATA, WHEEL and a correct RECORD."""
    dist_info = "demo-1.0.dist-info"
    files = dict(files)
    files[f"{dist_info}/METADATA"] = b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n"
    pure = "true" if tag.endswith("none-any") else "false"
    files[f"{dist_info}/WHEEL"] = f"Wheel-Version: 1.0\nGenerator: e2e\nRoot-Is-Purelib: {pure}\nTag: {tag}\n".encode()
    rows = [record_row(name, data) for name, data in files.items()] + [f"{dist_info}/RECORD,,"]
    files[f"{dist_info}/RECORD"] = ("\n".join(rows) + "\n").encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def findings(binary: Path, wheel: Path, *profile: str) -> tuple[int, list[tuple[str, str, str]]]:
    """Exit code and (code, severity, entry) of `purewheel check --format json`."""
    result = run([binary, "check", "--format", "json", *profile, wheel])
    try:
        report = json.loads(result.out)["wheels"][0]
    except (ValueError, KeyError, IndexError):
        return result.code, [("unreadable output", result.err.strip()[:200], "")]
    return result.code, [(f["code"], f["severity"], f.get("entry") or "") for f in report["findings"]]


def check_native(report: Report, binary: Path) -> None:
    """Every check of this module, counted in `report`."""
    if shutil.which("gcc") is None:
        report.check("gcc is installed", False, "the native-code checks compile real objects")
        return
    with tempfile.TemporaryDirectory(prefix="purewheel-native-") as scratch:
        run_checks(report, binary, Path(scratch))


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 64
    report = Report()
    check_native(report, Path(sys.argv[1]).resolve())
    print(report.closing_line(), flush=True)
    return report.exit_code()


def compile_objects(report: Report, work: Path) -> dict[str, Path]:
    (work / "probe.c").write_text(EXTENSION_SOURCE)
    (work / "tool.c").write_text(PROGRAM_SOURCE)
    include = sysconfig.get_paths()["include"]
    plain, interpreted, pie = work / "plain" / EXTENSION_NAME, work / "interp" / EXTENSION_NAME, work / "tool"
    for target in (plain, interpreted):
        target.parent.mkdir()
    builds = {
        "plain extension": ["gcc", "-shared", "-fPIC", "-I", include, "-o", plain, work / "probe.c"],
        "extension with PT_INTERP": ["gcc", "-shared", "-fPIC", "-DWITH_INTERPRETER", "-I", include, "-o", interpreted,
                                     work / "probe.c"],
        "PIE program": ["gcc", "-pie", "-fPIE", "-o", pie, work / "tool.c"],
    }
    for name, command in builds.items():
        result = run(command)
        report.check(f"gcc builds the {name}", result.code == 0, result.tail())
    return {"plain": plain, "interpreted": interpreted, "pie": pie}


def run_checks(report: Report, binary: Path, work: Path) -> None:
    objects = compile_objects(report, work)
    if not all(path.exists() for path in objects.values()):
        return
    report.check("the extension linked with an interpreter has PT_INTERP and no DF_1_PIE",
                 elf_facts(objects["interpreted"]) == (3, True, False), str(elf_facts(objects["interpreted"])))
    report.check("the -pie program is ET_DYN with PT_INTERP and DF_1_PIE",
                 elf_facts(objects["pie"]) == (3, True, True), str(elf_facts(objects["pie"])))
    imported = run([sys.executable, "-c", "import _probe; print(_probe.value())"], cwd=objects["interpreted"].parent)
    report.check("this Python imports the extension linked with an interpreter", imported.out.strip() == "42",
                 imported.tail())
    libc = Path("/lib/x86_64-linux-gnu/libc.so.6")
    loadable = {
        f"demo/{EXTENSION_NAME} (plain)": (f"demo/{EXTENSION_NAME}", objects["plain"].read_bytes()),
        f"demo/{EXTENSION_NAME} (PT_INTERP)": (f"demo/{EXTENSION_NAME}", objects["interpreted"].read_bytes()),
        "demo/_probe.abi3.so (a PIE)": ("demo/_probe.abi3.so", objects["pie"].read_bytes()),
        "demo/_data/blob (PT_INTERP, hidden name)": ("demo/_data/blob", objects["interpreted"].read_bytes()),
    }
    if libc.exists() and elf_facts(libc)[1]:
        loadable["demo/_vendor/runtime (libc.so.6)"] = ("demo/_vendor/runtime", libc.read_bytes())
    for index, (label, (entry, data)) in enumerate(loadable.items()):
        wheel = write_wheel(work / f"loadable{index}" / "demo-1.0-py3-none-any.whl", {"demo/__init__.py": b"", entry: data})
        for profile in ((), ("--profile", "pypi")):
            code, found = findings(binary, wheel, *profile)
            name = f"check {' '.join(profile) or '(default)'} fails {label} with PW701"
            report.check(name, code == 1 and found == [("PW701", "error", entry)], f"exit {code}: {found}")
    program = write_wheel(work / "program" / "demo-1.0-py3-none-any.whl",
                          {"demo/__init__.py": b"", "demo/bin/tool": objects["pie"].read_bytes()})
    code, found = findings(binary, program)
    report.check("check warns (PW707) on a -pie program with a program's name", code == 0 and
                 found == [("PW707", "warning", "demo/bin/tool")], f"exit {code}: {found}")
    build_refuses_unstripped_extension(report, binary, work, objects["interpreted"].read_bytes())


def build_refuses_unstripped_extension(report: Report, binary: Path, work: Path, extension: bytes) -> None:
    """A platform wheel whose second extension (linked with an interpreter) the recipe does not strip."""
    folder = work / "build"
    tag = "cp311-cp311-manylinux_2_17_x86_64"
    wheel = write_wheel(folder / "in" / f"demo-1.0-{tag}.whl", {
        "demo/__init__.py": b"from demo import _accel\n", "demo/_ext.so": extension, f"demo/_accel{EXTENSION_NAME[6:]}": extension,
    }, tag=tag)
    recipe = folder / "recipes" / "demo.toml"
    recipe.parent.mkdir(parents=True)
    recipe.write_text('schema = 1\nstrip = ["demo/_ext.so"]\n[source]\ndistribution = "demo"\ncanonical_platform = "linux"\n'
                      '[output]\ndistribution = "demo-pure"\ntag = "py3-none-any"\n[metadata]\nsummary = "Pure demo"\n')
    (folder / "recipes" / "demo.lock").write_text('schema = 1\ndistribution = "demo"\n')
    result = run([binary, "build", recipe, "--wheel", wheel, "--allow-unpinned", "--out", folder / "dist"])
    written = list((folder / "dist").glob("*.whl")) if (folder / "dist").exists() else []
    report.check("build --allow-unpinned refuses a kept extension linked with an interpreter (exit 1, PW701)",
                 result.code == 1 and "PW701" in result.err and not written, f"exit {result.code}: {result.tail()}")


if __name__ == "__main__":
    sys.exit(main())
