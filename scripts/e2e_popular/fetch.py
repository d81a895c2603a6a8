"""Fetches the current wheel of each popular project into a cache, through pip, and writes a manifest.

    fetch.py PROJECTS_FILE CACHE_DIR MANIFEST_TSV [--max-bytes N] [--jobs N]

For every name, pip resolves the wheel it would install here (`pip install --dry-run --report`, binary only,
no dependencies), so the index comes from pip's own configuration and no host is named here. A wheel over
--max-bytes (Content-Length of pip's URL) is skipped and remembered in CACHE_DIR/too-large.tsv; a project
without a wheel for this interpreter is recorded as such. A cached wheel is reused when its sha256 matches
the index's. Nothing is pinned: the manifest (name, version, file, sha256 or the reason it was skipped)
records what was current.
"""

import argparse
import concurrent.futures
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request


def resolve(name):
    """Returns pip's install report entry for NAME's wheel, or None when pip finds no wheel."""
    cmd = [
        sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--no-deps",
        "--only-binary=:all:", "--quiet", "--disable-pip-version-check", "--report", "-", name,
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        # Only pip's own "no such wheel" answer means the project ships none; anything else (network, index)
        # is a failure, so an unreachable index never passes as "no wheels".
        if "No matching distribution found" in done.stderr:
            return None
        raise RuntimeError("pip could not resolve %s: %s" % (name, done.stderr.strip().splitlines()[-1:]))
    report = json.loads(done.stdout)
    return report["install"][0] if report.get("install") else None


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def content_length(url):
    request = urllib.request.Request(url, method="HEAD")
    with urllib.request.urlopen(request, timeout=60) as response:
        return int(response.headers.get("Content-Length", "0"))


def fetch_one(name, cache, max_bytes, too_large):
    item = resolve(name)
    if item is None:
        return (name, "", "", "", "no-wheel")
    version = item["metadata"]["version"]
    info = item["download_info"]
    url = info["url"]
    filename = urllib.parse.unquote(url.rsplit("/", 1)[-1].split("#", 1)[0])
    hashes = info.get("archive_info", {}).get("hashes", {})
    expected = hashes.get("sha256", "")
    if not filename.endswith(".whl"):
        return (name, version, filename, "", "no-wheel")
    if filename in too_large:
        return (name, version, filename, "", "too-large:%s" % too_large[filename])
    target = os.path.join(cache, filename)
    if os.path.exists(target) and (not expected or sha256_of(target) == expected):
        return (name, version, filename, sha256_of(target), "ok")
    size = content_length(url) if url.startswith("http") else 0
    if size > max_bytes:
        return (name, version, filename, "", "too-large:%d" % size)
    with tempfile.TemporaryDirectory(dir=cache) as scratch:
        cmd = [
            sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--quiet",
            "--disable-pip-version-check", "-d", scratch, "%s==%s" % (name, version),
        ]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
        got = os.path.join(scratch, filename)
        if done.returncode != 0 or not os.path.exists(got):
            return (name, version, filename, "", "download-failed")
        actual = sha256_of(got)
        if expected and actual != expected:
            return (name, version, filename, actual, "sha256-mismatch")
        # Rename into the cache: a concurrent run never sees a half-written wheel.
        os.replace(got, target)
    return (name, version, filename, actual, "ok")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("projects")
    parser.add_argument("cache")
    parser.add_argument("manifest")
    parser.add_argument("--max-bytes", type=int, default=50 * 1000 * 1000)
    parser.add_argument("--jobs", type=int, default=12)
    parser.add_argument(
        "--reuse-hours", type=float, default=24.0,
        help="reuse the last resolution (no index query) when it is younger than this and its wheels are cached",
    )
    args = parser.parse_args()
    os.makedirs(args.cache, exist_ok=True)
    last = os.path.join(args.cache, "manifest.tsv")
    if reusable(last, args.cache, args.reuse_hours, args.projects):
        shutil.copyfile(last, args.manifest)
        print("reusing the resolution of %s (younger than %g h)" % (last, args.reuse_hours))
        return
    with open(args.projects) as handle:
        names = [line.strip() for line in handle if line.strip() and not line.startswith("#")]
    too_large_path = os.path.join(args.cache, "too-large.tsv")
    too_large = {}
    if os.path.exists(too_large_path):
        with open(too_large_path) as handle:
            for line in handle:
                parts = line.rstrip("\n").split("\t")
                if len(parts) == 2:
                    too_large[parts[0]] = parts[1]
    rows = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = {pool.submit(fetch_one, n, args.cache, args.max_bytes, too_large): n for n in names}
        for future in concurrent.futures.as_completed(futures):
            name = futures[future]
            try:
                rows[name] = future.result()
            except Exception as error:  # one project's network failure must not hide the others
                rows[name] = (name, "", "", "", "error:%s" % type(error).__name__)
    with open(too_large_path, "w") as handle:
        for row in sorted(rows.values()):
            if row[4].startswith("too-large:"):
                handle.write("%s\t%s\n" % (row[2], row[4].split(":", 1)[1]))
    with open(args.manifest, "w") as handle:
        handle.write("project\tversion\tfile\tsha256\tstatus\n")
        for name in names:
            handle.write("\t".join(rows[name]) + "\n")
    # Only a complete resolution (no network failure) is reused by the next run.
    if not any(row[4].startswith(("error:", "download-failed")) for row in rows.values()):
        shutil.copyfile(args.manifest, last)
        with open(last + ".projects", "w") as handle:
            handle.write(sha256_of(args.projects))


def reusable(manifest, cache, hours, projects):
    """Whether the last manifest is young enough, covers the same list and all its wheels are still cached."""
    import time

    if hours <= 0 or not os.path.exists(manifest):
        return False
    if time.time() - os.path.getmtime(manifest) > hours * 3600:
        return False
    # The same project list (by content: a fresh clone has new file times).
    stamp = manifest + ".projects"
    if not os.path.exists(stamp) or open(stamp).read() != sha256_of(projects):
        return False
    with open(manifest) as handle:
        rows = [line.rstrip("\n").split("\t") for line in handle][1:]
    return all(len(row) == 5 and (row[4] != "ok" or os.path.exists(os.path.join(cache, row[2]))) for row in rows)


if __name__ == "__main__":
    main()
