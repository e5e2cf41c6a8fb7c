"""ruff and mypy, configured in pyproject.toml, find nothing in service/."""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).parents[2]


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=240)


def test_ruff_finds_nothing():
    result = _run("ruff", "check", "--no-cache", "service")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing():
    # A cache outside the tree: the suite leaves no files behind.
    with tempfile.TemporaryDirectory() as cache:
        result = _run("mypy", "--cache-dir", cache)
    assert result.returncode == 0, result.stdout + result.stderr
