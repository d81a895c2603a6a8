"""End-to-end proof of `purewheel build` on the real upstream ml-metadata wheels (`python -m e2e build`).

Sections (each prints `ok - name` / `FAIL - name` lines; the last line is `N passed, N failed`):
  1. fetch every pinned upstream file with `pip download` (as purewheel's fetcher does) and verify its sha256
  2. `purewheel build RECIPE --upstream-version 1.17.1` as a user runs it (through pip)
  3. build every pinned file with --wheel; one sha256 per version; Windows inputs compare equal
  4. install each version's output in a fresh venv and use it; installer / wheel / twine / check-wheel-contents;
     `purewheel check --profile pypi`, packaging's `Metadata.from_email(..., validate=True)` and the repack's SBOM
     against the CycloneDX 1.6 JSON schema (e2e/outputs.py); then (4c) what each output says about itself as a
     release: Metadata 2.5 with Import-Name, License-Expression and licenses/, classifiers, Project-URL, the notice
     in each patched or injected file, the SBOM against the recipe, its lock and its files (e2e/build/release.py)
  5. determinism across working directory, TZ, umask, --wheel order and SOURCE_DATE_EPOCH
  6. failure behaviour: exit codes, no output on failure, a good output is never replaced by a failed build

Needs CPython >= 3.11 (tomllib). No index host is named anywhere: pip's own configuration applies.
"""
