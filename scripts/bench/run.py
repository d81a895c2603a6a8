"""Runs the benchmark groups scripts/bench.sh describes and prints one Markdown table.

    python run.py SPEC.json

SPEC is a list of groups: {"group": label, "input": label, "rounds": N, "warmup": [argv...],
"tools": [{"name": label, "argv": [...], "after": [...optional cleanup argv...], "ok": [exit codes],
"rounds": optional smaller count for a slow peer}], "direct": optional, true to time with `timed_direct`}. The first tool of a
group is the reference for ratios. Within a group the tools run interleaved (round 1: every tool, round 2:
every tool in rotated order, ...), so load from other processes spreads over all tools alike; each run is
timed by `timed` below. Reports the median and min-max wall time, median CPU time (user + system), peak RSS (largest
of the rounds) and each tool's median relative to the reference's.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time


def timed(argv):
    """Runs argv once under /usr/bin/time. Wall time is taken around it and CPU time (user + system) from wait4,
    which counts the children waited for, both to the microsecond (/usr/bin/time rounds to 10 ms). Peak RSS
    comes from /usr/bin/time, whose small process is what the tool's starts from: wait4 on a child this
    Python forked directly would count Python's own RSS from before the exec."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", out.name, *argv], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        # The peers print little; reading stderr to its end before wait4 cannot block them.
        err = proc.stderr.read().decode(errors="replace")
        proc.stderr.close()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        rss = float(out.read().split()[-1])
    return proc.returncode, wall, usage.ru_utime + usage.ru_stime, rss / 1024, err[-400:]


def timed_direct(argv):
    """Runs argv once with posix_spawn, no /usr/bin/time in between, for runs of a few milliseconds whose own
    start-up is what is measured. Wall time around it, CPU time and peak RSS from wait4."""
    with open(os.devnull, "wb") as null:
        start = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, null.fileno(), 1),
                                                                       (os.POSIX_SPAWN_DUP2, null.fileno(), 2)])
        _, status, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - start
    return os.waitstatus_to_exitcode(status), wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, ""


def run_group(group):
    tools = group["tools"]
    samples = {t["name"]: [] for t in tools}
    codes = {t["name"]: set() for t in tools}
    for argv in group.get("warmup", []):
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for r in range(group["rounds"]):
        order = tools[r % len(tools) :] + tools[: r % len(tools)]
        for tool in order:
            if r >= tool.get("rounds", group["rounds"]):
                continue
            code, wall, cpu, rss, err = (timed_direct if group.get("direct") else timed)(tool["argv"])
            codes[tool["name"]].add(code)
            if code not in tool.get("ok", [0]):
                print(f"warning: {group['group']} / {tool['name']} exited {code}: {err.strip()}", file=sys.stderr)
            samples[tool["name"]].append((wall, cpu, rss))
            if tool.get("after"):
                subprocess.run(tool["after"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows = []
    reference = statistics.median(w for w, _, _ in samples[tools[0]["name"]])
    for tool in tools:
        walls = [w for w, _, _ in samples[tool["name"]]]
        median = statistics.median(walls)
        rows.append(
            {
                "group": group["group"],
                "input": group["input"],
                "tool": tool["name"],
                "median": median,
                "min": min(walls),
                "max": max(walls),
                "cpu": statistics.median(c for _, c, _ in samples[tool["name"]]),
                "rss": max(m for _, _, m in samples[tool["name"]]),
                "ratio": median / reference if reference > 0 else float("nan"),
                "exit": sorted(codes[tool["name"]]),
            }
        )
        print(f"  {group['group']:<28} {tool['name']:<34} {median:8.3f} s", file=sys.stderr, flush=True)
    return rows


def fmt(seconds):
    if seconds < 0.1:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def main():
    with open(sys.argv[1]) as f:
        groups = json.load(f)
    rows = []
    for group in groups:
        rows += run_group(group)
    with open(os.environ.get("BENCH_JSON", os.devnull), "w") as f:
        json.dump(rows, f, indent=1)
    print("| job | input | tool | median | min–max | CPU | peak RSS | × purewheel |")
    print("|---|---|---|---:|---:|---:|---:|---:|")
    for row in rows:
        print(
            f"| {row['group']} | {row['input']} | {row['tool']} | {fmt(row['median'])} | "
            f"{fmt(row['min'])}–{fmt(row['max'])} | {fmt(row['cpu'])} | {row['rss']:.0f} MiB | {row['ratio']:.2f} |"
        )


if __name__ == "__main__":
    main()
