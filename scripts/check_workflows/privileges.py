"""Privilege structure of the GitHub workflows, and what the pre-commit hook installs, checked by parsing them.

    python privileges.py REPO

Run by scripts/check-workflows.sh with the Python of its tool venv (ruamel.yaml comes with check-jsonschema).
Prints one `ok - …` or `FAIL - …` line per check, the problems indented under a failure; the shell script counts
them into its `N passed, N failed` line.

The rules (docs/trust.md, "The release workflow publishes only what it verified"):
  - A job that holds a write permission (id-token, contents, or any other; default token permissions count as
    write) runs no project or downloaded code: each `run:` step is bash or sh made only of the commands in
    SAFE_COMMANDS (no program named by a path, no interpreter, no `find -exec`), command substitutions included;
    it calls no local action and no reusable workflow.
  - A job that holds `id-token: write` checks out nothing.
  - Every run of the MLMD e2e workload (`python -m e2e mlmd`) installs its dependencies from the hash-pinned sets
    (`--hashed-requirements`), whatever the job's permissions: its imports must not be whatever the index serves.
  - In a job with a write permission, an artifact it downloads is compared (`sha256sum --check`) with a digest a
    read-only job recorded (`needs.<job>.outputs`) before any other action step runs.
  - The one program beyond those that a job with a write permission may run is the GitHub CLI as `gh release
    create` or `gh release upload` (attaching verified files to a release); any other `gh` command can run an
    extension or an alias, which is code from the runner's configuration.
  - Every `docker run`, `docker create` or `docker pull`, in any job, names its image by digest (`@sha256:`), directly
    or through an `env` variable of the workflow, job or step: a tag can move to other bytes between two runs.
  - pre-commit hooks resolve no name from the user's index by default: no installing hook has
    `additional_dependencies`, and the pyproject.toml that pre-commit installs for a `language: python` hook
    depends on nothing (`purewheel`, `purewheel-pre-commit` and `ml-metadata-remote` may belong to anyone there).
"""

from __future__ import annotations

import re
import shlex
import sys
import tomllib
from pathlib import Path

from ruamel.yaml import YAML

# Programs that come with the runner image and read or move files; none runs code it is handed.
SAFE_COMMANDS = frozenset({
    "[", "[[", "basename", "cat", "cd", "cmp", "cp", "cut", "diff", "dirname", "echo", "exit", "false", "find",
    "grep", "head", "jq", "ls", "mapfile", "mkdir", "mv", "printf", "pwd", "read", "readarray", "realpath", "rm",
    "set", "sha256sum", "sha512sum", "sort", "tail", "tee", "test", "touch", "true", "wc",
})
# Shell words that start or continue a command rather than name one.
PREFIX_WORDS = frozenset({"if", "then", "else", "elif", "do", "while", "until", "!", "time", "{", "}"})
CLOSING_WORDS = frozenset({"done", "fi", "esac"})
SKIP_SEGMENT_WORDS = frozenset({"for", "select", "case"})
# A run of the MLMD e2e workload: `python -m e2e mlmd` (scripts/e2e/).
MLMD_PART = re.compile(r"-m\s+e2e\s+mlmd\b")
ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\[[^]]*\])?\+?=")
INSTALLING_LANGUAGES = frozenset({
    "conda", "coursier", "dart", "docker", "dotnet", "golang", "haskell", "julia", "lua", "node", "perl", "python",
    "r", "ruby", "rust", "swift",
})


def load_yaml(text: str):
    return YAML(typ="safe", pure=True).load(text)


def write_scopes(permissions) -> list[str]:
    """The scopes a permissions value grants write access to; `["default"]` when it is unset."""
    if permissions is None:
        return ["default"]
    if isinstance(permissions, str):
        return ["write-all"] if permissions == "write-all" else []
    return sorted(f"{scope}: write" for scope, access in (permissions or {}).items() if access == "write")


def job_write_scopes(workflow: dict, job: dict) -> list[str]:
    if "permissions" in job:
        return write_scopes(job["permissions"])
    return write_scopes(workflow.get("permissions"))


def holds_id_token(workflow: dict, job: dict) -> bool:
    permissions = job["permissions"] if "permissions" in job else workflow.get("permissions")
    if permissions is None or permissions == "write-all":
        return True
    return isinstance(permissions, dict) and permissions.get("id-token") == "write"


