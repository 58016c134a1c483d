"""Fixtures of the integration tests: private copies of a dataset to change (never data/)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

#: The small dataset of the tests (a few metrics and rows), never changed in place.
FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "dataset"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A private copy of the small fixture dataset (tests/fixtures/dataset), for tests that
    change it."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURE, target, ignore=shutil.ignore_patterns(".*"))
    return target


@pytest.fixture
def env(data: Path, tmp_path: Path) -> dict[str, str]:
    """The environment of a CLI process on ``data``; ``_OUT`` names a file for its output."""
    return {**os.environ, "PCP_DATA_DIR": str(data), "_OUT": str(tmp_path / "out.txt")}


@pytest.fixture
def bundled_copy(tmp_path: Path, bundled_data_dir: Path) -> Path:
    """A private copy of the bundled data, without the session's dot-folders (its versions)."""
    target = tmp_path / "bundled"
    shutil.copytree(bundled_data_dir, target, ignore=shutil.ignore_patterns(".*"))
    return target
