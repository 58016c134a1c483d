"""One entry point for every pack format: ``build_file(dataset, fmt, quarter, area)``.

Used by the download routes, the ``pcp-dashboard export`` command and the benchmark, so all three
produce the same bytes. Files are built in memory. A small per-process cache keyed by the loaded
dataset, format, quarter and area means a pack asked for twice (a meeting's worth of members
clicking the same link) is built once per worker.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from ..data.model import Dataset
from .content import cached_pack as build_pack
from .content import resolve_area, resolve_quarter

FORMATS = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
CACHE_SIZE = 16


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    filename: str
    mimetype: str


_cache: OrderedDict[tuple, ExportFile] = OrderedDict()
_lock = threading.Lock()


def build_file(
    dataset: Dataset, fmt: str, quarter: str | None = None, area: str | None = None
) -> ExportFile:
    """The pack in one format; raises PackError (plain message) for a bad quarter or area and
    ValueError for an unknown format."""
    fmt = fmt.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"“{fmt}” is not a pack format; use one of: {', '.join(FORMATS)}.")
    label = resolve_quarter(dataset, quarter)
    area_id = resolve_area(dataset, area)
    key = (id(dataset), dataset.loaded_at, fmt, label, area_id)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    result = _build(dataset, fmt, label, area_id)
    with _lock:
        _cache[key] = result
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return result


def _build(dataset: Dataset, fmt: str, quarter: str, area_id: str) -> ExportFile:
    stem = f"police-and-crime-plan-{quarter.lower()}-{area_id}"
    if fmt in ("csv", "xlsx"):
        from .tabular import observation_rows, write_csv, write_xlsx

        rows = observation_rows(dataset, quarter, area_id)
        if fmt == "csv":
            content = write_csv(rows)
        else:
            pack = build_pack(dataset, quarter, area_id)
            content = write_xlsx(
                rows, title=f"{pack.title}: {pack.subtitle}", as_at=pack.as_at_line
            )
        return ExportFile(content, f"{stem}-observations.{fmt}", FORMATS[fmt])
    pack = build_pack(dataset, quarter, area_id)
    if fmt == "pdf":
        from .pdf import render_pdf

        content = render_pdf(pack)
    else:
        from .deck import render_pptx

        content = render_pptx(pack)
    return ExportFile(content, f"{stem}.{fmt}", FORMATS[fmt])
