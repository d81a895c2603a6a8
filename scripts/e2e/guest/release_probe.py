"""Runs inside the fresh venv that installed ml-metadata-remote from the publish index (`python -I release_probe.py
VERSION`): imports ml_metadata, creates the nine system types without a server, and prints one JSON object."""

import importlib.metadata
import json
import sys

SYSTEM_TYPES = ("Dataset", "Model", "Statistics", "Metrics", "Train", "Transform", "Process", "Evaluate", "Deploy")


def main():
    result = {"python": sys.version.split()[0]}
    try:
        import ml_metadata
        from ml_metadata.metadata_store import mlmd_types

        result["ml_metadata"] = ml_metadata.__version__
        result["distribution"] = importlib.metadata.version("ml-metadata-remote")
        result["types"] = [getattr(mlmd_types, name)().name for name in SYSTEM_TYPES]
    except Exception as error:  # noqa: BLE001 - reported, never raised
        result["error"] = f"{type(error).__name__}: {error}"
    print(json.dumps(result))


if __name__ == "__main__":
    main()
