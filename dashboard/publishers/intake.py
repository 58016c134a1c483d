"""Files for an import: published national tables turned into dataset tables, others as they are.

``pcp-dashboard import`` passes every file through :func:`prepare`: a file recognised as a
published table (or named one with ``--as``) is read by its publisher's reader against the
dataset's catalogue (plus any catalogue files imported with it), the rest are left for the
importer to read. The importer then plans and applies everything in one go.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..data.errors import Outcome, Problem, errors_only
from ..data.readers import RawTable, read_table
from ..data.schema import table_for_filename
from ..data.validate import combine, identify_table, validate_folder
from . import read_published, recognise
from .catalogue import Catalogue
from .common import Published


@dataclass
class Intake(Outcome):
    items: list[Path | RawTable] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    published: list[Published] = field(default_factory=list)


def _table_name(path: Path) -> str | None:
    spec = table_for_filename(path.name)
    return spec.name if spec else None


def catalogue_for(data_dir: Path, extra: Sequence[RawTable] = ()) -> Catalogue:
    """The catalogue of the dataset at ``data_dir`` plus metrics/areas tables being imported."""
    base, problems = validate_folder(data_dir)
    tables = {} if errors_only(problems) else dict(base)
    for raw in extra:
        spec = identify_table(raw)
        if spec is not None and spec.name in ("metrics", "areas"):
            tables[spec.name] = combine([tables.get(spec.name), raw.frame.replace("", None)])
    return Catalogue.from_tables(tables.get("metrics"), tables.get("areas"))


def prepare(
    files: list[Path],
    data_dir: Path,
    *,
    kind: str | None = None,
    published: str | None = None,
    origin: str | None = None,
) -> Intake:
    """Published tables read into dataset tables; other files passed through unchanged."""
    intake = Intake()
    # --as names the publisher of every file except the dataset's own tables (metrics.csv, ...)
    kinds = {
        Path(f): (kind if kind and table_for_filename(Path(f).name) is None else recognise(Path(f)))
        for f in files
    }
    catalogue: Catalogue | None = None
    for path in files:
        path = Path(path)
        if kinds[path] is None:
            intake.items.append(path)
            continue
        if catalogue is None:  # only when there is a published table to read
            others = [Path(f) for f, k in kinds.items() if k is None]
            tables = [f for f in others if _table_name(f) in ("metrics", "areas")]
            catalogue = catalogue_for(data_dir, [read_table(f) for f in tables])
        result = read_published(
            path, catalogue, kind=kinds[path], published=published, origin=origin
        )
        intake.published.append(result)
        intake.problems += result.problems
        intake.items += result.tables
    return intake


def describe(result: Published) -> str:
    """One line per published file: what it turned into."""
    by_metric = pd.Series(
        [m for t in result.tables if "metric_id" in t.frame.columns for m in t.frame["metric_id"]],
        dtype=object,
    )
    series = by_metric.nunique() if len(by_metric) else 0
    return (
        f"{result.file}: {result.kind} table, edition {', '.join(result.source_ids) or '-'}: "
        f"{len(by_metric):,} value(s) of {series} catalogued series"
    )
