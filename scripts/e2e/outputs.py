"""What every built output must pass before it could be published, for both recipes (the build and
crc32c parts): `purewheel check --profile pypi`, `twine check --strict`, packaging's
Metadata.from_email(..., validate=True), and the repack's SBOM against the CycloneDX 1.6 JSON schema. The validators
run in a venv made from scripts/e2e/requirements/sbom-tools.txt (--require-hashes) and kept in the e2e cache."""

from __future__ import annotations

import json
from pathlib import Path

from .hashing import sha256_file
from .installers import cached_venv
from .paths import GUEST, REQUIREMENTS
from .proc import run

VALIDATORS = REQUIREMENTS / "sbom-tools.txt"

Check = tuple[str, bool, str]


def validators_venv(python: Path, cache: Path) -> tuple[Path | None, str]:
    """The validators venv (reused while the interpreter and the pins are the same), or None and why it failed."""
    version = run([python, "-c", "import sys; print(sys.version)"]).out.strip()
    folder = cache / "validators" / f"venv-{sha256_file(VALIDATORS)[:12]}"
    return cached_venv(python, folder, ["--only-binary=:all:", "--require-hashes", "-r", VALIDATORS],
                       "cyclonedx.validation.json, packaging.metadata, jsonschema", version)


def publishable(purewheel: Path, validators: Path, twine: Path | None, wheel: Path) -> list[Check]:
    """The checks, each as (name, ok, detail)."""
    checks: list[Check] = []
    res = run([purewheel, "check", "--profile", "pypi", wheel])
    checks.append(("purewheel check --profile pypi", res.code == 0, "" if res.code == 0 else f"exit {res.code}\n{res.tail()}"))
    if twine is not None:
        res = run([twine, "check", "--strict", wheel])
        checks.append(("twine check --strict", res.code == 0 and "PASSED" in res.out,
                       "" if res.code == 0 else f"exit {res.code}\n{res.tail()}"))
    res = run([validators, GUEST / "output_validate.py", wheel])
    try:
        results = json.loads(res.out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        results = {"output_validate.py ran": [False, f"exit {res.code}\n{res.tail()}"]}
    checks += [(name, bool(ok), str(detail)) for name, (ok, detail) in results.items()]
    return checks
