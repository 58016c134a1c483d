"""The dataset tables ingestion reads: areas, objectives, priorities, the metric catalogue
and existing observations (for revisions). Missing tables read as empty."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dashboard.config import installed
from dashboard.data.schema import TABLES


def default_dataset_dir() -> Path:
    """The installed settings' dataset folder: PCP_DATA_DIR as ``pcp-dashboard`` read it, else
    the bundled dataset (see dashboard.config.Settings)."""
    return installed().data_dir


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
    terms: pd.DataFrame | None = None  # metric_terms.csv: the words that name each metric
    glossary: pd.DataFrame | None = None
    sources: pd.DataFrame | None = None

    @property
    def force_id(self) -> str:
        """The plan's force (the area of type 'force' in areas.csv): the area of a force-wide
        figure; empty when there is no areas table to say."""
        forces = self.areas.loc[self.areas.get("area_type", pd.Series(dtype=str)) == "force"]
        return str(forces["area_id"].iloc[0]) if len(forces) else ""

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
            terms=_terms(dataset, metrics),
            glossary=read_table(dataset, "glossary"),
            sources=read_table(dataset, "sources"),
        )


def _terms(dataset: Path | None, metrics: Path | None) -> pd.DataFrame:
    """metric_terms.csv beside a ``--metrics`` file if there is one, else the dataset's."""
    if metrics is not None:
        beside = Path(metrics).parent / TABLES["metric_terms"].filename
        if beside.is_file():
            return pd.read_csv(beside, dtype=str, keep_default_na=False)
    return read_table(dataset, "metric_terms")
