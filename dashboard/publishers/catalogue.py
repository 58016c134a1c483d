"""Which published series and areas the dataset has: the catalogue the readers map onto.

A metric is read from a published table when its ``published_as`` names the series
(``ons-pfa:<offence group>``, ``home-office-workforce:<table subject> (<measure>)``). A row of a
table belongs to an area when its label is the area's name or one of its aliases, compared
without footnote markers ("Derbyshire1"), case, spacing or "&"/"and" differences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from . import registry

#: Area types a published row can be: the plan's force, another police force area, the country.
PUBLISHED_AREA_TYPES = ("force", "pfa", "country")
FORCE_TYPES = ("force", "pfa")

_FOOTNOTE = re.compile(r"(?<=[^\d\s(])\d{1,2}(?:\s*,\s*\d{1,2})*\s*$")
_PUBLISHED_AS = re.compile(r"^(?P<publisher>[a-z0-9\-]+):(?P<label>.+)$")
_MEASURE = re.compile(r"^(?P<subject>.+?)\s*\((?P<measure>[^()]+)\)$")


def strip_footnotes(text: str) -> str:
    """'Derbyshire1' -> 'Derbyshire', 'Essex3,4' -> 'Essex'; 'Total 43 forces' is unchanged."""
    text = " ".join(str(text).replace("\u00a0", " ").split())
    return _FOOTNOTE.sub("", text).rstrip(" *†‡")


def name_key(text: str) -> str:
    """A label compared without footnote markers, case, spacing, '&' or punctuation."""
    text = strip_footnotes(text).casefold().replace("&", " and ")
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def measure_key(text: str) -> str:
    """'Full-time equivalents', 'FTE', 'full time equivalent' -> 'fte'; 'Headcount' -> 'headcount'."""
    key = name_key(text).replace("-", " ")
    if key in ("fte", "ftes") or key.startswith("full time equivalent"):
        return "fte"
    if key.startswith("headcount") or key == "head count":
        return "headcount"
    return key


@dataclass(frozen=True)
class SeriesKey:
    publisher: str
    label: str  # name_key of the offence group or table subject
    measure: str | None = None  # measure_key for workforce tables


def _spellings(row: dict) -> list[str]:
    spellings = [row.get("area_id"), row.get("name")]
    if isinstance(row.get("aliases"), str):
        spellings += row["aliases"].split("|")
    return [s for s in spellings if isinstance(s, str) and s.strip()]


def parse_published_as(text: str) -> SeriesKey | None:
    match = _PUBLISHED_AS.match(str(text).strip())
    if not match:
        return None
    label = match["label"].strip()
    measure = None
    parts = _MEASURE.match(label)
    if parts and match["publisher"] in registry.measured():
        label, measure = parts["subject"], measure_key(parts["measure"])
    return SeriesKey(match["publisher"], name_key(label), measure)


@dataclass(frozen=True)
class Catalogue:
    """Metrics by published series, and areas by every way a table writes them."""

    metrics: dict[SeriesKey, dict] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # name_key -> area_id
    area_names: dict[str, str] = field(default_factory=dict)  # area_id -> name
    forces: frozenset[str] = frozenset()
    country: str | None = None
    #: The plan's own force (area_type force), and its districts by every spelling (name_key of
    #: id, name, alias) and areas by ONS code: the local importers (police.uk, ONS populations).
    force: str | None = None
    districts: dict[str, str] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_tables(cls, metrics: pd.DataFrame | None, areas: pd.DataFrame | None) -> Catalogue:
        by_series: dict[SeriesKey, dict] = {}
        if metrics is not None and "published_as" in metrics.columns:
            for row in metrics.to_dict("records"):
                key = parse_published_as(row.get("published_as") or "")
                if key is not None:
                    by_series[key] = row
        names: dict[str, str] = {}
        area_names: dict[str, str] = {}
        forces: set[str] = set()
        country = None
        force = None
        districts: dict[str, str] = {}
        codes: dict[str, str] = {}
        if areas is not None:
            for row in areas.to_dict("records"):
                code = row.get("ons_code")
                if isinstance(code, str) and code.strip():
                    codes[code.strip().upper()] = row["area_id"]
                    area_names.setdefault(row["area_id"], row.get("name") or row["area_id"])
                if row.get("area_type") == "district":
                    area_names[row["area_id"]] = row.get("name") or row["area_id"]
                    for spelling in _spellings(row):
                        districts.setdefault(name_key(spelling), row["area_id"])
                if row.get("area_type") == "force" and force is None:
                    force = row["area_id"]
                if row.get("area_type") not in PUBLISHED_AREA_TYPES:
                    continue
                area_id = row["area_id"]
                area_names[area_id] = row.get("name") or area_id
                spellings = [area_id, row.get("name")]
                if isinstance(row.get("aliases"), str):
                    spellings += row["aliases"].split("|")
                for spelling in spellings:
                    if isinstance(spelling, str) and spelling.strip():
                        names.setdefault(name_key(spelling), area_id)
                if row["area_type"] in FORCE_TYPES:
                    forces.add(area_id)
                elif row["area_type"] == "country":
                    country = area_id
        return cls(
            by_series,
            names,
            area_names,
            frozenset(forces),
            country,
            force,
            districts,
            codes,
        )

    def district(self, label: object) -> str | None:
        """The district area a label names (its name or an alias), or None."""
        if not isinstance(label, str) or not label.strip():
            return None
        return self.districts.get(name_key(label))

    def metric(self, key: SeriesKey) -> dict | None:
        return self.metrics.get(key)

    def series(self, publisher: str) -> dict[SeriesKey, dict]:
        return {k: v for k, v in self.metrics.items() if k.publisher == publisher}

    def area(self, label: object) -> str | None:
        if not isinstance(label, str) or not label.strip():
            return None
        return self.names.get(name_key(label))
