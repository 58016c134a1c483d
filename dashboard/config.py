"""Settings from the environment, with defaults that run out of the box."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_DATA = REPO_ROOT / "data"


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _positive(name: str, default: float) -> float:
    """A positive number from the environment; unset, unreadable or not positive: the default."""
    try:
        value = float(os.environ.get(name, "").strip() or default)
    except ValueError:
        return default
    return value if value > 0 else default


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    debug: bool
    reload_interval: float
    title: str = "Police and Crime Plan: performance dashboard"
    # -- the dataset store (issue 14, docs/store.md) -------------------------------------------
    #: The bundled, read-only dataset a data folder without tables starts from (None: none).
    seed_dir: Path | None = None
    #: Seconds an import or rollback waits for another one before giving up (PCP_LOCK_SECONDS).
    lock_timeout: float = 30.0
    #: Versions kept for rollback, counted by the live-version switches that used them.
    keep_versions: int = 20
    # -- bounded input: analysts' CSV, XLSX and ODS files --------------------------------------
    max_file_mb: float = 50.0  # PCP_MAX_FILE_MB: a file's size on disk
    max_unzipped_mb: float = 100.0  # PCP_MAX_UNZIPPED_MB: an XLSX/ODS unpacked
    max_rows: int = 100_000  # PCP_MAX_ROWS: rows of a sheet, empty formatted ones included
    max_columns: int = 200
    max_cell_chars: int = 32_767  # Excel's own limit for one cell
    # -- the server ------------------------------------------------------------------------------
    max_request_mb: float = 1.0  # PCP_MAX_REQUEST_MB: a request body (callbacks are a few KB)
    #: Where drawn chart images are kept (PCP_CACHE_DIR); None: beside the versions, or in the
    #: system's temporary folder when the data folder is read-only.
    cache_dir: Path | None = None
    chart_renders: int = 1  # PCP_CHART_RENDERS: images drawn at once, per worker
    chart_queue: int = 1  # image requests waiting to be drawn, per worker, beyond those

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            data_dir=Path(os.environ.get("PCP_DATA_DIR") or BUNDLED_DATA).resolve(),
            # Dev tools only when explicitly asked for; never in the shipped start command.
            debug=_flag("PCP_DEBUG"),
            reload_interval=float(os.environ.get("PCP_RELOAD_SECONDS", "2")),
            seed_dir=BUNDLED_DATA,
            lock_timeout=_positive("PCP_LOCK_SECONDS", 30.0),
            max_file_mb=_positive("PCP_MAX_FILE_MB", 50.0),
            max_unzipped_mb=_positive("PCP_MAX_UNZIPPED_MB", 100.0),
            max_rows=int(_positive("PCP_MAX_ROWS", 100_000)),
            max_request_mb=_positive("PCP_MAX_REQUEST_MB", 1.0),
            cache_dir=Path(os.environ["PCP_CACHE_DIR"])
            if os.environ.get("PCP_CACHE_DIR")
            else None,
            chart_renders=int(_positive("PCP_CHART_RENDERS", 1)),
        )


def data_dir() -> Path:
    return Settings.from_env().data_dir
