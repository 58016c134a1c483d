"""Which store a server reads its versions from: ``PCP_STORE`` (a PostgreSQL URL) or, unset,
the data folder's own file store, exactly as before (docs/shared-store.md)."""

from __future__ import annotations

from dataclasses import replace

from .store import DatasetStore, SharedDatasetStore


def dataset_store(settings) -> DatasetStore:
    """The store for ``settings`` (a dashboard.config.Settings)."""
    if settings.store_url:
        return SharedDatasetStore.from_settings(settings)
    return DatasetStore.from_settings(settings)


def served_settings(settings):
    """``settings`` as a server uses them: with the shared store and no ``PCP_CACHE_DIR``, the
    packs and chart images made are kept beside the host's versions (its cache folder), never
    in a data folder the host does not serve from."""
    if not settings.store_url or settings.cache_dir is not None:
        return settings
    from .pgstore import default_cache

    cache = settings.store_cache_dir or default_cache(settings.store_url)
    return replace(settings, cache_dir=cache / "files")
