"""Step 5: bad input fails with the documented exit code and a message naming the thing, and changes nothing:
the lock and the output folders stay byte-identical."""

from __future__ import annotations

import shutil

from ..hashing import sha256_file, snapshot
from ..proc import Result

from .context import Context
from .index import Index, closed_port
from .step_releases import NEXT, Releases, conflicting_copy

MISSING = "9.9.9"


def tail(result: Result) -> str:
    return f"exit {result.code}\n{result.tail(5)}"


def run_step(ctx: Context, releases: Releases, index: Index) -> None:
    r, pw = ctx.report, ctx.purewheel
    if not pw.has("lock"):
        r.check("bad input to lock (9.9.9, index down, malformed and duplicated pins, pin conflict)", False,
                pw.missing("lock"))
        return
    outputs = [ctx.work / "dist", ctx.work / "dist-broken"]
    before_outputs = {str(o): snapshot(o) for o in outputs}
    good = ctx.lock_bytes()
    lock_name = ctx.lock.name

    def unchanged(expected: bytes | None) -> bool:
        return ctx.lock_bytes() == expected and all(snapshot(o) == s for o, s in
                                                      zip(outputs, before_outputs.values()))

    result = pw(index.simple, *pw.with_cache("lock", ctx.recipe, "--upstream-version", MISSING))
    r.check(f"lock --upstream-version {MISSING} exits 66 naming {MISSING}; lock and outputs unchanged",
            result.code == 66 and MISSING in result.err and unchanged(good), tail(result))

    down = f"http://127.0.0.1:{closed_port()}/simple/"
    result = pw(down, *pw.with_cache("lock", ctx.recipe), timeout=300)
    r.check(f"lock with pip pointed at a closed port ({down}) exits 74 naming pip; lock and outputs unchanged",
            result.code == 74 and "pip" in result.err.lower() and unchanged(good), tail(result))
    result = pw(down, *pw.with_cache("pending", ctx.recipe, "--published", ctx.work / "dist"), timeout=300)
    r.check(f"pending with the index down (PIP_RETRIES=0) exits 74 with pip's connection error, not 'nothing pending'",
            result.code == 74 and result.out == "" and "connection error" in result.err, tail(result))

    if good is None or NEXT not in good.decode():
        r.check("malformed, duplicated and conflicting pins (needs a lock pinning 1.22.0)", False,
                f"no {lock_name} with {NEXT} pins after step 2")
        return
    text = good.decode()
    name = releases.next["3.11"].name
    pin = sha256_file(releases.next["3.11"])
    line = next((l for l in text.splitlines() if l.strip().startswith(f'"{name}"')), None)
    if line is None:
        r.check(f"{lock_name} has a line for {name}", False, text[:400])
        return

    bad_pins(ctx, index, text, line, name, pin, unchanged)
    conflict(ctx, releases, index, name, pin, unchanged, good)


def bad_pins(ctx: Context, index: Index, text: str, line: str, name: str, pin: str, unchanged) -> None:
    """A malformed pin and a duplicated one in the lock: exit 78, nothing changed; the lock is restored."""
    r, pw, lock_name, good = ctx.report, ctx.purewheel, ctx.lock.name, ctx.lock_bytes()
    bad_hash = text.replace(line, line.replace(pin, pin[:10]))
    ctx.lock.write_text(bad_hash)
    result = pw(index.simple, *pw.with_cache("lock", ctx.recipe, "--upstream-version", NEXT))
    r.check(f"a 10-hex-digit pin in {lock_name}: exit 78 naming the lock and {name}; nothing changed",
            result.code == 78 and lock_name in result.err and name in result.err
            and unchanged(bad_hash.encode()), tail(result))

    duplicated = text.replace(line, line + "\n" + line)
    ctx.lock.write_text(duplicated)
    result = pw(index.simple, *pw.with_cache("lock", ctx.recipe, "--upstream-version", NEXT))
    r.check(f"{name} twice in one table of {lock_name}: exit 78 naming the lock and the key; nothing changed",
            result.code == 78 and lock_name in result.err and name in result.err
            and unchanged(duplicated.encode()), tail(result))
    ctx.lock.write_bytes(good)


def conflict(ctx: Context, releases: Releases, index: Index, name: str, pin: str, unchanged, good: bytes) -> None:
    """A pinned file re-served with other bytes: lock exits 3 naming the file and both sha256."""
    r, pw = ctx.report, ctx.purewheel
    served = releases.served / name
    original = served.read_bytes()
    other = conflicting_copy(releases, "3.11", ctx.work / "conflict")
    new_pin = sha256_file(other)
    try:
        shutil.copyfile(other, served)
        result = pw(index.simple, *pw.with_cache("lock", ctx.recipe, "--upstream-version", NEXT))
        both = pin in result.err and new_pin in result.err
        r.check(f"{name} re-served with other bytes: lock exits 3 naming the file and both sha256; nothing changed",
                result.code == 3 and name in result.err and both and unchanged(good),
                tail(result) + f"\n(pinned {pin}, served {new_pin})")
    finally:
        served.write_bytes(original)
