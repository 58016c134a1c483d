"""The formats a pack downloads as: one line each, in ``REGISTRY``.

Everything else derives from this table: the file's name and content type
(:func:`~dashboard.export.packs.build_file`), the ``/download/pack.<extension>`` route
(``export/routes.py``), ``pcp-dashboard export --format`` (``export/command.py``), the
"Download pack" links (``components/downloads.py``) and the papers of the meeting builder and
meeting mode (``pages/meeting.py``, ``pages/present.py``), in this order.

A new format is one renderer (``render(pack) -> bytes``, or ``render(pack, vm) -> bytes`` with
``uses_view_model`` when it needs more than the pack, as the tables do) plus one line here.
Renderers are named, not imported, so this table is cheap to import (the components read it) and
a renderer's libraries (WeasyPrint, python-pptx) load only when a file is made.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..views import ViewModel
    from ..views.pack import Pack


@dataclass(frozen=True)
class ExportFormat:
    extension: str  # "pdf": the route's and the file's extension, --format's choice
    media_type: str  # the download's Content-Type
    label: str  # "PDF": the link's text
    description: str  # "A4 landscape, one priority per page": the link's title
    render: str  # ".pdf:render_pdf" (a module of this package, or absolute) and function
    uses_view_model: bool = False  # the renderer takes (pack, vm), not (pack)
    file_suffix: str = ""  # after the pack's stem: "-observations" (the CSV holds those only)

    def renderer(self) -> Callable[..., bytes]:
        module, _, function = self.render.partition(":")
        found: Callable[..., bytes] = getattr(
            importlib.import_module(module, package=__package__), function
        )
        return found

    def make(self, pack: Pack, vm: ViewModel) -> bytes:
        """The pack's file in this format."""
        render = self.renderer()
        made: Any = render(pack, vm) if self.uses_view_model else render(pack)
        return bytes(made)


REGISTRY: tuple[ExportFormat, ...] = (
    ExportFormat(
        "pdf", "application/pdf", "PDF", "A4 landscape, one priority per page", ".pdf:render_pdf"
    ),
    ExportFormat(
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "PowerPoint",
        "one slide per priority, narrative in the notes",
        ".deck:render_pptx",
    ),
    ExportFormat(
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel",
        "the figures with their sources",
        ".tabular:render_xlsx",
        uses_view_model=True,
    ),
    ExportFormat(
        "csv",
        "text/csv; charset=utf-8",
        "CSV",
        "the figures with their sources",
        ".tabular:render_csv",
        uses_view_model=True,
        file_suffix="-observations",
    ),
)


def formats() -> tuple[ExportFormat, ...]:
    """The registered formats, in the order links name them (read at call time)."""
    return REGISTRY


def extensions() -> tuple[str, ...]:
    return tuple(f.extension for f in formats())


def find(extension: str | None) -> ExportFormat | None:
    """The format with this extension, exactly as registered ("pdf", not "PDF" or ".pdf")."""
    return next((f for f in formats() if f.extension == extension), None)


def labels() -> str:
    """'PDF, PowerPoint, Excel or CSV'."""
    names = [f.label for f in formats()]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
