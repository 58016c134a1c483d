"""One entry point for every pack format: ``build_file(dataset, fmt, quarter, area, meeting)``.

Used by the download routes, the ``pcp-dashboard export`` command and the benchmark, so all three
produce the same bytes. Files are built in memory from the view model's
:class:`~dashboard.views.pack.Pack` and kept in its cache (the most recent few per dataset
version), so a pack asked for twice (a meeting's worth of members clicking the same link) is
built once per worker.

A meeting's choice (:class:`~dashboard.views.meeting.Meeting`: priorities, figures, their order,
the last meeting) makes its own pack; its files are named with a short digest of the choice, so
two meetings' papers never share a name.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ..data.model import Dataset
from ..views import ViewModel, views_of
from ..views.meeting import Meeting
from . import formats


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    filename: str
    mimetype: str


def build_file(
    dataset: Dataset,
    fmt: str,
    quarter: str | None = None,
    area: str | None = None,
    meeting: Meeting | None = None,
) -> ExportFile:
    """The pack in one format, for a quarter and area or a meeting's choice; raises PackError
    (plain message) for a bad quarter or area and ValueError for an unknown format."""
    found = formats.find(fmt.lower().lstrip("."))
    if found is None:
        raise ValueError(
            f"“{fmt}” is not a pack format; use one of: {', '.join(formats.extensions())}."
        )
    vm = views_of(dataset)
    chosen = (meeting or Meeting(quarter, area)).resolved(vm)
    return vm.cached("file", (found.extension, chosen.key), lambda: _build(vm, found, chosen))


def file_stem(meeting: Meeting) -> str:
    """'police-and-crime-plan-2019-20-q4-essex', with a digest of any other choice."""
    stem = f"police-and-crime-plan-{str(meeting.quarter).lower()}-{meeting.area}"
    if (meeting.priorities, meeting.figures, meeting.since) != (None, None, None):
        digest = hashlib.sha256(repr(meeting.key).encode()).hexdigest()[:8]
        stem += f"-meeting-{digest}"
    return stem


def _build(vm: ViewModel, fmt: formats.ExportFormat, meeting: Meeting) -> ExportFile:
    content = fmt.make(vm.pack(meeting=meeting), vm)
    filename = f"{file_stem(meeting)}{fmt.file_suffix}.{fmt.extension}"
    return ExportFile(content, filename, fmt.media_type)
