"""The ml-metadata-remote end-to-end matrix (`python -m e2e mlmd [DIST]`; stdlib only).

1. Tools: pytest (one pure-Python --target dir for every client), uv and installer, all pinned by sha256.
2. Upstream platform wheels (their pins read from recipes/ml-metadata-remote.lock), fetched with `pip download`,
   one venv each.
3. Four MLMD servers (guest/mlmd_server.py): upstream 1.14.0 and 1.17.1, each with the in-memory and the SQLite
   backend.
4. The upstream baseline: the workload with each upstream wheel as the client, giving a normalized transcript.
5. The matrix: every pure wheel x {pip, uv, python -m installer} x CPython 3.9-3.13 that its Requires-Python and
   its dependencies allow; each installs into a fresh venv, runs the workload, and its transcript must equal the
   baseline's.
6. ARM: the pure wheel installed by, and the workload run on, an emulated aarch64 CPython (qemu-user).
7. Self-test: sabotaged copies of a pure wheel must make the workload fail.

Every check counts as passed, failed or skipped; the last line is `N passed, N failed, N skipped`.
"""