def substitutions(script: str) -> tuple[str, list[str]]:
    """`script` with every `$(…)`, `<(…)`, `>(…)` and backtick body replaced by a plain word, and those bodies."""
    out, bodies, i = [], [], 0
    while i < len(script):
        if script.startswith(("$(", "<(", ">("), i):
            depth, j = 1, i + 2
            while j < len(script) and depth:
                depth += {"(": 1, ")": -1}.get(script[j], 0)
                j += 1
            if depth:
                raise ValueError("unbalanced command substitution")
            bodies.append(script[i + 2:j - 1])
            out.append("SUBSTITUTED")
            i = j
        elif script[i] == "`":
            j = script.find("`", i + 1)
            if j < 0:
                raise ValueError("unbalanced backticks")
            bodies.append(script[i + 1:j])
            out.append("SUBSTITUTED")
            i = j + 1
        else:
            out.append(script[i])
            i += 1
    return "".join(out), bodies


def commands(script: str) -> list[list[str]]:
    """Every simple command of a bash script as its words (command first), substitutions included.

    Raises ValueError for a script this reading cannot follow; the caller treats that as a problem."""
    flat, bodies = substitutions(script.replace("\\\n", " "))
    found = [c for body in bodies for c in commands(body)]
    for line in flat.splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|()<>")
        lexer.whitespace_split = True
        lexer.commenters = "#"
        current: list[str] | None = []
        redirect = False
        for token in lexer:
            if token and set(token) <= set(";&|()"):
                if current:
                    found.append(current)
                current, redirect = [], False
                continue
            if token and set(token) <= set("<>&"):
                redirect = True
                continue
            if redirect:  # the file a redirection names is data
                redirect = False
                continue
            if current is None:
                continue
            if not current:
                if ASSIGNMENT.match(token) or token in PREFIX_WORDS or token in CLOSING_WORDS:
                    continue
                if token in SKIP_SEGMENT_WORDS:
                    current = None
                    continue
            current.append(token)
        if current:
            found.append(current)
    return found


def run_step_problems(script: str, shell: str | None) -> list[str]:
    if shell is not None and shell.split()[0] not in ("bash", "sh"):
        return [f"runs its script with `{shell}`"]
    try:
        parsed = commands(script)
    except ValueError as error:
        return [f"cannot be read as plain shell ({error}); a job with write access must only run plain commands"]
    problems = []
    for words in parsed:
        program = words[0]
        if "/" in program or program.startswith("."):
            problems.append(f"runs `{program}`, a program from the workspace or a download")
        elif program == "gh":
            if words[1:2] != ["release"] or words[2:3] not in (["create"], ["upload"]):
                problems.append(f"runs `{' '.join(words[:3])}`: only `gh release create` and `gh release upload` "
                                "run no extension or alias")
        elif program not in SAFE_COMMANDS:
            problems.append(f"runs `{program}`, which is not one of the commands that run no code they are handed")
        elif program == "find" and any(w in ("-exec", "-execdir", "-ok", "-okdir") for w in words):
            problems.append("runs `find -exec`")
    return problems


DIGEST = re.compile(r"@sha256:[0-9a-f]{64}")
VARIABLE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?")


def unpinned_images(script: str, env: dict) -> list[str]:
    """The `docker run|create|pull` commands of `script` none of whose words (variables from `env` expanded) names
    an image by digest."""
    try:
        parsed = commands(script)
    except ValueError:
        return []  # a read-only job may run any shell; a write job's script is refused by run_step_problems
    problems = []
    for words in parsed:
        if words[0] == "docker" and words[1:2] in (["run"], ["create"], ["pull"]):
            expanded = [VARIABLE.sub(lambda m: str(env.get(m.group(1), m.group(0))), word) for word in words[2:]]
            if not any(DIGEST.search(word) for word in expanded):
                problems.append(f"runs `docker {words[1]}` with an image not named by digest (@sha256:)")
    return problems


