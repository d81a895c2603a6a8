"""Runs in the validators venv (scripts/e2e/requirements/sbom-tools.txt): `python output_validate.py WHEEL`.

Prints one JSON object {name: [ok, detail]}: packaging's Metadata.from_email(..., validate=True) on the wheel's
METADATA, and the repack's SBOM (.dist-info/sboms/purewheel.cdx.json) against the CycloneDX 1.6 JSON schema with
cyclonedx-python-lib's strict validator; each with a self-test that the same validator refuses a broken copy. It
never raises; every failure is a check result, so the driver can count it.
"""

import json
import sys
import zipfile


def validate_metadata(raw: bytes) -> str | None:
    from packaging.metadata import Metadata

    try:
        Metadata.from_email(raw, validate=True)
    except Exception as error:  # noqa: BLE001 - packaging raises an ExceptionGroup of InvalidMetadata
        return f"{type(error).__name__}: {error}; " + "; ".join(str(e) for e in getattr(error, "exceptions", []))
    return None


def validate_sbom(text: str) -> str | None:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
    return None if error is None else str(error)[:400]


def main(path: str) -> dict:
    checks: dict[str, list] = {}
    with zipfile.ZipFile(path) as wheel:
        names = wheel.namelist()
        metadata = [n for n in names if n.count("/") == 1 and n.endswith(".dist-info/METADATA")]
        if len(metadata) != 1:
            return {"one .dist-info/METADATA": [False, str(metadata)]}
        raw = wheel.read(metadata[0])
        version = next((line.split(b":", 1)[1].strip().decode() for line in raw.splitlines()
                        if line.startswith(b"Metadata-Version:")), "?")
        problem = validate_metadata(raw)
        checks["packaging Metadata.from_email(..., validate=True)"] = [problem is None, problem or f"Metadata-Version {version}"]
        # An Import-Name that is no Python name is invalid in every Metadata-Version (too new below 2.5).
        broken = raw.replace(b"\nVersion:", b"\nImport-Name: not-a-name!\nVersion:", 1)
        checks["self-test: packaging refuses the METADATA with a bad Import-Name"] = [
            broken != raw and validate_metadata(broken) is not None, ""]
        own = [n for n in names if n.count("/") == 2 and n.endswith(".dist-info/sboms/purewheel.cdx.json")]
        checks["the repack's SBOM .dist-info/sboms/purewheel.cdx.json is present"] = [len(own) == 1, ", ".join(own)]
        for name in own:
            text = wheel.read(name).decode()
            problem = validate_sbom(text)
            checks["its SBOM validates against the CycloneDX 1.6 JSON schema (cyclonedx-python-lib, strict)"] = [
                problem is None, problem or f"{len(text)} bytes"]
            document = json.loads(text)
            document["metadata"]["component"]["type"] = "wheel"  # not a CycloneDX component type
            checks["self-test: the validator refuses the SBOM with a component type 'wheel'"] = [
                validate_sbom(json.dumps(document)) is not None, ""]
    return checks


if __name__ == "__main__":
    try:
        result = main(sys.argv[1])
    except Exception as error:  # noqa: BLE001 - reported as a failed check
        result = {"output_validate.py ran": [False, f"{type(error).__name__}: {error}"]}
    print(json.dumps(result))
