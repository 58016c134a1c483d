"""Which store a server reads its versions from: ``PCP_STORE`` (a PostgreSQL URL) or, unset,
the data folder's own file store, exactly as before (docs/shared-store.md)."""

from __future__ import annotations

from .store import DatasetStore, SharedDatasetStore


def dataset_store(settings) -> DatasetStore:
    """The store for ``settings`` (a dashboard.config.Settings)."""
    if settings.store_url:
        return SharedDatasetStore.from_settings(settings)
    return DatasetStore.from_settings(settings)