def audit(workflow: dict) -> list[str]:
    """Every violation of the privilege rules in one parsed workflow, as `job: step: problem` lines."""
    problems = []
    default_shell = ((workflow.get("defaults") or {}).get("run") or {}).get("shell")
    for name, job in (workflow.get("jobs") or {}).items():
        for step in job.get("steps") or []:
            script = str(step.get("run", ""))
            env = {**(workflow.get("env") or {}), **(job.get("env") or {}), **(step.get("env") or {})}
            problems += [f"{name}: step {step.get('name') or 'run'}: {p}" for p in unpinned_images(script, env)]
            if MLMD_PART.search(script) and "--hashed-requirements" not in script:
                problems.append(f"{name}: step {step.get('name') or 'run'}: runs the mlmd e2e part without "
                                "--hashed-requirements (dependencies as the index serves them)")
        scopes = job_write_scopes(workflow, job)
        if not scopes:
            continue
        holds = ", ".join(scopes)
        if "uses" in job:
            problems.append(f"{name} (holds {holds}): calls the reusable workflow {job['uses']}")
            continue
        shell = ((job.get("defaults") or {}).get("run") or {}).get("shell", default_shell)
        steps = job.get("steps") or []
        for index, step in enumerate(steps):
            label = f"{name} (holds {holds}): step {step.get('name') or step.get('uses') or index + 1}"
            uses = str(step.get("uses", ""))
            if uses.startswith("./"):
                problems.append(f"{label}: runs the local action {uses} (project code)")
            if uses.startswith("actions/checkout@") and holds_id_token(workflow, job):
                problems.append(f"{label}: a job that holds id-token: write checks out the repository")
            if uses.startswith("actions/download-artifact@") and not digest_checked(steps[index + 1:]):
                problems.append(f"{label}: the artifact is used before its sha256 is compared with a value "
                                "from needs.<job>.outputs (sha256sum --check in the next run step)")
            if "run" in step:
                problems += [f"{label}: {p}" for p in run_step_problems(str(step["run"]), step.get("shell", shell))]
    return problems


def digest_checked(following: list[dict]) -> bool:
    """Whether the first step after a download that runs something is a digest check against a needs output."""
    for step in following:
        if "run" in step:
            env = " ".join(str(v) for v in (step.get("env") or {}).values())
            return "sha256sum --check" in str(step["run"]) and "needs." in env and ".outputs." in env
        if "uses" in step:
            return False
    return False


def audit_pre_commit(hooks_text: str, pyproject_text: str | None) -> list[str]:
    problems = []
    python_hook = False
    for hook in load_yaml(hooks_text) or []:
        language = hook.get("language")
        if language in INSTALLING_LANGUAGES and hook.get("additional_dependencies"):
            problems.append(f"hook {hook.get('id')}: installs {hook['additional_dependencies']} from the user's index")
        python_hook = python_hook or language == "python"
    if python_hook:
        project = tomllib.loads(pyproject_text or "").get("project", {})
        if project.get("dependencies"):
            problems.append(f"pyproject.toml: a language: python hook installs it, and it depends on "
                            f"{project['dependencies']}, resolved from the user's index by whoever owns the name there")
    return problems


# (name, workflow, a fragment every expected problem list must contain in order; [] for a clean workflow)
SELF_TESTS = [
    ("the single release job of old (checkout, build, e2e, publish with id-token)", """
jobs:
  release:
    permissions: {contents: read, id-token: write}
    steps:
      - uses: actions/checkout@v7
      - run: swift build -c release --product purewheel
      - run: PYTHONPATH=scripts python -m e2e mlmd dist
      - uses: pypa/gh-action-pypi-publish@v1
""", ["checks out the repository", "runs `swift`", "runs `python`"]),
    ("a contents: write job that runs the purewheel it built", """
jobs:
  lock:
    permissions: {contents: write}
    steps:
      - run: .build/release/purewheel lock recipes/x.toml
""", ["runs `.build/release/purewheel`"]),
    ("a command substitution that runs Python", """
jobs:
  pr:
    permissions: {pull-requests: write}
    steps:
      - run: echo "index=$(python -c 'print(1)')" >> "$GITHUB_OUTPUT"
""", ["runs `python`"]),
    ("a Python shell", """
jobs:
  pr:
    permissions: {contents: write}
    steps:
      - shell: python {0}
        run: print(1)
""", ["with `python {0}`"]),
    ("default token permissions", """
jobs:
  job:
    steps:
      - run: make
""", ["(holds default): step 1: runs `make`"]),
    ("find -exec and xargs", """
jobs:
  job:
    permissions: write-all
    steps:
      - run: |
          find dist -name '*.whl' -exec sh {} \\;
          ls | xargs rm
""", ["runs `find -exec`", "runs `xargs`"]),
    ("an artifact used without its digest", """
jobs:
  publish:
    permissions: {id-token: write}
    steps:
      - uses: actions/download-artifact@v8
      - uses: pypa/gh-action-pypi-publish@v1
""", ["used before its sha256 is compared"]),
    ("a local action and a reusable workflow", """
jobs:
  a:
    permissions: {contents: write}
    steps:
      - uses: ./.github/actions/setup
  b:
    permissions: {contents: write}
    uses: ./.github/workflows/other.yml
""", ["runs the local action", "calls the reusable workflow"]),
    ("the MLMD e2e with dependencies from the index, in a read-only job", """
jobs:
  e2e:
    permissions: {contents: read}
    steps:
      - run: PYTHONPATH=scripts python -m e2e mlmd dist --versions "$VERSION" --pythons 3.11
""", ["without --hashed-requirements"]),
    ("the split publish job", """
permissions: {}
jobs:
  build:
    permissions: {contents: read}
    steps:
      - uses: actions/checkout@v7
      - run: bash scripts/build.sh && .build/release/purewheel check dist/*.whl
      - run: >-
          PYTHONPATH=scripts python -m e2e mlmd dist --versions "$VERSION"
          --hashed-requirements
  publish:
    needs: build
    permissions: {id-token: write, attestations: write}
    steps:
      - uses: actions/download-artifact@v8
      - env:
          SHA256: ${{ needs.build.outputs.sha256 }}
        run: |
          echo "$SHA256  SHA256SUMS" | sha256sum --check --strict
          find dist -type f | LC_ALL=C sort > "$RUNNER_TEMP/present"
          for f in dist/*; do test -s "$f"; done
          diff <(cut -c 67- SHA256SUMS) "$RUNNER_TEMP/present"
      - uses: pypa/gh-action-pypi-publish@v1
""", []),
    ("gh beyond release create and upload in a write job", """
jobs:
  github:
    permissions: {contents: write}
    steps:
      - run: |
          gh release create "$TAG" --verify-tag assets/*
          gh release upload "$TAG" assets/SHA256SUMS
          gh pr-helper run
          gh api repos/o/r/releases
""", ["runs `gh pr-helper run`", "runs `gh api repos/o/r/releases`"]),
    ("docker images by tag, in a read-only job", """
env:
  PINNED: swift:6.3.3-amazonlinux2@sha256:bb288a1fa1ceb5d4daf6e13d36b7df96491eafbc7dafe6d17263772db0bef03d
  TAGGED: swift:6.3.3-amazonlinux2
jobs:
  build:
    permissions: {contents: read}
    steps:
      - run: docker run --rm -v "$PWD:/src" "$PINNED" bash build.sh
      - run: docker run --rm "${TAGGED}" true
      - run: docker pull swift:latest
""", ["build: step run: runs `docker run` with an image not named by digest",
      "build: step run: runs `docker pull` with an image not named by digest"]),
]

