"""The Python baseline for `purewheel verify-env`: csv + hashlib verify every row of every `*.dist-info/RECORD` in a
site-packages folder (size and digest, each file streamed in 1 MiB chunks; rows without a hash only exist), and walk
the folder for files no RECORD lists (byte-code caches of listed sources apart), as verify-env does.

    python verify_installed.py SITE_PACKAGES [-j N]   N processes (default 1): rows shared out in batches, the
                                                     walk in the parent meanwhile
    python verify_installed.py SITE_PACKAGES --list  the absolute path of every hashed file, one a line (the C
                                                     floor's input)

Exit 0 when every row matches, 1 otherwise (the counts on stderr).
"""

import base64
import csv
import hashlib
import os
import sys
from multiprocessing import Pool

BATCH = 256


def rows(site):
    """(path, algorithm, digest, size) for every RECORD row; path absolute, algorithm None without a hash."""
    out = []
    for name in sorted(os.listdir(site)):
        record = os.path.join(site, name, "RECORD")
        if not name.endswith(".dist-info") or not os.path.isfile(record):
            continue
        with open(record, newline="", encoding="utf-8") as f:
            for row in csv.reader(f):
                if not row or not row[0]:
                    continue
                path = os.path.normpath(os.path.join(site, row[0]))
                algorithm, _, digest = row[1].partition("=") if len(row) > 1 else ("", "", "")
                size = int(row[2]) if len(row) > 2 and row[2] else None
                out.append((path, algorithm or None, digest, size))
    return out


def check(batch):
    """The number of rows in `batch` whose file is missing or differs."""
    problems = 0
    for path, algorithm, digest, size in batch:
        if algorithm is None:
            problems += not os.path.lexists(path)
            continue
        try:
            h = hashlib.new(algorithm)
            total = 0
            with open(path, "rb") as f:
                while chunk := f.read(1 << 20):
                    h.update(chunk)
                    total += len(chunk)
        except OSError:
            problems += 1
            continue
        actual = base64.urlsafe_b64encode(h.digest()).rstrip(b"=").decode()
        problems += actual != digest or (size is not None and size != total)
    return problems


def unowned(site, listed):
    """Files under `site` that no row lists, byte-code caches of listed sources apart."""
    count = 0
    for folder, _, names in os.walk(site):
        for name in names:
            path = os.path.join(folder, name)
            if path in listed:
                continue
            if os.path.basename(folder) == "__pycache__" and name.endswith(".pyc"):
                source = os.path.join(os.path.dirname(folder), name.split(".", 1)[0] + ".py")
                if source in listed:
                    continue
            count += 1
    return count


def main():
    site = os.path.realpath(sys.argv[1])
    listed_rows = rows(site)
    if sys.argv[2:] == ["--list"]:
        for path, algorithm, _, _ in listed_rows:
            if algorithm is not None:
                print(path)
        return 0
    jobs = int(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[2] == "-j" else 1
    batches = [listed_rows[i : i + BATCH] for i in range(0, len(listed_rows), BATCH)]
    listed = {path for path, _, _, _ in listed_rows}
    if jobs == 1:
        problems = sum(map(check, batches))
        orphans = unowned(site, listed)
    else:
        with Pool(jobs) as pool:
            pending = pool.map_async(check, batches, chunksize=1)
            orphans = unowned(site, listed)
            problems = sum(pending.get())
    print(f"{len(listed_rows)} rows, {problems} problems, {orphans} files nobody owns", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
