"""End-to-end proof for recipes/google-crc32c-pure.toml (`python -m e2e crc32c`).

1. upstream: every file the lock pins, fetched with `pip download` for its own tags and checked against its pin
2. build: `purewheel build RECIPE --upstream-version V`, `purewheel check`; the wheel holds upstream's files minus the
   compiled code, byte for byte (cext.py included: no patch), plus the repack's SBOM; METADATA is upstream's
   unchanged; it passes `purewheel check --profile pypi`, `twine check --strict`, packaging's
   `Metadata.from_email(..., validate=True)` and its SBOM the CycloneDX 1.6 JSON schema (e2e/outputs.py)
3. every pinned file (30 for 1.9.0: five platforms x CPython 3.10-3.15) builds, with --wheel, to the same sha256
4. selection: pip, given a folder with upstream's files and the pure wheel (a private index), takes upstream's
   platform wheel where one fits and the pure wheel elsewhere (musllinux, armv7l, ppc64le, win_arm64, PyPy), and
   nothing for a CPython that upstream's Requires-Python excludes
5. native: upstream's x86-64 platform wheel in its own venv computes the reference checksums (implementation "c")
6. pure: the wheel installed with pip into fresh venvs of CPython 3.9-3.13 (an interpreter that Requires-Python
   excludes is a skip, and pip must refuse it there) and into the emulated aarch64 CPython 3.11 (qemu-user);
   each must run the pure fallback (implementation "python", upstream's RuntimeWarning, no native file) and give
   exactly the native checksums on the same bytes: b"", b"123456789" (0xe3069283), every prefix of 0-64 bytes
   and a 1 MiB random file, through value(), extend(), Checksum (update, copy, digest, hexdigest, consume)

Every check counts as passed or failed (skips are listed); the last line is `N passed, N failed`.
"""
