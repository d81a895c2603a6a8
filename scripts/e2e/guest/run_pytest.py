"""Runs pytest from a separate --target directory without letting it shadow the interpreter's own packages.

    python run_pytest.py PYTEST_SITE [pytest args...]

PYTEST_SITE is appended to sys.path (PYTHONPATH would put it first), so the packages an installer put into the
client's environment always win over the test runner's own dependencies.
"""
import sys

site = sys.argv[1]
sys.path.append(site)
import pytest  # noqa: E402

sys.exit(pytest.main(sys.argv[2:]))
