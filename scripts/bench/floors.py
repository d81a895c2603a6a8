"""Floors for `purewheel check`: the cost of one part of the work alone, on one core.

    python floors.py inflate WHEEL    inflate every entry's raw deflate stream through ISA-L (python-isal), nothing else
    python floors.py sha256 WHEEL     SHA-256 of as many bytes as the entries hold uncompressed, one hash per entry,
                                      from memory (no zip, no inflate)
"""

import hashlib
import struct
import sys
import zipfile

from isal import isal_zlib


def inflate(path):
    total = 0
    with zipfile.ZipFile(path) as zf, open(path, "rb") as raw:
        for info in zf.infolist():
            raw.seek(info.header_offset)
            header = raw.read(30)
            name_len, extra_len = struct.unpack("<HH", header[26:30])
            raw.seek(info.header_offset + 30 + name_len + extra_len)
            left = info.compress_size
            if info.compress_type != zipfile.ZIP_DEFLATED:
                while left:
                    left -= len(raw.read(min(left, 1 << 20)))
                continue
            d = isal_zlib.decompressobj(-15)
            while left:
                chunk = raw.read(min(left, 1 << 20))
                left -= len(chunk)
                data = d.decompress(chunk, 1 << 20)
                total += len(data)
                while d.unconsumed_tail:
                    total += len(d.decompress(d.unconsumed_tail, 1 << 20))
            total += len(d.flush())
    return total


def sha256(path):
    block = memoryview(bytes(range(256)) * 4096)  # 1 MiB
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            h = hashlib.sha256()
            left = info.file_size
            while left:
                n = min(left, len(block))
                h.update(block[:n])
                left -= n
            h.digest()


if __name__ == "__main__":
    {"inflate": inflate, "sha256": sha256}[sys.argv[1]](sys.argv[2])
