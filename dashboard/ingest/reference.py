"""The dataset tables ingestion reads: areas, objectives, priorities, the metric catalogue
and existing observations (for revisions). Missing tables read as empty."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dashboard.config import Settings
from dashboard.data.schema import TABLES


def default_dataset_dir() -> Path:
    """PCP_DATA_DIR if set, else the bundled dataset (see dashboard.config.Settings)."""
    return Settings.from_env().data_dir


def read_table(folder: Path | None, name: str) -> pd.DataFrame:
    spec = TABLES[name]
    path = folder / spec.filename if folder else None
    if path is None or not path.is_file():
        return pd.DataFrame(columns=spec.columns)
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@dataclass
class Reference:
    areas: pd.DataFrame
    objectives: pd.DataFrame
    priorities: pd.DataFrame
    metrics: pd.DataFrame
    observations: pd.DataFrame
    has_metrics: bool

    @classmethod
    def load(cls, dataset: Path | None, metrics: Path | None = None) -> Reference:
        metrics_frame = (
            pd.read_csv(metrics, dtype=str, keep_default_na=False)
            if metrics is not None
            else read_table(dataset, "metrics")
        )
        return cls(
            areas=read_table(dataset, "areas"),
            objectives=read_table(dataset, "objectives"),
            priorities=read_table(dataset, "priorities"),
            metrics=metrics_frame,
            observations=read_table(dataset, "observations"),
            has_metrics=not metrics_frame.empty,
        )
