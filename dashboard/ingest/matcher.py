"""Stage 2: which catalogue metric a numeric fact measures, decided from the sentence's meaning.

The catalogue's words are data (``metric_terms.csv``), one phrase a row, each of a kind:

- ``measure``: what is counted ("applications", "hours", "vehicles stopped"). It must be said
  next to the number: in the words just before it, the noun phrase after it, or the rest of
  its clause up to the next figure (never in another figure's own noun phrase).
- ``topic``: what the metric is about ("Special Constables", "Resolution Centre"). It may be
  said anywhere in the sentence, earlier in the bullet or in the heading the bullet sits under.
  A metric with topic phrases needs one of them.
- ``counted``: who or what is counted, when it is a noun that is also often the subject of
  other figures ("Special Constables", "cadets", "members"): it must be the number's own noun
  phrase ("507 Special Constables"), or stand in its clause beside "number" or "total" ("the
  number of Specials is 507"), never merely in the clause ("hours recorded by the Specials
  came to 16,878" is not a headcount).
- ``name``: a whole name that needs nothing else (analysts' reviewed mappings are kept so).
- ``exclude``: words that, next to the number, rule the metric out ("new", "recruited" for the
  headcount).

Phrases match words in any order and any inflection (terms.stem); acronyms are expanded with
the glossary so "CSCs" also reads as "Community Special Constables". The figure's unit must be
the metric's. A candidate whose matched words include all of another's and more dominates it
("high visibility hours" over "hours"). The rest are ranked by where the measure was found
(own noun phrase, then the clause, then an earlier figure the sentence refers back to), how
many of its words matched, and where the topic was found. A tie between the best two is
ambiguous and goes to review: precision first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from dashboard.data.schema import TERM_KINDS

from .terms import STOP_WORDS, Token, phrase, stem, word_set

#: Verbs that, right after "N Specials", say what some of them did: a count of those, never
#: how many there are (a snapshot).
ACTION_VERBS = frozenset(
    stem(w)
    for w in word_set(
        """received made attended provided contributed supported completed took gave joined
    left resigned attested recruited delivered deployed worked achieved won carried helped
    assisted responded gained passed graduated started finished"""
    )
)
#: Words that make "Specials" in a clause the thing counted ("the number of Specials is 507").
COUNT_WORDS = frozenset(
    {"number", "numb", "total", "count", "headcount", "figur", "stand", "reach"}
)
TERMS_FILE = "metric_terms.csv"
TERM_COLUMNS = ["metric_id", "kind", "term", "origin"]

#: The metric unit a fact's unit may be recorded in.
UNIT_OF_FACT = {"count": ("count",), "hours": ("hours",), "percent": ("percent",), "gbp": ("gbp",)}

#: Levels of evidence, best first.
NP, CLAUSE, SHARED, INHERITED = 0, 1, 2, 3
IN_CLAUSE, IN_SENTENCE, IN_BULLET = 0, 1, 2


class TermsError(ValueError):
    """A metric_terms row that cannot be used: names the row and what was expected."""


@dataclass(frozen=True)
class MetricTerms:
    metric_id: str
    unit: str
    basis: str
    topics: tuple[frozenset[str], ...]
    measures: tuple[frozenset[str], ...]
    names: tuple[frozenset[str], ...]
    excludes: tuple[frozenset[str], ...]
    counted: tuple[frozenset[str], ...] = ()

    @property
    def vocabulary(self) -> frozenset[str]:
        return frozenset().union(*self.topics, *self.measures, *self.names, *self.counted)


@dataclass
class Catalogue:
    metrics: dict[str, MetricTerms]
    acronyms: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        metrics: pd.DataFrame,
        terms: pd.DataFrame | None,
        glossary: pd.DataFrame | None = None,
    ) -> Catalogue:
        grouped: dict[str, dict[str, list[frozenset[str]]]] = {}
        if terms is not None and not terms.empty:
            for number, row in enumerate(terms.fillna("").itertuples(index=False), start=2):
                kind = str(row.kind).strip()
                if kind not in TERM_KINDS:
                    raise TermsError(
                        f"{TERMS_FILE} row {number}: kind {kind!r}; expected one of "
                        + ", ".join(TERM_KINDS)
                    )
                stems = phrase(str(row.term))
                if not stems:
                    raise TermsError(f"{TERMS_FILE} row {number}: term {row.term!r} has no words")
                grouped.setdefault(str(row.metric_id), {}).setdefault(kind, []).append(stems)
        out: dict[str, MetricTerms] = {}
        for row in metrics.fillna("").itertuples(index=False):
            kinds = grouped.get(row.metric_id, {})
            if not kinds:
                continue  # a metric with no terms is never matched (national series and the like)
            out[row.metric_id] = MetricTerms(
                row.metric_id,
                row.unit,
                row.basis,
                tuple(kinds.get("topic", ())),
                tuple(kinds.get("measure", ())),
                tuple(kinds.get("name", ())),
                tuple(kinds.get("exclude", ())),
                tuple(kinds.get("counted", ())),
            )
        catalogue = cls(out)
        if glossary is not None:
            catalogue.add_acronyms(zip(glossary["term"], glossary["expansion"], strict=False))
        return catalogue

    def add_acronyms(self, pairs) -> None:
        for term, expansion in pairs:
            term = re.sub(r"'?s$", "", str(term).strip())
            # "Community Behaviour Order, as the report expands it (...)": the name only
            name = re.split(r"[,(;:]", str(expansion))[0]
            stems = phrase(name)
            if term and stems and term.isupper():
                self.acronyms.setdefault(term, stems)


# --- the words around a figure -------------------------------------------------------------


@dataclass
class Bag:
    """Stems with the best (lowest) level each was seen at."""

    levels: dict[str, int] = field(default_factory=dict)

    def add(self, stems, level: int) -> None:
        for s in stems:
            if s not in self.levels or level < self.levels[s]:
                self.levels[s] = level

    def level_sum(self, words: frozenset[str]) -> int:
        return sum(self.levels.get(w, INHERITED) for w in words)

    def level_of(self, words: frozenset[str]) -> int | None:
        if not words <= self.levels.keys():
            return None
        return max(self.levels[w] for w in words)


def token_stems(toks: list[Token], acronyms: dict[str, frozenset[str]]) -> list[str]:
    out: list[str] = []
    for tok in toks:
        if tok.text.isdigit():
            out.append(tok.text)
            continue
        if not tok.is_word or tok.text.lower() in STOP_WORDS:
            continue
        out.append(stem(tok.text))
        bare = re.sub(r"'?s$", "", tok.text.replace("’", "'"))
        if bare.isupper() and len(bare) >= 2 and bare in acronyms:
            out.extend(acronyms[bare])
    return out


@dataclass(frozen=True)
class Candidate:
    metric_id: str
    measure_level: int
    measure_size: int
    level_sum: int
    topic_level: int
    topic_size: int
    matched: frozenset[str]

    @property
    def key(self) -> tuple[int, int, int, int, int]:
        return (
            self.measure_level,
            -self.measure_size,
            self.level_sum,
            self.topic_level,
            -self.topic_size,
        )

    def explain(self) -> str:
        where = (
            "its own words",
            "its clause",
            "words it shares with the figure before it",
            "the figure it refers to",
        )[self.measure_level]
        return f"{self.metric_id} (measure in {where}, {self.measure_size} word(s))"


@dataclass(frozen=True)
class Decision:
    metric_id: str | None
    reason: str
    candidates: tuple[Candidate, ...] = ()


def candidates(
    catalogue: Catalogue,
    unit: str,
    measure: Bag,
    topic: Bag,
    near: set[str],
    own: set[str] | frozenset[str] = frozenset(),
    after_noun: set[str] | frozenset[str] = frozenset(),
) -> list[Candidate]:
    """Every metric of a compatible unit whose measure and topic are both found. When the
    number has a noun phrase of its own ("Two volunteers"), the metric must use one of its
    words: a number counts the thing written after it."""
    out: list[Candidate] = []
    own_words = {w for w in own if not w.isdigit()}
    for metric in catalogue.metrics.values():
        if metric.unit not in UNIT_OF_FACT.get(unit, ()):
            continue
        if any(ex <= near for ex in metric.excludes):
            continue
        if own_words and not own_words & metric.vocabulary:
            continue
        best: Candidate | None = None
        for words in metric.names:
            level = measure.level_of(words)
            if level is not None:
                cand = Candidate(
                    metric.metric_id,
                    level,
                    len(words),
                    measure.level_sum(words),
                    IN_CLAUSE,
                    0,
                    words,
                )
                best = cand if best is None or cand.key < best.key else best
        measure_hits = [
            (level, words)
            for words in metric.measures
            if (level := measure.level_of(words)) is not None
        ]
        acted = metric.basis == "quarter_end" and bool(ACTION_VERBS & after_noun)
        counts_in_clause = bool(
            COUNT_WORDS & {w for w, level in measure.levels.items() if level <= SHARED}
        )
        for words in metric.counted:
            level = measure.level_of(words)
            if level == NP and acted:
                continue  # "3 Specials received awards": some of them did something
            if level is not None and (level in (NP, INHERITED) or counts_in_clause):
                measure_hits.append((level, words))
        if measure_hits:
            level, words = min(
                measure_hits, key=lambda hit: (hit[0], -len(hit[1]), measure.level_sum(hit[1]))
            )
            level_sum = measure.level_sum(words)
            topic_level, topic_words = IN_CLAUSE, frozenset[str]()
            if metric.topics:
                topic_hits = [
                    (lv, t) for t in metric.topics if (lv := topic.level_of(t)) is not None
                ]
                if not topic_hits:
                    topic_level = -1
                else:
                    # the most specific topic the context supports, then the nearest
                    topic_level, topic_words = min(topic_hits, key=lambda h: (-len(h[1]), h[0]))
            if metric.unit == "hours":
                words = words | {"hour"}  # the unit is part of what every hours metric names
            if topic_level >= 0:
                cand = Candidate(
                    metric.metric_id,
                    level,
                    len(words),
                    level_sum,
                    topic_level,
                    len(topic_words),
                    words | topic_words,
                )
                best = cand if best is None or cand.key < best.key else best
        if best is not None:
            out.append(best)
    return out


def decide(found: list[Candidate]) -> Decision:
    if not found:
        return Decision(None, "no metric in the catalogue matches this figure")
    kept = [
        c for c in found if not any(o is not c and c.matched < o.matched for o in found)
    ]  # dominated: another candidate matched all of these words and more
    kept.sort(key=lambda c: c.key)
    best = kept[0]
    if len(kept) > 1 and kept[1].key[:3] == best.key[:3]:  # no margin between the best two
        names = " or ".join(c.metric_id for c in kept[:3])
        return Decision(None, f"ambiguous: could be {names}", tuple(kept))
    return Decision(best.metric_id, best.explain(), tuple(kept))
