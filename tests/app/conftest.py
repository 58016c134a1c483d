"""Fixtures of the app tests."""

from __future__ import annotations

import pytest
from shell_helpers import SharedStore

from dashboard.data.store import DatasetStore


@pytest.fixture(scope="module")
def store(bundled_dataset) -> DatasetStore:
    """A store holding the session's one validated copy of the bundled data (read-only)."""
    return SharedStore(bundled_dataset)
