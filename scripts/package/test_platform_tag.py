#!/usr/bin/env python3
"""Checks scripts/package/platform_tag.py on small ELF files compiled here with `cc` (the symbol versions pinned
with `.symver`, so the needs do not depend on this machine's glibc beyond its having them) and on needs written out
by hand against auditwheel's policy table: an old-only library gets the oldest baseline, a glibc 2.34 function moves
it to manylinux_2_34, a carried library's needs count as the wheel's, a libstdc++ version alone raises the tag, and
a private glibc version, an unknown architecture or a text file are refused.

    test_platform_tag.py        (cc and ldd on PATH, pyelftools and auditwheel importable; prints `ok   - NAME` /
                                 `FAIL - NAME` lines, exits 1 on any failure)
"""
from __future__ import annotations

import platform
import subprocess
import sys
import tempfile
from pathlib import Path

import platform_tag
from platform_tag import Needs

HERE = Path(__file__).resolve().parent
ARCH = platform.machine()
# The first symbol version of each architecture's glibc, and the oldest manylinux policy that has the architecture.
BASE = {"x86_64": ("GLIBC_2.2.5", "manylinux_2_5"), "aarch64": ("GLIBC_2.17", "manylinux_2_17")}[ARCH]
failures = 0


def report(passed: bool, name: str, detail: str = "") -> None:
    global failures
    failures += not passed
    print(f"{'ok  ' if passed else 'FAIL'} - {name}")
    if detail and not passed:
        print("\n".join(f"    {line}" for line in detail.splitlines()))


def compile_library(scratch: Path, name: str, source: str, *flags: str) -> Path:
    (scratch / f"{name}.c").write_text(source)
    out = scratch / f"lib{name}.so"
    subprocess.run(["cc", "-shared", "-fPIC", "-O1", "-o", str(out), str(scratch / f"{name}.c"), *flags],
                   check=True, capture_output=True, text=True)
    return out


def run(path: Path) -> tuple[int, str, str]:
    result = subprocess.run([sys.executable, "-B", str(HERE / "platform_tag.py"), str(path)],
                            capture_output=True, text=True)
    return result.returncode, result.stdout.strip().splitlines()[-1] if result.stdout.strip() else "", result.stderr


def expect_tag(name: str, path: Path, tag: str, reason: str | None = None) -> None:
    status, out, err = run(path)
    report(status == 0 and out == tag and (reason is None or reason in err), f"{name}: {tag}",
           f"exit {status}, stdout {out!r}\n{err}")


def needs(versions: dict[str, set[str]], imported: set[str] = frozenset(), arch: str = ARCH) -> Needs:
    return Needs("probe", arch, tuple(versions), {k: frozenset(v) for k, v in versions.items()}, frozenset(imported))


def main() -> int:
    policies = platform_tag.load_policies()
    with tempfile.TemporaryDirectory() as directory:
        scratch = Path(directory)
        old = compile_library(scratch, "old", f"""
#include <string.h>
__asm__(".symver memcpy, memcpy@{BASE[0]}");
void *copy(void *d, const void *s, size_t n) {{ return memcpy(d, s, n); }}
""")
        expect_tag("a library that needs only the first glibc version", old, f"{BASE[1]}_{ARCH}", "the oldest baseline")

        threads = compile_library(scratch, "threads", """
#include <pthread.h>
__asm__(".symver pthread_create, pthread_create@GLIBC_2.34");
static void *body(void *p) { return p; }
int start(pthread_t *t) { return pthread_create(t, 0, body, 0); }
""")
        expect_tag("pthread_create@GLIBC_2.34 (in libc since glibc 2.34)", threads, f"manylinux_2_34_{ARCH}",
                   "lacks GLIBC_2.34 (libthreads.so)")

        carrier = compile_library(scratch, "carrier", f"""
#include <string.h>
__asm__(".symver memcpy, memcpy@{BASE[0]}");
int start(void *t);
void *copy(void *d, const void *s, size_t n) {{ start(d); return memcpy(d, s, n); }}
""", f"-L{scratch}", "-lthreads", "-Wl,-rpath,$ORIGIN")
        expect_tag("an old-only library that loads the 2.34 one: the carried library's needs count", carrier,
                   f"manylinux_2_34_{ARCH}", "GLIBC_2.34 (libthreads.so)")

        text = scratch / "notes.txt"
        text.write_text("not an ELF file\n")
        status, _, err = run(text)
        report(status == 65 and "notes.txt" in err, "a text file is exit 65 naming it", f"exit {status}\n{err}")

    first = next(p for p in policies if ARCH in p["symbol_versions"])
    choice = platform_tag.choose(needs({"libc.so.6": {BASE[0]}}), {}, policies)
    report(choice.tag == f"{first['name']}_{ARCH}", f"written-out needs: {BASE[0]} alone is {choice.tag}")
    choice = platform_tag.choose(needs({"libc.so.6": {"GLIBC_2.17"}, "libstdc++.so.6": {"GLIBCXX_3.4.30"}}), {},
                                 policies)
    report(choice.tag == f"manylinux_2_35_{ARCH}" and any("GLIBCXX_3.4.30" in r for r in choice.reasons),
           f"GLIBC_2.17 with GLIBCXX_3.4.30 (GCC 12's libstdc++) is {choice.tag}", "\n".join(choice.reasons))
    choice = platform_tag.choose(needs({"libcrypto.so.3": {"OPENSSL_3.0.0"}, "libc.so.6": {"GLIBC_2.17"}}), {},
                                 policies)
    report(choice.tag == f"manylinux_2_17_{ARCH}", f"a carried library's own versions do not count ({choice.tag})")
    try:
        choice = platform_tag.choose(needs({"libc.so.6": {"GLIBC_2.17", "GLIBC_PRIVATE"}}), {}, policies)
        report(False, "GLIBC_PRIVATE fits no policy", choice.tag)
    except LookupError as error:
        report("GLIBC_PRIVATE" in str(error), "GLIBC_PRIVATE fits no policy (LookupError naming it)", str(error))
    blacklisted = next(((lib, sorted(symbols)[0]) for p in policies for lib, symbols in p["blacklist"].items()
                        if symbols and ARCH in p["symbol_versions"]), None)
    if blacklisted:
        lib, symbol = blacklisted
        choice = platform_tag.choose(needs({lib: set(), "libc.so.6": {"GLIBC_2.17"}}, {symbol}), {}, policies)
        newest = policies[-1]["name"]
        report(choice.tag != f"manylinux_2_17_{ARCH}",
               f"a symbol on a policy's blacklist ({symbol} from {lib}) moves the tag ({choice.tag}, newest {newest})")
    print(f"{'all passed' if not failures else f'{failures} failed'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
