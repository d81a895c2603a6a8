"""Step 4: publish the built wheel to a second local index that needs a login to upload and refuses overwrites,
install it from there into a fresh venv, and see `pending` stop listing the published version."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from ..hashing import sha256_file
from ..interpreters import full_version
from ..paths import GUEST
from ..proc import LoggedRunner, clean_env, run
from ..report import guarded
from ..wheelhouse import Wheelhouses

from . import step_revision
from .context import Context
from .index import Index
from .step_next import pending_versions
from .step_releases import NEXT
from .upstream import VERSION as REAL

USER, PASSWORD = "release-bot", "e2e-release-password"
PROBE = GUEST / "release_probe.py"
TYPE_NAMES = tuple(f"mlmd.{n}" for n in ("Dataset", "Model", "Statistics", "Metrics", "Train", "Transform",
                                         "Process", "Evaluate", "Deploy"))


def make_htpasswd(ctx: Context, path: Path) -> bool:
    code = ("import sys; from passlib.apache import HtpasswdFile; f = HtpasswdFile(sys.argv[1], new=True); "
            "f.set_password(sys.argv[2], sys.argv[3]); f.save()")
    return run([ctx.tools.python, "-c", code, path, USER, PASSWORD]).code == 0


def upload(ctx: Context, index: Index, wheel: Path, password: str):
    env = clean_env(PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    for name in ("TWINE_USERNAME", "TWINE_PASSWORD", "TWINE_REPOSITORY", "TWINE_REPOSITORY_URL"):
        env.pop(name, None)
    return run([ctx.tools.twine, "upload", "--non-interactive", "--disable-progress-bar", "--repository-url", index.url,
                "-u", USER, "-p", password, wheel], env=env, timeout=120)


def run_step(ctx: Context, wheel: Path, upstream_index: Index) -> None:
    r = ctx.report
    htpasswd = ctx.work / "htpasswd"
    if not r.check("htpasswd written with passlib", make_htpasswd(ctx, htpasswd)):
        return
    folder = ctx.work / "publish-index"
    with Index(ctx.tools.pypi_server, folder, ctx.work / "publish-index.log", htpasswd=htpasswd) as index:
        r.note(f"publish index {index.url} (pypiserver, -P htpasswd -a update, no overwrite), folder {folder}")
        wrong = upload(ctx, index, wheel, PASSWORD + "-wrong")
        r.check("an upload with a wrong password is refused (403) and publishes nothing",
                wrong.code != 0 and "403" in wrong.out + wrong.err and not any(folder.iterdir()),
                f"exit {wrong.code}: {wrong.tail(3)}")
        first = upload(ctx, index, wheel, PASSWORD)
        stored = folder / wheel.name
        r.check(f"twine upload of {wheel.name} succeeds", first.code == 0, f"exit {first.code}: {first.tail(4)}")
        served = index.download(f"packages/{wheel.name}")
        r.check("the index serves exactly the uploaded bytes", served is not None and stored.is_file()
                and sha256_file(stored) == sha256_file(wheel) and served == wheel.read_bytes())
        again = upload(ctx, index, wheel, PASSWORD)
        r.check("a re-upload of the same file is refused (400) and the stored file is unchanged",
                again.code != 0 and "400" in again.out + again.err and sha256_file(stored) == sha256_file(wheel),
                f"exit {again.code}: {again.tail(3)}")
        install(ctx, index, wheel)
        pw = ctx.purewheel
        if pw.has("pending"):
            result = pw(upstream_index.simple, *pw.with_cache("pending", ctx.recipe, "--published", index.simple,
                                                           "--format", "json"))
            versions, detail = pending_versions(result)
            r.check(f"pending --published {index.simple} no longer lists {NEXT} ({REAL} still pending)",
                    versions is not None and NEXT not in versions and REAL in versions, detail)
        else:
            r.check(f"pending --published {index.simple} no longer lists {NEXT}", False, pw.missing("pending"))
        r.section("4b", f"a fixed repack of the published {NEXT}: revision = 1 publishes {NEXT}.post1")
        guarded(r, "4b", lambda: step_revision.run_step(ctx, upstream_index, index))


def install(ctx: Context, index: Index, wheel: Path) -> None:
    r = ctx.report
    minor = ".".join(full_version(ctx.python).split(".")[:2])
    house, how = Wheelhouses(ctx.cache, LoggedRunner(ctx.work, clean_env())).get(minor, ctx.python, wheel, "wheelhouse")
    how = how or "resolved (or reused from the cache)"
    if not r.check("dependency wheelhouse (grpcio, protobuf, ...) for CPython 3.11", house is not None, how):
        return
    venv = ctx.work / "venv-published"
    shutil.rmtree(venv, ignore_errors=True)
    made = run([ctx.python, "-m", "venv", venv])
    vpy = venv / "bin" / "python"
    # Only the publish index and the wheelhouse: no pip config file, no cache that could hold another copy.
    env = clean_env(PIP_CONFIG_FILE="/dev/null", PIP_NO_CACHE_DIR="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    env.pop("PIP_FIND_LINKS", None)
    env.pop("PIP_INDEX_URL", None)
    result = run([vpy, "-m", "pip", "install", "--quiet", "--only-binary=:all:", "--index-url", index.simple,
                  "--find-links", house, f"ml-metadata-remote=={NEXT}"], env=env, timeout=600)
    installed = made.code == 0 and result.code == 0
    r.check(f"pip install ml-metadata-remote=={NEXT} --index-url {index.simple} into a fresh venv", installed,
            f"exit {result.code}: {result.tail(6)}" if not installed else "")
    if not installed:
        return
    probe = run([vpy, "-I", PROBE])
    try:
        data = json.loads(probe.out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        data = {"error": probe.tail()}
    r.check(f"it imports ml_metadata {NEXT} and creates the 9 system types ({', '.join(TYPE_NAMES[:2])}, ...)",
            data.get("ml_metadata") == NEXT and data.get("distribution") == NEXT and data.get("types") == list(TYPE_NAMES),
            json.dumps(data))