PRE_COMMIT_SELF_TESTS = [
    ("a language: python hook whose pyproject.toml depends on purewheel",
     "- {id: h, entry: purewheel check, language: python}\n",
     '[project]\nname = "x"\ndependencies = ["purewheel==0.1.0"]\n', ["depends on ['purewheel==0.1.0']"]),
    ("a hook with additional_dependencies",
     "- {id: h, entry: purewheel check, language: python, additional_dependencies: [purewheel]}\n",
     '[project]\nname = "x"\n', ["installs ['purewheel']"]),
    ("a system hook", "- {id: h, entry: purewheel check, language: system}\n", None, []),
]


def expect(name: str, problems: list[str], fragments: list[str]) -> bool:
    remaining = list(problems)
    for fragment in fragments:
        match = next((p for p in remaining if fragment in p), None)
        if match is None:
            return report(False, f"self-test: {name}", [f"expected a problem with {fragment!r}"] + problems)
        remaining.remove(match)
    if not fragments and problems:
        return report(False, f"self-test: {name}", ["expected no problem"] + problems)
    return report(True, f"self-test: {name} ({len(problems)} problem{'' if len(problems) == 1 else 's'} found)")


def report(passed: bool, name: str, details: list[str] | None = None) -> bool:
    print(f"{'ok' if passed else 'FAIL'} - {name}")
    for line in details or []:
        print(f"    {line}")
    return passed


def main(argv: list[str]) -> int:
    repo = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[2]
    results = [expect(name, audit(load_yaml(text)), fragments) for name, text, fragments in SELF_TESTS]
    results += [expect(name, audit_pre_commit(hooks, pyproject), fragments)
                for name, hooks, pyproject, fragments in PRE_COMMIT_SELF_TESTS]
    workflows = sorted((repo / ".github" / "workflows").glob("*.y*ml"))
    for path in workflows:
        problems = audit(load_yaml(path.read_text()))
        results.append(report(not problems, f"{path.relative_to(repo)}: no job with a write permission runs project "
                              "or downloaded code; no job with id-token: write checks out; the e2e is hash-pinned",
                              problems))
    hooks = repo / ".pre-commit-hooks.yaml"
    pyproject = repo / "pyproject.toml"
    results.append(report(
        not (problems := audit_pre_commit(hooks.read_text(), pyproject.read_text() if pyproject.exists() else None)),
        ".pre-commit-hooks.yaml, pyproject.toml: no hook resolves a name from the user's index by default", problems))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
