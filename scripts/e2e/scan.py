"""The corpus scan of .github/workflows/scan.yml, run here with real pip and real wheels (`python -m e2e scan`).

Per shard, the names scripts/scan/pick.py picks from scan/distributions.txt are downloaded with pip into the same
folder the workflow uses, checked with `check --shard K/N --format jsonl`, and `merge-reports` must then equal,
byte for byte, an unsharded `check` of all those wheels; pick.py must agree with `check --shard` on every wheel
of the popular part's cache when it is there; a cut-short shard must be refused.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from e2e.report import Report

ROOT = Path(__file__).resolve().parents[2]
LIST = ROOT / "scan" / "distributions.txt"
PICK = ROOT / "scripts" / "scan" / "pick.py"
POPULAR = Path(os.environ.get("PUREWHEEL_E2E_CACHE", Path.home() / ".cache" / "purewheel-e2e")) / "popular"


def run(arguments: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(arguments, capture_output=True, text=True, **kwargs)


def pick(names: Path, index: int, count: int) -> list[str]:
    result = run([sys.executable, str(PICK), str(names), str(index), str(count)], check=True)
    return result.stdout.split()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Nothing beyond the binary."""


def main(args: argparse.Namespace) -> int:
    binary = str(args.purewheel)
    report = Report(counts_skips=True)
    count = 3
    with tempfile.TemporaryDirectory(prefix="purewheel-e2e-scan-") as temp:
        work = Path(temp)
        wheels = work / "wheels"  # the one folder every shard job uses, as in the workflow
        everything = work / "all"
        everything.mkdir()
        outputs = []
        report.section("1", f"{count} shards of {LIST.relative_to(ROOT)}, downloaded with pip")
        picked = [pick(LIST, index, count) for index in range(1, count + 1)]
        report.check("pick.py gives every name to exactly one shard",
                     sorted(sum(picked, [])) == sorted(set(sum(picked, []))) and len(sum(picked, [])) > 0,
                     f"{[len(p) for p in picked]} names")
        for index, names in enumerate(picked, 1):
            shutil.rmtree(wheels, ignore_errors=True)
            wheels.mkdir()
            for name in names:
                download = run([sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
                                "--no-deps", "--only-binary=:all:", "--dest", str(wheels), "--", name])
                if download.returncode != 0:
                    report.log(f"no wheel for {name}: {download.stderr.strip().splitlines()[-1:]}")
            downloaded = sorted(p.name for p in wheels.glob("*.whl"))
            checked = run([binary, "check", "--no-config", "--shard", f"{index}/{count}", "--format", "jsonl",
                           str(wheels)])
            lines = checked.stdout.splitlines()
            paths = {line.split('"path":"', 1)[1].split('"', 1)[0] for line in lines[1:-1]}
            report.check(f"shard {index}/{count}: check --shard keeps every wheel pip downloaded for its names",
                         checked.returncode in (0, 1) and len(paths) == len(downloaded) > 0,
                         f"{len(downloaded)} downloaded, {len(paths)} checked, exit {checked.returncode}")
            output = work / f"shard-{index}.jsonl"
            output.write_text(checked.stdout)
            outputs.append(str(output))
            for name in downloaded:
                shutil.copy2(wheels / name, everything / name)
        shutil.rmtree(wheels)
        everything.rename(wheels)

        report.section("2", "merge-reports against one unsharded check")
        for format in ["json", "sarif", "text"]:
            whole = run([binary, "check", "--no-config", "--format", format, str(wheels)])
            merged = run([binary, "merge-reports", "--format", format, *reversed(outputs)])
            report.check(f"{format}: merged shards equal the unsharded report byte for byte",
                         merged.stdout == whole.stdout and merged.returncode == whole.returncode
                         and merged.stderr == "",
                         f"exit {merged.returncode} vs {whole.returncode}, {len(whole.stdout)} bytes")

        report.section("3", "a cut-short or missing shard is refused")
        cut = work / "cut.jsonl"
        cut.write_text("".join(Path(outputs[0]).read_text().splitlines(keepends=True)[:-1]))
        refused = run([binary, "merge-reports", str(cut), *outputs[1:]])
        report.check("a shard without its end line: exit 65 naming the file",
                     refused.returncode == 65 and refused.stdout == "" and str(cut) in refused.stderr,
                     refused.stderr.strip())
        refused = run([binary, "merge-reports", *outputs[1:]])
        report.check("a missing shard: exit 65", refused.returncode == 65 and "is missing" in refused.stderr,
                     refused.stderr.strip())

        report.section("4", "pick.py agrees with check --shard on real wheel names")
        popular = sorted(POPULAR.glob("*.whl")) if POPULAR.is_dir() else []
        if not popular:
            report.skip("the e2e-popular cache", f"no wheels in {POPULAR} (run the popular part first)")
        else:
            names = work / "names.txt"
            names.write_text("".join(p.name.split("-", 1)[0] + "\n" for p in popular))
            for n in (2, 7):
                disagreements = []
                for k in range(1, n + 1):
                    expected = {name.lower().replace("_", "-").replace(".", "-") for name in pick(names, k, n)}
                    checked = run([binary, "check", "--no-config", "--shard", f"{k}/{n}", "--format", "jsonl",
                                   *map(str, popular)])
                    for line in checked.stdout.splitlines()[1:-1]:
                        project = line.split('"path":"', 1)[1].split('"', 1)[0].rsplit("/", 1)[-1].split("-", 1)[0]
                        if project.lower().replace("_", "-").replace(".", "-") not in expected:
                            disagreements.append(f"{project} in {k}/{n}")
                report.check(f"N = {n}: {len(popular)} wheels, each in the shard pick.py gives its project",
                             not disagreements, ", ".join(disagreements[:5]))
    report.print_failures()
    print(report.closing_line(), flush=True)
    return report.exit_code()
