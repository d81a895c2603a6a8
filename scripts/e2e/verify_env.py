"""`purewheel verify-env` on real environments (`python -m e2e verify-env`).

1. Fresh venvs made by pip, uv and `python -m installer` on each CPython (3.9-3.13 where installed), holding a demo
   wheel built here (a package, an owned paths-only `.pth`, a console script, a `.data/scripts` file) and the pip
   wheel CPython bundles: each verifies with exit 0 and no error (uv's `_virtualenv` hook is the only warning).
2. `pip install --user` of the demo wheel with a throwaway HOME: the user site verifies clean, given as a folder and
   found through `--python`.
3. One pip venv, then tampered with: a modified file (PW902), a deleted file (PW901), an orphan `.pth` with an
   `import` line (PW914), a RECORD row that climbs out of the prefix (PW906) and a FIFO in place of a listed file
   (PW907) are each reported with exit 1, without blocking.
4. With `--mlmd-dist DIR` (the ml-metadata-remote wheels `purewheel build` wrote): the newest of them installed with
   pip, uv and installer (`--no-deps`: the RECORD under test is its own) verifies clean.

Every verify-env run must leave its environment unchanged: the tree is hashed before and after. No index is used:
the tools (uv, installer) come from the e2e cache or through pip with their sha256 pins. Ends with `N passed, N
failed`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import stat
import sys
import tempfile
import zipfile
from pathlib import Path

from .hashing import record_hash, sha256_file
from .installers import INSTALLERS, Toolbox, install
from .interpreters import PYTHONS, Interpreters, bundled_pip
from .paths import REQUIREMENTS, default_cache
from .proc import LoggedRunner, StepError, harness_env, run
from .report import Report, guarded

DEMO = "demo_env-1.0-py3-none-any.whl"


def build_demo_wheel(folder: Path) -> Path:
    """A small wheel with what installers treat specially: a console script, a .data/scripts file, a .pth file."""
    files = {
        "demo_env/__init__.py": b"from .core import answer\n",
        "demo_env/core.py": b"def answer():\n    return 42\n",
        "demo_env/data.txt": b"payload\n",
        "demo_env.pth": b"# a path-only .pth file\n",
        "demo_env-1.0.data/scripts/demo-script": b"#!python\nprint('demo')\n",
        "demo_env-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\nName: demo-env\nVersion: 1.0\n",
        "demo_env-1.0.dist-info/WHEEL": b"Wheel-Version: 1.0\nGenerator: e2e\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        "demo_env-1.0.dist-info/entry_points.txt": b"[console_scripts]\ndemo-tool = demo_env:answer\n",
    }
    rows = [f"{name},{record_hash(data)},{len(data)}" for name, data in files.items()]
    rows.append("demo_env-1.0.dist-info/RECORD,,")
    path = folder / DEMO
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0))
            info.external_attr = (0o755 if "scripts" in name else 0o644) << 16
            archive.writestr(info, data)
        archive.writestr(zipfile.ZipInfo("demo_env-1.0.dist-info/RECORD", (2020, 1, 1, 0, 0, 0)), "\n".join(rows) + "\n")
    return path


def tree_state(folder: Path) -> dict[str, str]:
    """Every entry under folder without following links: a file's sha256, a link's target, other kinds by name."""
    state = {}
    for root, dirs, names in os.walk(folder):
        for name in dirs + names:
            path = Path(root, name)
            info = path.lstat()
            key = str(path.relative_to(folder))
            if stat.S_ISLNK(info.st_mode):
                state[key] = "link:" + os.readlink(path)
            elif stat.S_ISREG(info.st_mode):
                state[key] = sha256_file(path)
            elif stat.S_ISDIR(info.st_mode):
                state[key] = "dir"
            else:
                state[key] = f"mode:{stat.S_IFMT(info.st_mode):o}"
    return state


def changes(before: dict, after: dict) -> str:
    """The first entries that differ between two tree states ("" when none)."""
    return "" if before == after else str(sorted(set(before.items()) ^ set(after.items()))[:5])


def verify(binary: Path, args: list, env: dict | None = None) -> tuple[int, list[dict], str]:
    """Runs verify-env --format json; (exit code, reports, stderr)."""
    result = run([binary, "verify-env", "--format", "json", *args], env=env, timeout=600)
    try:
        return result.code, json.loads(result.out)["wheels"], result.err
    except (ValueError, KeyError):
        return result.code, [], f"unreadable output: {result.out[:300]} {result.err[:300]}"


def findings(reports: list[dict]) -> list[tuple[str, str, str, str]]:
    """(severity, code, report path's last part, entry) for every finding."""
    return [(f["severity"], f["code"], r["path"].rsplit("/", 1)[-1], f.get("entry") or "") for r in reports
            for f in r["findings"]]


def check_clean(report: Report, binary: Path, name: str, args: list, tree: Path, env: dict | None = None,
                allowed_warnings: tuple = (), distributions: int = 2) -> list[dict]:
    """verify-env on a fresh environment: exit 0, no error, only the allowed warnings, and the tree unchanged."""
    before = tree_state(tree)
    code, reports, err = verify(binary, args, env)
    after = tree_state(tree)
    found = findings(reports)
    unexpected = [f for f in found if f[0] == "error" or f[1] not in allowed_warnings]
    dists = sum(1 for r in reports if r["path"].endswith(".dist-info"))
    ok = code == 0 and not unexpected and dists >= distributions
    report.check(f"{name}: verifies clean ({dists} distributions, {len(found)} warnings)", ok,
                 "" if ok else f"exit {code}; {unexpected or found} {err.strip()[:300]}")
    report.check(f"{name}: nothing changed", before == after, changes(before, after))
    return reports


def prepare_tools(cache: Path, runner: LoggedRunner) -> Toolbox:
    """uv and installer's wheels, pinned by sha256 (requirements/tools.txt, installer-py39.txt), kept in the cache."""
    tools = cache / "verify-env-tools"
    req, legacy = REQUIREMENTS / "tools.txt", REQUIREMENTS / "installer-py39.txt"
    stamp = tools / ".e2e-stamp"
    pins = sha256_file(req) + sha256_file(legacy)
    if not stamp.exists() or stamp.read_text() != pins:
        shutil.rmtree(tools, ignore_errors=True)
        for r in (req, legacy):
            runner([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                    "--require-hashes", "-d", tools / "dl" / r.stem, "-r", r], "tools")
        runner([sys.executable, "-m", "venv", tools / "venv"], "tools")
        runner([tools / "venv" / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-index", "--find-links",
                tools / "dl" / req.stem, "--require-hashes", "-r", req], "tools")
        stamp.write_text(pins)
    [installer_wheel] = sorted((tools / "dl" / req.stem).glob("installer-*.whl"))
    [installer_py39] = sorted((tools / "dl" / legacy.stem).glob("installer-*.whl"))
    return Toolbox(tools / "venv" / "bin" / "uv", installer_wheel, installer_py39)


def fresh_environments(report: Report, binary: Path, runner: LoggedRunner, tools: Toolbox, pythons: list,
                       interpreters: Interpreters, work: Path, demo: Path) -> None:
    for minor in pythons:
        python = interpreters.find(minor)
        if python is None:
            report.skip(f"CPython {minor}", "not installed")
            continue
        installed_by_each(report, binary, runner, tools, python, minor, work / f"house-{minor}", demo,
                          lambda kind: (work / f"{kind}-{minor}", f"CPython {minor} {kind}"))


def installed_by_each(report: Report, binary: Path, runner: LoggedRunner, tools: Toolbox, python: Path, minor: str,
                      house: Path, wheel: Path, place) -> None:
    """`wheel` (and the pip CPython bundles) installed by pip, uv and installer, each into the venv `place(kind)`
    names with its test name; each venv verifies clean."""
    house.mkdir()
    shutil.copy(wheel, house)
    shutil.copy(bundled_pip(python), house)
    pip_wheel = next(house.glob("pip-*.whl"))
    for kind in INSTALLERS:
        venv, name = place(kind)
        try:
            install(runner, tools, kind, python, minor, venv, house, pip_wheel, f"install-{venv.name}")
            if kind != "installer":  # installer's way installs every other wheel of the house first
                install_more(runner, tools, kind, venv, house / wheel.name, f"install-{venv.name}")
        except StepError as error:
            report.check(f"{name}: installs", False, error.detail())
            continue
        hooks = ("PW917",) if kind == "uv" else ()
        check_clean(report, binary, name, ["--python", venv / "bin" / "python"], venv, allowed_warnings=hooks)


def install_more(runner: LoggedRunner, tools: Toolbox, kind: str, venv: Path, wheel: Path, name: str) -> None:
    """Adds the demo wheel to a venv that `install` made with pip (the pip it installed) or uv."""
    vpy = venv / "bin" / "python"
    if kind == "pip":
        runner([vpy, "-m", "pip", "install", "--quiet", "--no-index", "--no-deps", wheel], name)
    else:
        runner([tools.uv, "pip", "install", "--quiet", "--python", vpy, "--offline", "--no-index", "--no-deps", wheel],
               name)


def user_site(report: Report, binary: Path, runner: LoggedRunner, python: Path, work: Path, demo: Path) -> None:
    """pip install --user with a throwaway HOME; its user site verifies clean, given or found through --python."""
    home = work / "home"
    home.mkdir()
    env = dict(runner.env, HOME=str(home))
    env.pop("PYTHONUSERBASE", None)
    env.pop("PYTHONNOUSERSITE", None)
    runner([python, "-m", "pip", "install", "--quiet", "--user", "--no-index", "--no-deps", demo], "install-user",
           env=env)
    site = Path(run([python, "-c", "import site; print(site.getusersitepackages())"], env=env).out.strip())
    report.check("pip --user: installed under the throwaway HOME", str(site).startswith(str(home)) and site.is_dir(),
                 str(site))
    check_clean(report, binary, "pip --user site (given)", [site], home, distributions=1)
    before = tree_state(home)
    code, reports, err = verify(binary, ["--python", python], env)
    mine = [r for r in reports if r["path"].startswith(str(home))]
    ok = any(r["path"] == str(site) for r in mine) and not findings(mine)
    report.check("pip --user site (found through --python): listed, no finding", ok,
                 "" if ok else f"exit {code}; {[r['path'] for r in mine]} {findings(mine)} {err[:200]}")
    after = tree_state(home)
    report.check("pip --user site (found through --python): nothing changed", before == after, changes(before, after))


def mlmd_environments(report: Report, binary: Path, runner: LoggedRunner, tools: Toolbox, python: Path,
                      interpreters: Interpreters, work: Path, dist: Path) -> None:
    """The newest ml-metadata-remote wheel, installed by each installer, verifies clean."""
    wheels = sorted(dist.glob("ml_metadata_remote-*-py3-none-any.whl"),
                    key=lambda w: tuple(int(p) for p in w.name.split("-")[1].split(".")[:3]))
    if not report.check(f"ml-metadata-remote wheels in {dist}", bool(wheels), "" if wheels else "none found"):
        return
    minor = run([python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"]).out.strip()
    installed_by_each(report, binary, runner, tools, python, minor, work / "house-mlmd", wheels[-1],
                      lambda kind: (work / f"mlmd-{kind}", f"{wheels[-1].name} by {kind}"))


def tampered(report: Report, binary: Path, runner: LoggedRunner, tools: Toolbox, python: Path, work: Path,
             demo: Path) -> None:
    """Each kind of damage is reported with its code; verify-env neither blocks on the FIFO nor changes anything."""
    venv = work / "tampered"
    runner([python, "-m", "venv", "--without-pip", venv], "tampered")
    runner([venv / "bin" / "python", bundled_pip(python) / "pip", "install", "--quiet", "--no-index", "--no-deps", demo],
           "tampered")
    [site] = list((venv / "lib").glob("python3.*/site-packages"))
    (site / "demo_env" / "core.py").write_bytes(b"def answer():\n    return 43\n")  # same size, other bytes
    (site / "demo_env" / "__init__.py").unlink()
    (site / "zz_startup.pth").write_text("import os; os.environ.setdefault('OWNED', '1')\n")
    (site / "demo_env" / "data.txt").unlink()
    os.mkfifo(site / "demo_env" / "data.txt")
    outside = work / "outside.txt"
    outside.write_text("outside the prefix\n")
    record = site / "demo_env-1.0.dist-info" / "RECORD"
    with open(record, "a") as handle:
        handle.write(f"../../../../outside.txt,{record_hash(outside.read_bytes())},{outside.stat().st_size}\n")
    before = tree_state(venv)
    code, reports, err = verify(binary, [site])
    after = tree_state(venv)
    found = {(f[1], f[3]) for f in findings(reports)}
    report.check("tampered: exit 1", code == 1, f"exit {code} {err[:300]}")
    for code_, entry, what in (("PW902", "demo_env/core.py", "modified file"),
                               ("PW901", "demo_env/__init__.py", "deleted file"),
                               ("PW914", "zz_startup.pth", "orphan .pth with an import line"),
                               ("PW906", "../../../../outside.txt", "RECORD path out of the prefix"),
                               ("PW907", "demo_env/data.txt", "FIFO in place of a listed file")):
        report.check(f"tampered: {what} is {code_}", (code_, entry) in found, "" if (code_, entry) in found else f"{sorted(found)}")
    report.check("tampered: nothing changed", before == after, changes(before, after))
    report.check("tampered: the FIFO is still a FIFO", stat.S_ISFIFO((site / "demo_env" / "data.txt").lstat().st_mode))
    code, _, err = verify(binary, ["--ignore", "PW9", site])
    report.check("tampered: --ignore PW9 hides every finding (exit 0)", code == 0, f"exit {code} {err[:200]}")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cache", type=Path, default=default_cache())
    parser.add_argument("--pythons", default=",".join(PYTHONS),
                        help=f"comma-separated CPython versions (default {','.join(PYTHONS)})")
    parser.add_argument("--mlmd-dist", type=Path, metavar="DIR",
                        help="also verify an environment holding the newest ml-metadata-remote wheel in DIR")


def main(args: argparse.Namespace) -> int:
    report = Report(counts_skips=True)
    interpreters = Interpreters()
    with tempfile.TemporaryDirectory(prefix="purewheel-verify-env-") as scratch:
        work = Path(scratch)
        (work / "logs").mkdir()
        runner = LoggedRunner(work / "logs", harness_env(args.cache))
        demo = build_demo_wheel(work)
        driver = interpreters.driver_python(None)
        report.section("1", "fresh environments (pip, uv, installer) verify clean")
        tools = guarded(report, "tools", lambda: prepare_tools(args.cache, runner))
        if tools is not None:
            guarded(report, "fresh", lambda: fresh_environments(report, args.purewheel, runner, tools,
                                                                args.pythons.split(","), interpreters, work, demo))
        report.section("2", "pip install --user (throwaway HOME)")
        guarded(report, "user", lambda: user_site(report, args.purewheel, runner, driver, work, demo))
        report.section("3", "a tampered environment")
        guarded(report, "tampered", lambda: tampered(report, args.purewheel, runner, tools, driver, work, demo))
        if args.mlmd_dist is not None and tools is not None:
            report.section("4", "ml-metadata-remote installed by pip, uv and installer")
            guarded(report, "mlmd", lambda: mlmd_environments(report, args.purewheel, runner, tools, driver,
                                                              interpreters, work, args.mlmd_dist))
    report.print_failures()
    print(report.closing_line())
    return report.exit_code()
