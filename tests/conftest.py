"""Shared, light fixtures for every test folder: where the repository and its bundled data are.

Nothing here starts a server or a browser (see tests/browser/conftest.py for those).

Under ``CI=true`` a skipped test fails: CI installs everything the tests need (scripts/setup.sh
--test), so a skip there means a missing install step hidden by a green run, as a missing
LibreOffice (``soffice``) once was. Locally a skip stays a skip, with its reason (``-ra``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_DATA = REPO_ROOT / "data"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.skipped and not hasattr(report, "wasxfail") and _in_ci():
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = (
            f"skipped under CI=true ({reason}): CI installs everything the tests need, "
            "so install what is missing in scripts/setup.sh"
        )
    return report


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
