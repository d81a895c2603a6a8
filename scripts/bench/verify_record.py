"""The Python baseline for `purewheel check`: zipfile + hashlib verify every RECORD row (sha256 and size) and
that every file is listed, streaming each entry in 1 MiB chunks (zipfile checks each CRC-32 at the end).

    python verify_record.py WHEEL [-j N]      N processes (default 1), entries balanced by compressed size
    python verify_record.py FOLDER [-j N]     every *.whl in FOLDER, whole wheels shared out over N processes

Exit 0 when RECORD matches, 1 otherwise (the count of problems on stderr).
"""

import base64
import csv
import hashlib
import io
import os
import sys
import zipfile
from multiprocessing import Pool


def digest_entries(args):
    path, names = args
    out = {}
    with zipfile.ZipFile(path) as zf:
        for name in names:
            h = hashlib.sha256()
            size = 0
            with zf.open(name) as f:
                while chunk := f.read(1 << 20):
                    h.update(chunk)
                    size += len(chunk)
            out[name] = ("sha256=" + base64.urlsafe_b64encode(h.digest()).rstrip(b"=").decode(), size)
    return out


def verify_wheel(path):
    """The RECORD problems of one wheel, read in this process."""
    return verify(path, 1)


def main():
    path = sys.argv[1]
    jobs = int(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[2] == "-j" else 1
    if os.path.isdir(path):
        # Largest first, one wheel at a time per process: the same sharing out a folder gets from `check`.
        wheels = sorted((os.path.join(path, n) for n in os.listdir(path) if n.endswith(".whl")), key=lambda p: -os.path.getsize(p))
        if jobs == 1:
            problems = sum(map(verify_wheel, wheels))
        else:
            with Pool(jobs) as pool:
                problems = sum(pool.imap_unordered(verify_wheel, wheels, chunksize=1))
    else:
        problems = verify(path, jobs)
    if problems:
        print(f"{problems} RECORD problems", file=sys.stderr)
    return 1 if problems else 0


def verify(path, jobs):
    with zipfile.ZipFile(path) as zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        record_name = next(i.filename for i in infos if i.filename.endswith(".dist-info/RECORD") and i.filename.count("/") == 1)
        rows = {r[0]: r for r in csv.reader(io.TextIOWrapper(zf.open(record_name), encoding="utf-8")) if r}
    bins = [[] for _ in range(jobs)]
    weights = [0] * jobs
    for info in sorted(infos, key=lambda i: -i.compress_size):
        lightest = weights.index(min(weights))
        bins[lightest].append(info.filename)
        weights[lightest] += info.compress_size + 4096
    work = [(path, b) for b in bins if b]
    results = {}
    if jobs == 1:
        results = digest_entries(work[0])
    else:
        with Pool(jobs) as pool:
            for part in pool.map(digest_entries, work):
                results.update(part)
    problems = 0
    for name, (digest, size) in results.items():
        if name == record_name:
            continue
        row = rows.get(name)
        if row is None or row[1] != digest or row[2] != str(size):
            problems += 1
    problems += sum(1 for name in rows if name not in results)
    return problems


if __name__ == "__main__":
    sys.exit(main())
