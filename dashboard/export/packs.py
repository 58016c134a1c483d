"""One entry point for every pack format: ``build_file(dataset, fmt, quarter, area)``.

Used by the download routes, the ``pcp-dashboard export`` command and the benchmark, so all three
produce the same bytes. Files are built in memory from the view model's
:class:`~dashboard.views.pack.Pack` and kept in its cache (the most recent few per dataset
version), so a pack asked for twice (a meeting's worth of members clicking the same link) is
built once per worker.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..data.model import Dataset
from ..views import ViewModel, views_of

FORMATS = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    filename: str
    mimetype: str


def build_file(
    dataset: Dataset, fmt: str, quarter: str | None = None, area: str | None = None
) -> ExportFile:
    """The pack in one format; raises PackError (plain message) for a bad quarter or area and
    ValueError for an unknown format."""
    fmt = fmt.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"“{fmt}” is not a pack format; use one of: {', '.join(FORMATS)}.")
    vm = views_of(dataset)
    label, area_id = vm.resolve_quarter(quarter), vm.resolve_area(area)
    return vm.cached("file", (fmt, label, area_id), lambda: _build(vm, fmt, label, area_id))


def _build(vm: ViewModel, fmt: str, quarter: str, area_id: str) -> ExportFile:
    stem = f"police-and-crime-plan-{quarter.lower()}-{area_id}"
    if fmt in ("csv", "xlsx"):
        from .tabular import observation_rows, write_csv, write_xlsx

        rows = observation_rows(vm, quarter, area_id)
        if fmt == "csv":
            content = write_csv(rows)
        else:
            pack = vm.pack(quarter, area_id)
            content = write_xlsx(
                rows, title=f"{pack.title}: {pack.subtitle}", as_at=pack.as_at_line
            )
        return ExportFile(content, f"{stem}-observations.{fmt}", FORMATS[fmt])
    pack = vm.pack(quarter, area_id)
    if fmt == "pdf":
        from .pdf import render_pdf

        content = render_pdf(pack)
    else:
        from .deck import render_pptx

        content = render_pptx(pack)
    return ExportFile(content, f"{stem}.{fmt}", FORMATS[fmt])
