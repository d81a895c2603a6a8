"""`purewheel lock-diff` on the real lock change of step 2, as the release workflow's `lock` job runs it before a
job that may push trusts the new lock: the change pinning the next release passes; the same change with one old
pin altered, or checked against another version, is refused (exit 1)."""

from __future__ import annotations

import re

from ..proc import Result

from .context import Context


def check_lock_diff(ctx: Context, before: bytes | None, version: str, files: dict[str, str]) -> None:
    r, pw = ctx.report, ctx.purewheel
    if not pw.has("lock-diff"):
        r.check("lock-diff confirms the lock change", False, pw.missing("lock-diff"))
        return
    if before is None or not ctx.lock.is_file():
        r.check("lock-diff confirms the lock change", False, "no lock before or after step 2's lock run")
        return
    base, tampered = ctx.work / "base.lock", ctx.work / "tampered.lock"
    base.write_bytes(before)
    head = ctx.lock.read_text()
    diff = ["lock-diff", "--base", base, "--head"]
    result = pw("", *diff, ctx.lock, "--only-versions", version)
    listed = sorted(re.findall(r"^  (\S+)  sha256 ([0-9a-f]{64})$", result.out, re.M))
    ok = result.code == 0 and listed == sorted(files.items())
    r.check(f"lock-diff: the change only adds the {len(files)} pins of {version} (exit 0, each listed with its sha256)",
            ok, "" if ok else _said(result))
    other = pw("", *diff, ctx.lock, "--only-versions", "99.0")
    ok = other.code == 1 and f"{version}: " in other.out and "no pin of this version is added" in other.out
    r.check(f"lock-diff against another version: exit 1, naming the {version} pins as not allowed", ok,
            "" if ok else _said(other))
    old_pin = re.search(r'^"(?!.*-' + re.escape(version) + r'-)[^"]+\.whl" = "([0-9a-f]{64})"$', head, re.M)
    if old_pin is None:
        r.check("lock-diff: a changed old pin is refused", False, "the base lock pins no other version")
        return
    flipped = ("0" if old_pin.group(1)[0] != "0" else "1") + old_pin.group(1)[1:]
    tampered.write_text(head.replace(old_pin.group(1), flipped, 1))
    changed = pw("", *diff, tampered, "--only-versions", version)
    ok = changed.code == 1 and old_pin.group(1) in changed.out and flipped in changed.out
    r.check("lock-diff: the same change with one old pin altered is exit 1, naming both digests", ok,
            "" if ok else _said(changed))


def _said(result: Result) -> str:
    return f"exit {result.code}\n{result.out[-600:]}{result.err[-400:]}"
