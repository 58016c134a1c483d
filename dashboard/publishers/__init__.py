"""Published national tables, as their publishers release them, turned into dataset tables.

Two publishers are read (see ``data/published/README.md`` for the files and their caveats):

* ``ons-pfa``: the ONS open data table of police recorded crime by police force area
  (``rec-crime-pfa.csv``: rolling 12-month totals at each quarter end) - :mod:`.ons_pfa`;
* ``home-office-workforce``: an edition of the Home Office police workforce statistical tables
  (``.ods``: full-time equivalents and headcounts at 31 March and 30 September) -
  :mod:`.ho_workforce`;
* ``police-uk``: a police.uk street-level month (``YYYY-MM-essex-street.csv``): counts by
  district x category x month, each a record-count rule - :mod:`.police_uk`;
* ``ons-population``: the ONS mid-year population estimates for local authorities (``.xls``,
  sheet ``MYE 5``) - :mod:`.ons_population`.

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

from pathlib import Path

from ..data.errors import Problem
from .catalogue import Catalogue
from .common import Published

PUBLISHERS = ("ons-pfa", "home-office-workforce", "police-uk", "ons-population")

__all__ = ["PUBLISHERS", "Catalogue", "Published", "read_published", "recognise"]


def recognise(path: Path) -> str | None:
    """Which publisher's table ``path`` holds, from its content (None: not a published table)."""
    from ..data.files import why_not_readable
    from . import ho_workforce, ons_pfa, ons_population, police_uk

    if why_not_readable(Path(path)):
        return None  # a FIFO or device is never opened: it could block or never end
    if police_uk.recognise(path):
        return "police-uk"
    if ons_pfa.recognise(path):
        return "ons-pfa"
    if ho_workforce.recognise(path):
        return "home-office-workforce"
    if ons_population.recognise(path):
        return "ons-population"
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
    from . import ho_workforce, ons_pfa, ons_population, police_uk

    path = Path(path)
    kind = kind or recognise(path)
    if kind == "ons-pfa":
        return ons_pfa.read(path, catalogue, published=published)
    if kind == "home-office-workforce":
        return ho_workforce.read(path, catalogue, published=published)
    if kind == "police-uk":
        return police_uk.read(path, catalogue, published=published, origin=origin)
    if kind == "ons-population":
        return ons_population.read(path, catalogue, published=published, origin=origin)
    expected = (
        f"one of the published tables this dashboard reads ({', '.join(PUBLISHERS)})"
        if kind is None
        else f"a publisher named {', '.join(PUBLISHERS)} (not {kind!r})"
    )
    return Published.failed(path.name, kind or "unknown", Problem.of_file(path.name, expected))
