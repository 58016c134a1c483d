"""Shared, light fixtures for every test folder: where the repository and its bundled data are.

Nothing here starts a server or a browser (see tests/browser/conftest.py for those).
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_DATA = REPO_ROOT / "data"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository's root folder (where app.py and data/ are)."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def bundled_data_dir() -> Path:
    """The bundled dataset, data/. Read it; never write to it (copy it to tmp first)."""
    return BUNDLED_DATA


@pytest.fixture(scope="session")
def bundled_dataset():
    """The bundled data, validated and loaded once for the whole session (read-only: tests that
    change data copy the folder to tmp first)."""
    from dashboard.data.model import load_dataset

    return load_dataset(BUNDLED_DATA)
