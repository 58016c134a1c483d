"""Smoke-test fixtures (tests/conftest.py marks every test here ``smoke``): ``clone`` is a fresh
clone of HEAD."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def pytest_terminal_summary(terminalreporter):
    """The smoke tests' timings, whatever the output capture."""
    from smoke_support import FIGURES

    if FIGURES:
        terminalreporter.section("smoke test timings")
        for line in FIGURES:
            terminalreporter.write_line(line)


@pytest.fixture
def clone(tmp_path) -> Path:
    """A fresh clone of this repository's committed HEAD (CI: the submitted commit)."""
    head = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "rev-parse", "HEAD"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    target = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "--quiet", "--no-checkout", str(REPO_ROOT), str(target)],
        check=True, capture_output=True,
    )  # fmt: skip
    subprocess.run(
        ["git", "-C", str(target), "checkout", "--quiet", head], check=True, capture_output=True
    )
    return target
