"""Section 6: failure behaviour as users see it: exit codes, no output on failure, a good output is never replaced
by a failed build (also not by a SIGKILL in the middle of one)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

from ..hashing import sha256_file as sha256
from ..pins import Pin
from ..proc import Result, run
from .context import Context
from .purewheel import CANONICAL_VERSION, EXIT_BAD_INPUT, EXIT_CONFIG, EXIT_NO_INPUT, others, whls
from .races import Races


def failures(ctx: Context, files: dict[Pin, Path], reference: dict[str, Path], recipe: Path) -> None:
    ctx.report.section("6", "failure behaviour as users see it")
    canonical = sorted(p for p in files if p.version == CANONICAL_VERSION and p.family == "linux")
    if not canonical:
        ctx.report.check("a canonical upstream file is available for the failure checks", False)
        return
    checks = FailureChecks(ctx, files, canonical[-1], recipe)
    checks.damaged_inputs()
    checks.unpinned(reference)
    checks.recipe_errors()
    if CANONICAL_VERSION not in reference:
        return
    good = reference[CANONICAL_VERSION]
    checks.keeps_good(good, f"tampered input (exit {EXIT_BAD_INPUT})", [checks.tampered], expect=EXIT_BAD_INPUT)
    checks.patch_does_not_apply(good)
    # A batch where one input is fine and one is not: nothing may be published.
    others_pinned = [p for p in files if p.version == CANONICAL_VERSION and p != checks.pin]
    if others_pinned:
        checks.keeps_good(good, "a batch of a good input and a tampered one", [files[others_pinned[0]], checks.tampered],
                          expect=EXIT_BAD_INPUT)
    checks.killed_build(good)
    Races(ctx.report, ctx.purewheel, checks.root, files[checks.pin], good.name, checks.tampered).run_all()


class FailureChecks:
    """The failure checks on one pinned input (`pin`) and two damaged copies of it."""

    def __init__(self, ctx: Context, files: dict[Pin, Path], pin: Pin, recipe: Path) -> None:
        self.ctx, self.r, self.pw = ctx, ctx.report, ctx.purewheel
        self.files, self.pin, self.recipe = files, pin, recipe
        self.root = ctx.work / "failures"
        self.root.mkdir(parents=True, exist_ok=True)
        self.recipes = self.root / "recipes"
        # Two ways to change a pinned file's bytes while keeping its name: append a byte (the zip now has trailing
        # data after its end record, which a strict reader rejects), and add a one-byte zip comment (still a valid zip).
        self.tampered = self.root / "tampered" / pin.name
        self.tampered.parent.mkdir()
        shutil.copyfile(files[pin], self.tampered)
        with open(self.tampered, "ab") as handle:
            handle.write(b"\0")
        self.commented = self.root / "commented" / pin.name
        self.commented.parent.mkdir()
        data = bytearray(files[pin].read_bytes())
        end = data.rfind(b"PK\x05\x06")
        length = int.from_bytes(data[end + 20:end + 22], "little")
        data[end + 20:end + 22] = (length + 1).to_bytes(2, "little")
        data += b"!"
        self.commented.write_bytes(bytes(data))

    def first_line(self, result: Result) -> str:
        lines = [line for line in (result.err + result.out).splitlines() if line.strip()]
        return lines[0].replace(str(self.ctx.work), "$WORK")[:220] if lines else "(no message)"

    def damaged_inputs(self) -> None:
        for label, path in (("a byte appended", self.tampered), ("a one-byte zip comment added", self.commented)):
            out = self.root / f"out-{path.parent.name}"
            res = self.pw.build_wheels([path], out)
            leftovers = [p.name for p in whls(out)] + others(out)
            self.r.check(f"--wheel with a pinned name, {label}: exit {EXIT_BAD_INPUT}, sha256 mismatch reported, no output",
                         res.code == EXIT_BAD_INPUT and "sha256" in res.err and not leftovers,
                         f"exit {res.code}: {self.first_line(res)}" + (f"; left in out: {leftovers}" if leftovers else ""))

    def unpinned(self, reference: dict[str, Path]) -> None:
        out = self.root / "out-unpinned"
        res = self.pw.build_wheels([self.commented], out, "--allow-unpinned")
        built = whls(out)
        self.r.check("--allow-unpinned on the commented file: builds, summary says UNPINNED",
                     res.code == 0 and len(built) == 1 and "UNPINNED" in res.out,
                     next((line.strip() for line in res.out.splitlines() if "UNPINNED" in line), "") if res.code == 0
                     else f"exit {res.code}: {self.first_line(res)}\n{res.tail(4)}")
        if len(built) == 1 and CANONICAL_VERSION in reference:
            # The SBOM names the file it really came from: the unpinned file alone, not the version's pins.
            compared = run([self.pw.binary, "compare", reference[CANONICAL_VERSION], built[0]])
            with zipfile.ZipFile(built[0]) as z:
                sbom = json.loads(z.read(next(n for n in z.namelist() if n.endswith(".dist-info/sboms/purewheel.cdx.json"))))
            ancestors = [(a["purl"], a["hashes"][0]["content"])
                         for a in sbom["metadata"]["component"]["pedigree"]["ancestors"]]
            wanted = [(f"pkg:pypi/ml-metadata@{CANONICAL_VERSION}?file_name={self.commented.name}", sha256(self.commented))]
            lines = compared.out.strip().splitlines()
            self.r.check("  ... and gives the pinned build's files, except its SBOM, whose one ancestor is the unpinned "
                         "file (name, sha256)", compared.code == 1 and lines[-1:] and lines[-1].startswith("1 of ")
                         and "sboms/purewheel.cdx.json" in compared.out and ancestors == wanted,
                         f"{lines[-1:] if lines else compared.tail()}; ancestors {ancestors}")
        out = self.root / "out-unpinned-damaged"
        res = self.pw.build_wheels([self.tampered], out, "--allow-unpinned")
        leftovers = [p.name for p in whls(out)] + others(out)
        self.r.check(f"--allow-unpinned on the file with a byte appended: refused as a damaged zip (exit {EXIT_BAD_INPUT}), no output",
                     res.code == EXIT_BAD_INPUT and not leftovers, f"exit {res.code}: {self.first_line(res)}")

    def recipe_errors(self) -> None:
        """A missing recipe (66) and one with an unknown key (78), beside a copy of the recipe that builds."""
        root, recipe, pw = self.root, self.recipe, self.pw
        res = run([pw.binary, "build", root / "no-such-recipe.toml", "--upstream-version", CANONICAL_VERSION, "--out", root / "out-missing"])
        self.r.check(f"a missing recipe: exit {EXIT_NO_INPUT}", res.code == EXIT_NO_INPUT and not whls(root / "out-missing"),
                     f"exit {res.code}: {self.first_line(res)}")
        self.recipes.mkdir()
        shutil.copyfile(recipe, self.recipes / recipe.name)
        shutil.copyfile(recipe.with_suffix(".lock"), self.recipes / recipe.with_suffix(".lock").name)
        if (recipe.parent / recipe.stem).is_dir():
            shutil.copytree(recipe.parent / recipe.stem, self.recipes / recipe.stem)
        text = (self.recipes / recipe.name).read_text()
        bad_recipe = self.recipes / "with-colour.toml"
        patched, n = re.subn(r"^schema = 1$", "schema = 1\ncolour = 1", text, count=1, flags=re.M)
        bad_recipe.write_text(patched if n else "colour = 1\n" + text)
        res = pw.build_wheels([self.files[self.pin]], root / "out-colour", recipe=bad_recipe)
        self.r.check(f"a recipe with an unknown key `colour = 1`: exit {EXIT_CONFIG} naming the key",
                     res.code == EXIT_CONFIG and "colour" in res.err + res.out and not whls(root / "out-colour"),
                     f"exit {res.code}: {self.first_line(res)}")
        # The copied recipe itself (without the extra key) must still build: the failure above is the key, not the copy.
        res = pw.build_wheels([self.files[self.pin]], root / "out-copy", recipe=self.recipes / recipe.name)
        self.r.check("  ... while the unmodified copy of the recipe builds", res.code == 0 and len(whls(root / "out-copy")) == 1,
                     "" if res.code == 0 else f"exit {res.code}: {self.first_line(res)}")

    def keeps_good(self, good: Path, label: str, inputs: list[Path], *extra: str, recipe: Path | None = None,
                   expect: int | None = None) -> None:
        out = self.root / f"out-keep-{len(list(self.root.glob('out-keep-*')))}"
        out.mkdir()
        kept = out / good.name
        shutil.copyfile(good, kept)
        os.utime(kept, (1_000_000_000, 1_000_000_000))
        before = (kept.stat().st_ino, kept.stat().st_mtime_ns, sha256(kept))
        res = self.pw.build_wheels(inputs, out, *extra, recipe=recipe)
        after = (kept.stat().st_ino, kept.stat().st_mtime_ns, sha256(kept)) if kept.exists() else None
        leftovers = [p.name for p in out.iterdir() if p.name != good.name]
        code_ok = res.code != 0 if expect is None else res.code == expect
        self.r.check(f"pre-existing good output untouched by a failed build: {label}",
                     code_ok and after == before and not leftovers,
                     f"exit {res.code}: {self.first_line(res)}" + ("" if after == before else "; the output was replaced or changed")
                     + (f"; extra files {leftovers}" if leftovers else ""))

    def patch_does_not_apply(self, good: Path) -> None:
        """A later stage fails: the good pinned input of the same version with a patch whose context no longer
        matches."""
        broken = self.root / "recipes-broken-patch"
        shutil.copytree(self.recipes, broken)
        (broken / "with-colour.toml").unlink()
        patch_files = sorted((broken / self.recipe.stem / "patches").glob("*1.17*.diff"))
        if not patch_files:
            return
        patch = patch_files[0]
        lines = patch.read_text().splitlines(keepends=True)
        for i, line in enumerate(lines):
            if line.startswith(" ") and line.strip():
                lines[i] = " # e2e: this context line does not exist upstream\n"
                break
        patch.write_text("".join(lines))
        self.keeps_good(good, f"a patch of the recipe does not apply ({patch.name} with one context line changed): exit {EXIT_CONFIG}",
                        [self.files[self.pin]], recipe=broken / self.recipe.name, expect=EXIT_CONFIG)

    def killed_build(self, good: Path) -> None:
        """SIGKILL in the middle of a batch build: no cleanup code runs, yet no .whl may appear at the destination,
        the good one there stays, and the next build removes the abandoned staging folder."""
        out = self.root / "out-killed"
        out.mkdir()
        kept = out / good.name
        shutil.copyfile(good, kept)
        before = sha256(kept)
        inputs = [arg for path in sorted(self.files.values()) for arg in ("--wheel", str(path))]
        proc = subprocess.Popen([str(self.pw.binary), "build", str(self.pw.recipe), *inputs, "--out", str(out)],
                                env=self.pw.env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not any(p.name.startswith(".purewheel-staging-") for p in out.iterdir()):
            time.sleep(0.05)
        time.sleep(0.5)
        still_running = proc.poll() is None
        proc.kill()
        proc.wait()
        visible = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
        self.r.check("SIGKILL mid-build: no new or partial .whl at the destination, the good one unchanged",
                     still_running and visible == [good.name] and sha256(kept) == before,
                     f"killed while running: {still_running}; visible files: {visible}")
        res = self.pw.build_wheels([next(iter(sorted(self.files.values())))], out)
        hidden = sorted(p.name for p in out.iterdir() if p.name.startswith("."))
        self.r.check("  ... and the next build removes the abandoned staging folder", res.code == 0 and not hidden,
                     f"exit {res.code}; hidden leftovers: {hidden}")
