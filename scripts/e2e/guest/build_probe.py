"""Runs inside a fresh venv where one ml-metadata-remote wheel was pip-installed (``python -I -c <this file>``).

Prints one JSON object: {"checks": {name: [ok, detail]}, "info": {...}}. It never raises; every failure is a
check result, so the driver can count it.
"""

import importlib.metadata
import json
import os
import sys

EXPECTED_DIST = sys.argv[1] if len(sys.argv) > 1 else "ml-metadata-remote"
EXPECTED_VERSION = sys.argv[2] if len(sys.argv) > 2 else None
SYSTEM_TYPES = ("Dataset", "Model", "Statistics", "Metrics", "Train", "Transform", "Process", "Evaluate", "Deploy")
# ELF; Mach-O 32/64 both byte orders; Mach-O fat (universal) both byte orders; PE/COFF (DOS stub).
MAGICS = {
    b"\x7fELF": "ELF",
    b"\xfe\xed\xfa\xce": "Mach-O",
    b"\xfe\xed\xfa\xcf": "Mach-O",
    b"\xce\xfa\xed\xfe": "Mach-O",
    b"\xcf\xfa\xed\xfe": "Mach-O",
    b"\xca\xfe\xba\xbe": "Mach-O fat",
    b"\xbe\xba\xfe\xca": "Mach-O fat",
}


def check(checks, name, function):
    try:
        detail = function()
        checks[name] = [True, detail if isinstance(detail, str) else ""]
    except Exception as error:  # noqa: BLE001 - every failure becomes a reported check
        checks[name] = [False, f"{type(error).__name__}: {error}"]


def imports(info):
    import ml_metadata  # noqa: F401
    from ml_metadata.metadata_store import metadata_store, mlmd_types  # noqa: F401
    from ml_metadata.proto import metadata_store_pb2  # noqa: F401

    info["ml_metadata_file"] = ml_metadata.__file__
    return "ml_metadata, mlmd_types, metadata_store"


def system_types():
    from ml_metadata.metadata_store import mlmd_types

    names = []
    for class_name in SYSTEM_TYPES:
        instance = getattr(mlmd_types, class_name)()
        name = instance.name
        if not name or not name.endswith(class_name):
            raise AssertionError(f"{class_name}().name is {name!r}")
        proto = getattr(instance, "_type", None)
        if proto is not None and proto.ByteSize() == 0:
            raise AssertionError(f"{class_name}() holds an empty type proto")
        if not instance.system_type:
            raise AssertionError(f"{class_name}().system_type is unset")
        names.append(name)
    return f"{len(names)} types: {', '.join(names)}"


def connection_config_refused():
    from ml_metadata.metadata_store import metadata_store
    from ml_metadata.proto import metadata_store_pb2

    try:
        metadata_store.MetadataStore(metadata_store_pb2.ConnectionConfig())
    except Exception as error:  # noqa: BLE001
        message = str(error)
        missing = [word for word in ("ml-metadata-remote", "MetadataStoreClientConfig") if word not in message]
        if missing:
            raise AssertionError(f"{type(error).__name__} does not mention {missing}: {message[:300]}")
        return f"{type(error).__name__} (NotImplementedError: {isinstance(error, NotImplementedError)})"
    raise AssertionError("MetadataStore(ConnectionConfig()) raised nothing")


def no_native_files():
    distribution = importlib.metadata.distribution(EXPECTED_DIST)
    if EXPECTED_VERSION and distribution.version != EXPECTED_VERSION:
        raise AssertionError(f"installed version {distribution.version}, expected {EXPECTED_VERSION}")
    paths = set()
    for file in distribution.files or []:
        paths.add(os.path.realpath(file.locate()))
    if not paths:
        raise AssertionError("the installed distribution lists no files")
    # Also walk the installed package folders: a file missing from RECORD must not hide a binary.
    top_levels = {str(file).split("/")[0] for file in distribution.files or []}
    site = os.path.dirname(os.path.dirname(os.path.realpath(importlib.import_module("ml_metadata").__file__)))
    for top in top_levels:
        folder = os.path.join(site, top)
        if os.path.isdir(folder):
            for root, _, files in os.walk(folder):
                paths.update(os.path.realpath(os.path.join(root, name)) for name in files)
    native = []
    for path in sorted(paths):
        if not os.path.isfile(path) or path.endswith(".pyc"):
            continue
        with open(path, "rb") as handle:
            head = handle.read(4)
        kind = MAGICS.get(head) or ("PE" if head[:2] == b"MZ" else None)
        if kind:
            native.append(f"{os.path.relpath(path, site)} ({kind})")
        if path.endswith((".so", ".pyd", ".dylib", ".dll")):
            native.append(f"{os.path.relpath(path, site)} (extension name)")
    if native:
        raise AssertionError("native files: " + ", ".join(native[:10]))
    return f"{len(paths)} files scanned, none ELF/Mach-O/PE"


def main():
    checks, info = {}, {"python": sys.version.split()[0]}
    check(checks, "imports", lambda: imports(info))
    check(checks, "system types", system_types)
    check(checks, "ConnectionConfig refused", connection_config_refused)
    check(checks, "no native files", no_native_files)
    print(json.dumps({"checks": checks, "info": info}))


if __name__ == "__main__":
    main()
