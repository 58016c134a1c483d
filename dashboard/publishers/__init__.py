"""Published national tables, as their publishers release them, turned into dataset tables.

The publishers read are listed once, in :mod:`.registry` (``REGISTRY``: name, label, what it
reads, its module); ``data/published/README.md`` describes the files and their caveats.

Each reader returns a :class:`~.common.Published`: the edition as a ``sources`` row and its
values as ``observations`` rows (text cells, like any file read by ``data.readers``), each with
its provenance (file, sheet and table title, row, column, the row's text as the sentence), plus
located problems. Nothing here writes a file: ``pcp-dashboard import`` and ``build-data`` hand
the tables to the importer's plan/apply machinery, which validates them against the dataset and
keeps restatements between editions as revisions.

Which series are read is data, not code: a metric of the catalogue whose ``published_as`` names
the publisher's series (``ons-pfa:Violence with injury``, ``home-office-workforce:Special
constables (Headcount)``); areas are found by name and alias in ``areas.csv``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path

from ..data.errors import Problem
from ..data.files import why_not_readable
from . import registry
from .catalogue import Catalogue
from .common import Published

PUBLISHERS = registry.names()

__all__ = ["PUBLISHERS", "Catalogue", "Published", "read_published", "recognise"]


def recognise(path: Path) -> str | None:
    """Which publisher's table ``path`` holds, from its content (None: not a published table)."""
    if why_not_readable(Path(path)):
        return None  # a FIFO or device is never opened: it could block or never end
    for publisher in registry.publishers():
        if publisher.recognise(path):
            return publisher.name
    return None


def read_published(
    path: Path,
    catalogue: Catalogue,
    *,
    kind: str | None = None,
    published: str | None = None,
    origin: str | None = None,
) -> Published:
    """Read a published table (``kind`` as named, else recognised) into dataset tables.

    ``published`` (YYYY-MM or YYYY-MM-DD) gives the publication date where the file carries none
    (the ONS table, a police.uk month) or overrides the one it states. ``origin`` says where the
    copy was taken from (repository and commit), for the source's address (police.uk, ONS
    population; the manifest's ``origin`` column).
    """
    path = Path(path)
    kind = kind or recognise(path)
    publisher = registry.find(kind)
    if publisher is not None:
        read: Callable[..., Published] = publisher.code().read
        if origin is not None and "origin" in inspect.signature(read).parameters:
            return read(path, catalogue, published=published, origin=origin)
        return read(path, catalogue, published=published)
    known = ", ".join(registry.names())
    expected = (
        f"one of the published tables this dashboard reads ({known})"
        if kind is None
        else f"a publisher named {known} (not {kind!r})"
    )
    return Published.failed(path.name, kind or "unknown", Problem.of_file(path.name, expected))
