"""Makes the synthetic wheels scripts/bench.sh checks: many small entries (10k / 40k / 160k) and many
uncompressed bytes (10 MB / 100 MB / 1 GB), each a valid pure wheel with a correct RECORD; for `check`'s
memory, a folder of 20,000 small wheels (wheels20k, the folder's path is printed) and a 1.5 GB wheel of
stored entries (stream1500m, read from standard input); for per-file overhead, 5,000 clean small wheels (wheels5k).

    python make_wheels.py OUTDIR NAME...
    (names: entries10k entries40k entries160k size10m size100m size1g wheels20k wheels5k stream1500m)

Deterministic (seeded), and a wheel already in OUTDIR is kept, so reruns cost nothing. Content of the size
series: per 64 KiB block, one third pseudo-random bytes and two thirds bytes from a 4-symbol alphabet, so
deflate compresses it about 2:1 (torch's shared libraries compress about 2.5:1); half of the bytes sit in one
large entry, as in torch.
"""

import base64
import hashlib
import os
import random
import sys
import zipfile

SERIES = {
    "entries10k": ("entries", 10_000),
    "entries40k": ("entries", 40_000),
    "entries160k": ("entries", 160_000),
    "size10m": ("size", 10 * 10**6),
    "size100m": ("size", 100 * 10**6),
    "size1g": ("size", 1000 * 10**6),
    "stream1500m": ("size", 1580 * 10**6),  # 1.5 GB of file: the size series keeps 95 % of its amount
}
# Stored, not deflated, so that the file itself is as large as the stream the bench pipes in.
STORED = {"stream1500m"}
# name: (wheels, with stray bytecode). wheels5k is clean: per-file overhead only.
FOLDERS = {"wheels20k": (20_000, True), "wheels5k": (5_000, False)}


def record_row(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


class Content:
    """Pseudo-random, partly compressible bytes, made fast from one random pool."""

    def __init__(self, seed):
        self.random = random.Random(seed)
        self.pool = self.random.randbytes(4 << 20)
        self.table = bytes(b"ACGT"[i % 4] for i in range(256))

    def take(self, size):
        out = bytearray()
        while len(out) < size:
            a = self.random.randrange(0, len(self.pool) - 65536)
            b = self.random.randrange(0, len(self.pool) - 65536)
            out += self.pool[a : a + 21845] + self.pool[b : b + 43691].translate(self.table)
        return bytes(out[:size])


def files_for(kind, amount, dist):
    if kind == "entries":
        for i in range(amount):
            text = f'"""Module {i} of a synthetic package."""\n\nVALUE_{i} = {i * 7919 % 100003}\n\n\ndef f{i}(x):\n    return x + {i}\n'
            yield f"{dist}/p{i // 1000:03d}/m{i:06d}.py", text.encode()
        return
    content = Content(amount)
    yield f"{dist}/__init__.py", b"VALUE = 1\n"
    yield f"{dist}/large.bin", content.take(amount // 2)
    medium = amount * 45 // 100 // 32
    for i in range(32):
        yield f"{dist}/data/part{i:02d}.bin", content.take(medium)
    for i in range(100):
        yield f"{dist}/mods/m{i:03d}.py", f"X = {i}\n".encode() * 50


def make(outdir, name):
    if name in FOLDERS:
        return make_folder(outdir, name, *FOLDERS[name])
    kind, amount = SERIES[name]
    return write_wheel(outdir, f"synth_{name}", files_for(kind, amount, f"synth_{name}"), name in STORED)


def make_folder(outdir, name, count, stray_bytecode):
    """A folder of `count` small wheels, each with its own name; made under a temporary name, then renamed."""
    folder = os.path.join(outdir, name)
    if os.path.isdir(folder):
        return folder
    tmp = folder + ".tmp"
    os.makedirs(tmp, exist_ok=True)
    for i in range(count):
        dist = f"small{i:05d}"
        files = [(f"{dist}/__init__.py", f'"""Package {i}."""\n\nVALUE = {i}\n'.encode()), (f"{dist}/util.py", b"def f(x):\n    return x\n")]
        # Stray bytecode, left out of RECORD: 40 findings per wheel, so that what `check` keeps per finding shows.
        stray = [(f"{dist}/__pycache__/m{k:02d}.cpython-311.pyc", bytes([k]) * 64) for k in range(20)] if stray_bytecode else []
        write_wheel(tmp, dist, files, False, unlisted=stray)
    os.replace(tmp, folder)
    return folder


def write_wheel(outdir, dist, files, stored, unlisted=()):
    path = os.path.join(outdir, f"{dist}-1.0-py3-none-any.whl")
    if os.path.exists(path):
        return path
    tmp = path + ".tmp"
    info_dir = f"{dist}-1.0.dist-info"
    rows = []
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        for entry, data in files:
            zf.writestr(entry, data)
            rows.append(record_row(entry, data))
        meta = {
            "METADATA": f"Metadata-Version: 2.1\nName: {dist.replace('_', '-')}\nVersion: 1.0\nSummary: synthetic bench wheel\n".encode(),
            "WHEEL": b"Wheel-Version: 1.0\nGenerator: purewheel-bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
            "top_level.txt": f"{dist}\n".encode(),
        }
        for key, data in meta.items():
            zf.writestr(f"{info_dir}/{key}", data)
            rows.append(record_row(f"{info_dir}/{key}", data))
        for entry, data in unlisted:
            zf.writestr(entry, data)
        rows.append(f"{info_dir}/RECORD,,")
        zf.writestr(f"{info_dir}/RECORD", ("\n".join(rows) + "\n").encode())
    os.replace(tmp, path)
    return path


if __name__ == "__main__":
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    for name in sys.argv[2:]:
        print(make(outdir, name))
