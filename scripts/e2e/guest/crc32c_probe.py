"""Runs inside the interpreter under test (stdlib only, CPython >= 3.9): imports google_crc32c as installed,
computes checksums of the same data through every public API, and prints one JSON object.

    python crc32c_probe.py DATA_FILE

Nothing here compares: the driver (e2e.crc32c) compares one interpreter's JSON with another's.
"""

import hashlib
import importlib
import json
import os
import platform
import sys
import warnings

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    import google_crc32c

from importlib import metadata

NATIVE_SUFFIXES = (".so", ".pyd", ".dylib", ".dll")
KNOWN = {b"": 0x00000000, b"123456789": 0xE3069283}  # RFC 3720 B.4 check value of CRC-32C


def chunks(data, size):
    return [data[i:i + size] for i in range(0, len(data), size)]


def main():
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    gc = google_crc32c
    package_dir = os.path.dirname(os.path.abspath(gc.__file__))
    site = os.path.dirname(package_dir)
    native = []
    for folder in (package_dir, os.path.join(site, "google_crc32c.libs")):
        for root, _, files in os.walk(folder):
            native += [os.path.relpath(os.path.join(root, n), site) for n in files if n.endswith(NATIVE_SUFFIXES)
                       or ".so." in n]
    try:
        importlib.import_module("google_crc32c.cext")
        cext = "imported"
    except ImportError as e:
        cext = f"{type(e).__name__}: {e} (name={e.name})"
    dist = metadata.distribution("google-crc32c")
    tags = [line.split(":", 1)[1].strip() for line in (dist.read_text("WHEEL") or "").splitlines()
            if line.startswith("Tag:")]

    values, read = checksums(gc, data, sys.argv[1])
    print(json.dumps({
        "python": platform.python_version(),
        "implementation_name": sys.implementation.name,
        "machine": platform.machine(),
        "module": gc.__file__,
        "implementation": gc.implementation,
        "runtime_warnings": [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)],
        "cext": cext,
        "native_files": sorted(native),
        "distribution": [dist.metadata["Name"], dist.version],
        "wheel_tags": tags,
        "data": {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(), "consumed": read},
        "known_answers": {repr(k): gc.value(k) == v for k, v in KNOWN.items()},
        "values": values,
    }, indent=1, sort_keys=True))


def checksums(gc, data, path):
    """Every public API's checksums of the same bytes; returns (values by name, bytes consume() read)."""
    values = {}
    for known in KNOWN:
        values[f"value({known!r})"] = gc.value(known)
        values[f"Checksum({known!r}).hexdigest()"] = gc.Checksum(known).hexdigest().decode()
        values[f"Checksum({known!r}).digest()"] = gc.Checksum(known).digest().hex()
    # Every length from 0 to 64 bytes (table edges, alignment of the native code's 8-byte steps).
    values["value(data[:n]) for n in 0..64"] = [gc.value(data[:n]) for n in range(65)]
    values["value(data)"] = gc.value(data)
    # extend(): start from value() of a first odd-sized piece, then extend by a prime chunk size.
    crc = gc.value(data[:1000])
    for piece in chunks(data[1000:], 65521):
        crc = gc.extend(crc, piece)
    values["extend(value(data[:1000]), 65521-byte chunks...)"] = crc
    values["extend(0, data)"] = gc.extend(0, data)
    # Checksum: update() with small chunks, copy() in the middle, consume() from the file.
    c = gc.Checksum()
    half = len(data) // 2
    for piece in chunks(data[:half], 8191):
        c.update(piece)
    twin = c.copy()
    values["Checksum.update(first half).hexdigest()"] = c.hexdigest().decode()
    for piece in chunks(data[half:], 8191):
        c.update(piece)
    twin.update(data[half:])
    values["Checksum.update(8191-byte chunks).digest()"] = c.digest().hex()
    values["Checksum.copy() then update(second half).digest()"] = twin.digest().hex()
    values["Checksum(initial_value=data[:12345]) then update(rest).hexdigest()"] = (
        lambda k: (k.update(data[12345:]), k.hexdigest().decode())[1])(gc.Checksum(data[:12345]))
    consumer = gc.Checksum()
    with open(path, "rb") as stream:
        read = sum(len(piece) for piece in consumer.consume(stream, 65536))
    values["Checksum.consume(file, 65536).hexdigest()"] = consumer.hexdigest().decode()
    return values, read


if __name__ == "__main__":
    main()
