"""The end-to-end drivers of purewheel, one package (stdlib only): run as `python -m e2e <part>` with scripts/ on
PYTHONPATH (`__main__.py` holds the one argument parser and the list of parts).

Shared modules, one job each: `paths` (where the package's files are), `proc` (running commands), `hashing`,
`report` (ok/FAIL lines and the closing `N passed, N failed` line), `pins` (the recipe lock files and `pip
download` of a pinned file), `interpreters` (CPython per minor version, ensurepip's pip), `wheelhouse` (pip's
resolution of a wheel's dependencies), `installers` (pip / uv / installer into a venv), `arm` (the emulated aarch64
CPython), `servers` (MLMD gRPC servers), `workload` (the MLMD pytest workload and its differential) and `selftest`
(sabotaged wheels). The parts: `build`, `check`, `crc32c`, `mlmd`, `package`, `popular`, `release`, `scan`,
`verify-env`; each has `add_arguments(parser)` and `main(args)`. Nothing holds module-level state: each part
builds its objects in `main` and passes them on. `guest/` holds the scripts that run inside the
interpreter under test (never imported by the driver).
"""
