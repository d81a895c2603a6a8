"""Judges `purewheel check --profile pypi --format json` reports of the popular wheels.

    evaluate.py MANIFEST_TSV ALLOWLIST_TSV REPORT.json...

Fails on any error that the default profile reports (an install-breaking or spec-breaking finding) unless
the allowlist argues it as a true defect of that wheel. Errors only `--profile pypi` raises (the zip features
PyPI refuses since its 2025 upload rules) are listed but do not fail: older uploads predate those rules.
Logs name, version and sha256 of every wheel checked, and closes with `e2e-popular: N passed, N failed`.
"""

import fnmatch
import json
import os
import sys

# Codes that are warnings by default and errors under --profile pypi (CheckProfile.pypiErrors in Swift).
MINIMUM_CHECKED = 200
PYPI_ONLY = {
    "PW120", "PW122", "PW123", "PW127", "PW128", "PW140", "PW514", "PW515", "PW611", "PW620",
    "PW628", "PW629", "PW630", "PW631", "PW632", "PW633", "PW634", "PW635", "PW636", "PW637",
    "PW638", "PW639", "PW640", "PW641", "PW642", "PW643", "PW644", "PW645", "PW648", "PW649",
}


def load_allowlist(path):
    rules = []
    with open(path) as handle:
        for line in handle:
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            rules.append((parts[0], parts[1], parts[2] if len(parts) > 2 else "*"))
    return rules


def allowed(rules, project, finding):
    return any(
        fnmatch.fnmatch(project, p) and finding["code"] == c and fnmatch.fnmatch(finding["entry"] or "", e)
        for p, c, e in rules
    )


def main():
    manifest, allowlist, reports = sys.argv[1], sys.argv[2], sys.argv[3:]
    rules = load_allowlist(allowlist)
    with open(manifest) as handle:
        rows = [line.rstrip("\n").split("\t") for line in handle][1:]
    by_file = {row[2]: row for row in rows if row[4] == "ok"}
    results = {}
    for report in reports:
        with open(report) as handle:
            for wheel in json.load(handle)["wheels"]:
                results[os.path.basename(wheel["path"])] = wheel
    passed = failed = 0
    pypi_only = []
    used = set()
    for filename, row in sorted(by_file.items(), key=lambda item: item[1][0]):
        wheel = results.get(filename)
        if wheel is None:
            print("FAIL %s %s: no report" % (row[0], row[1]))
            failed += 1
            continue
        errors = [f for f in wheel["findings"] if f["severity"] == "error"]
        hard = [f for f in errors if f["code"] not in PYPI_ONLY]
        unexplained = [f for f in hard if not allowed(rules, row[0], f)]
        for f in hard:
            if allowed(rules, row[0], f):
                used.add((row[0], f["code"]))
        pypi_only += [(row[0], f) for f in errors if f["code"] in PYPI_ONLY]
        status = "ok" if not unexplained else "FAIL"
        print("%s %s %s sha256=%s errors=%d warnings=%d" % (status, row[0], row[1], row[3], len(errors), wheel["warnings"]))
        for f in unexplained:
            print("    %s %s: %s (expected %s, actual %s)" % (f["code"], f["entry"] or "-", f["message"], f["expected"], f["actual"]))
        if unexplained:
            failed += 1
        else:
            passed += 1
    for project, f in pypi_only:
        print("pypi-profile only: %s %s %s: %s" % (project, f["code"], f["entry"] or "-", f["message"]))
    too_large = [row for row in rows if row[4].startswith("too-large")]
    no_wheel = [row for row in rows if row[4] == "no-wheel"]
    other = [row for row in rows if row[4] not in ("ok", "no-wheel") and not row[4].startswith("too-large")]
    print("skipped %d wheels over 50 MB: %s" % (len(too_large), " ".join("%s (%s bytes)" % (r[2], r[4].split(":")[1]) for r in too_large)))
    print("no wheel for this interpreter: %d projects: %s" % (len(no_wheel), " ".join(r[0] for r in no_wheel)))
    for row in other:
        print("FAIL %s: %s" % (row[0], row[4]))
        failed += 1
    print("checked %d wheels of the %d most-downloaded projects; allowlisted: %s"
          % (passed + failed - len(other), len(rows), ", ".join("%s %s" % u for u in sorted(used)) or "none"))
    # The list holds 260 projects that all ship wheels today: far fewer checked means the fetch went wrong.
    if passed + failed < MINIMUM_CHECKED:
        print("FAIL only %d wheels checked (at least %d expected)" % (passed + failed, MINIMUM_CHECKED))
        failed += 1
    print("e2e-popular: %d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
