"""The metric catalogue's phrasings: which sentences state which metric, for which period.

A metric's ``phrasings`` holds entries separated by " || ", each "<offset>:<regex>": the offset
in quarters from the document's quarter and a case-insensitive Python regex, searched within one
sentence, with one named group ``value``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from .numbers import scale_after, to_number


@dataclass(frozen=True)
class Phrasing:
    metric_id: str
    unit: str
    basis: str
    offset: int
    pattern: re.Pattern


@dataclass(frozen=True)
class Match:
    phrasing: Phrasing
    value: float
    start: int  # span of the value in the sentence
    end: int


class CatalogueError(ValueError):
    """A phrasing that cannot be used: names the metric and the entry."""


def load_phrasings(metrics: pd.DataFrame) -> list[Phrasing]:
    out: list[Phrasing] = []
    if "phrasings" not in metrics.columns:
        return out
    for row in metrics.fillna("").itertuples(index=False):
        for entry in str(row.phrasings).split(" || "):
            entry = entry.strip()
            if not entry:
                continue
            offset_text, sep, regex = entry.partition(":")
            try:
                if not sep:
                    raise ValueError("expected '<offset>:<regex>'")
                pattern = re.compile(regex, re.I)
                if "value" not in pattern.groupindex:
                    raise ValueError("the regex has no (?P<value>...) group")
                out.append(Phrasing(row.metric_id, row.unit, row.basis, int(offset_text), pattern))
            except (ValueError, re.error) as exc:
                raise CatalogueError(f"metric {row.metric_id}: phrasing {entry!r}: {exc}") from exc
    return out


def match_sentence(sentence: str, phrasings: list[Phrasing]) -> list[Match]:
    out: list[Match] = []
    for phrasing in phrasings:
        found = phrasing.pattern.search(sentence)
        if not found:
            continue
        raw = found["value"]
        try:
            value = to_number(raw)
        except ValueError:
            continue
        if phrasing.unit == "gbp" and not re.search(
            r"(m|k|bn|million|billion|thousand)\s*$", raw, re.I
        ):
            value *= scale_after(sentence[found.end("value") :])
        out.append(Match(phrasing, value, found.start("value"), found.end("value")))
    return out
