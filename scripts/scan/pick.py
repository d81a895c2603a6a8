"""Prints the distribution names of a list that `purewheel check --shard K/N` keeps, one a line.

    python pick.py LIST K N

`check --shard` assigns a wheel by its project: the first eight bytes (big-endian) of the SHA-256 of
`project:<normalized name>`, modulo N, plus one (Sources/PurewheelCommands/CheckShard.swift). A CI job computes the
same from the list, so it downloads only what its shard checks. Blank lines and `#` comments are skipped; a line that
is not a project name (PEP 508 `name`) is an error, so that nothing reaches pip as an option or a URL. Exit 0, or 64
for a bad command line or list.
"""

from __future__ import annotations

import hashlib
import re
import sys

NAME = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)


def normalized(name: str) -> str:
    """PEP 503 normalization, as purewheel's ProjectName.normalized."""
    return re.sub(r"[-_.]+", "-", name).lower()


def shard(name: str, count: int) -> int:
    digest = hashlib.sha256(f"project:{normalized(name)}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def main(argv: list[str]) -> int:
    if len(argv) != 4 or not argv[2].isdigit() or not argv[3].isdigit():
        print("usage: pick.py LIST K N", file=sys.stderr)
        return 64
    index, count = int(argv[2]), int(argv[3])
    if not 1 <= index <= count:
        print(f"error: shard {index}/{count}: K must be between 1 and N", file=sys.stderr)
        return 64
    seen: set[str] = set()
    with open(argv[1], encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            name = line.split("#", 1)[0].strip()
            if not name:
                continue
            if not NAME.match(name):
                print(f"error: {argv[1]}:{number}: {name!r} is not a project name", file=sys.stderr)
                return 64
            if normalized(name) in seen:
                continue
            seen.add(normalized(name))
            if shard(name, count) == index:
                print(name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
