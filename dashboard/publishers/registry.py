"""The publishers whose tables ``pcp-dashboard import`` reads: one line each, in ``REGISTRY``.

Everything else derives from this table: :func:`~dashboard.publishers.recognise` and
:func:`~dashboard.publishers.read_published` (recognition in table order, dispatch by name),
``PUBLISHERS``, the ``--as`` choices and help of ``pcp-dashboard import``, the catalogue's
reading of ``published_as`` (``series_measured``) and the list in ``data/published/README.md``
(between the ``publishers`` marks; ``tests/unit/test_registries.py`` checks it is current).

A new publisher is one module (``recognise(path) -> bool`` and
``read(path, catalogue, *, published=None) -> Published``) plus one line here. The module is
imported when first used, so this table stays cheap to import (the catalogue reads it) and
nothing imports in a circle.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType


@dataclass(frozen=True)
class Publisher:
    """One publisher's table: its ``--as`` name, what it is, what it reads, where its code is."""

    name: str  # the --as name and the prefix of a metric's ``published_as``
    label: str  # what the table is, as a person names it
    reads: str  # the file it reads (media), e.g. "CSV (.csv)"
    description: str  # one line for the docs and help
    module: str  # ".ons_pfa" (in this package) or an absolute module name
    #: ``published_as`` labels of this publisher end with "(<measure>)": "Special constables
    #: (Headcount)" is the subject "Special constables" measured as a headcount.
    series_measured: bool = False

    def code(self) -> ModuleType:
        """The publisher's module: ``recognise(path)`` and ``read(path, catalogue, ...)``
        (called, and typed, by :func:`dashboard.publishers.read_published`)."""
        return importlib.import_module(self.module, package=__package__)

    def recognise(self, path: Path) -> bool:
        """True when ``path`` holds this publisher's table (read from its content)."""
        recognised: Callable[[Path], bool] = self.code().recognise
        return bool(recognised(path))


#: Recognition tries these in order: put a publisher whose test is narrower first.
REGISTRY: tuple[Publisher, ...] = (
    Publisher(  # first: its header test (police.uk's columns, either style) is the narrowest
        "police-uk",
        "a police.uk street-level month",
        "CSV (.csv)",
        "police.uk street-level crime and anti-social behaviour records for one force and month: "
        "counted by district x category (and force-wide), records outside the districts and "
        "without an LSOA counted apart",
        ".police_uk",
    ),
    Publisher(
        "ons-pfa",
        "the ONS police force area CSV",
        "CSV (.csv)",
        "ONS police recorded crime by police force area: rolling 12-month totals by offence "
        "group at each quarter end",
        ".ons_pfa",
    ),
    Publisher(
        "home-office-workforce",
        "a Home Office workforce .ods",
        "OpenDocument spreadsheet (.ods)",
        "Home Office police workforce tables: full-time equivalents and headcounts by police "
        "force area at 31 March and 30 September",
        ".ho_workforce",
        series_measured=True,
    ),
    Publisher(
        "ons-population",
        "an ONS mid-year population workbook",
        "Excel 97 workbook (.xls)",
        "ONS mid-year population estimates for local authorities (sheet MYE 5): population at "
        "30 June of each year by district, unitary authority and county",
        ".ons_population",
    ),
)


def publishers() -> tuple[Publisher, ...]:
    """The registered publishers (read at call time, so a test can add one)."""
    return REGISTRY


def names() -> tuple[str, ...]:
    return tuple(p.name for p in publishers())


def find(name: str | None) -> Publisher | None:
    return next((p for p in publishers() if p.name == name), None)


def measured() -> frozenset[str]:
    """Publishers whose series labels carry a measure in brackets."""
    return frozenset(p.name for p in publishers() if p.series_measured)


def labels() -> str:
    """'the ONS police force area CSV, a Home Office workforce .ods' (for help texts)."""
    return ", ".join(p.label for p in publishers())


DOCS_START = "<!-- publishers: generated from dashboard/publishers/registry.py -->"
DOCS_END = "<!-- /publishers -->"


def docs_list() -> str:
    """The markdown list of publishers the docs carry between ``DOCS_START`` and ``DOCS_END``."""
    lines = [DOCS_START, "", "| `--as` | reads | what it is |", "|---|---|---|"]
    lines += [f"| `{p.name}` | {p.reads} | {p.description} |" for p in publishers()]
    return "\n".join([*lines, "", DOCS_END])


def with_docs_list(text: str) -> str:
    """``text`` (a markdown file) with its generated publishers list replaced by the current one."""
    start, end = text.index(DOCS_START), text.index(DOCS_END) + len(DOCS_END)
    return text[:start] + docs_list() + text[end:]


if __name__ == "__main__":  # .venv/bin/python -m dashboard.publishers.registry README.md ...
    import sys

    for name in sys.argv[1:]:
        target = Path(name)
        target.write_text(with_docs_list(target.read_text(encoding="utf-8")), encoding="utf-8")
