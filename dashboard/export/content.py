"""What a pack says, decided once: meeting slides, PDF and PowerPoint all render one :class:`Pack`.

``build_pack(dataset, quarter, area)`` is pure (no Dash, no files): it picks, for each of the
plan's seven priorities, the headline figures with their comparisons, the one chart that matters
most, the three to five key narrative points, the full narrative and the sources. Every sentence
about a figure comes from :mod:`dashboard.figures.text` and :mod:`dashboard.analysis.compare`, so
the dashboard, the slide, the PDF and the deck say the same thing.

Rules, so that the same data always give the same pack:

* **Headline figures**: the priority's headline metrics (``metrics.headline``) that have a value
  for the quarter in the chosen area (force-wide when the metric is not published by area), in
  catalogue order, each with its comparisons on the same quarter last year and the previous
  quarter where the data allow.
* **The chart**: the first headline metric, in catalogue order, with two or more points on its
  headline basis; if none has, the first other metric of the priority with the most points; if no
  metric has two points, the first headline figure is shown as a value card; otherwise no chart.
* **Key points** (3 to 5): the quarter's bullets for the priority and area (not headings). Bullets
  that contain a figure come first, force-wide before area-specific, then document order; up to
  five are taken, and if fewer than three contain a figure the rest are filled from the others in
  the same order. They are shown in document order, each as its lead sentence (two sentences when
  the first is short); the full text is in the PDF and the speaker notes.
* **Acronyms**: on each slide or page, the first use of a glossary term is written out in full
  ("killed or seriously injured (KSI)"), unless the text already expands it there ("... (KSI)").
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from ..analysis.compare import direction_marker
from ..data.model import Dataset
from ..data.periods import BASIS_LABELS, parse_quarter, period_end
from ..figures.metric import Point, chart_kind
from ..figures.text import (
    chart_summary,
    chart_title,
    comparison_phrase,
    direction_of_good,
    short_label,
)
from ..formatting import format_value
from ..selection import (
    MetricView,
    glossary_map,
    metric_bases,
    metric_view,
    narrative_items,
    priority_metrics,
)

MAX_POINTS = 5
MIN_POINTS = 3


class PackError(ValueError):
    """A quarter or area the data do not have: a plain message for the person who asked."""


@dataclass(frozen=True)
class Headline:
    metric_id: str
    label: str
    value: str  # "168"
    period: str  # "in 2019/20 Q4" / "at the end of 2019/20 Q4"
    comparisons: list[str]  # "▼ down 2 (1.2%) on the same quarter last year"
    note: str = ""  # "Force-wide figure: not published by area."
    direction: str = ""  # "Lower is better": how to read the change
    verdict: str = ""  # signal or noise, the same line as the dashboard's card


@dataclass(frozen=True)
class Chart:
    metric_id: str
    kind: str  # "comparison" | "trend" | "card"
    title: str
    summary: str  # the one-line summary: alt text for the picture, caption on the slide
    verdict: str  # the SPC one-liner (signal or noise)
    unit: str
    points: list[Point]
    basis_label: str
    area_name: str


@dataclass(frozen=True)
class NarrativeLine:
    text: str
    level: int
    heading: bool
    area: str | None


@dataclass(frozen=True)
class Section:
    number: int
    title: str
    headlines: list[Headline]
    chart: Chart | None
    key_points: list[str]
    narrative: list[NarrativeLine]
    sources: list[str]

    @property
    def heading(self) -> str:
        return f"Priority {self.number}: {self.title}"


@dataclass(frozen=True)
class Pack:
    quarter: str  # canonical label, 2019-20-Q4
    quarter_display: str  # 2019/20 Q4 (Jan–Mar 2020)
    area_id: str
    area_name: str
    as_at: str  # "31 December 2022": same wording as the dashboard footer
    last_published: str
    title: str
    subtitle: str
    sections: list[Section]
    sources: list[str]
    glossary: dict[str, str] = field(default_factory=dict)  # term -> short expansion

    @property
    def as_at_line(self) -> str:
        return f"Data as at {self.as_at}. Latest source published {self.last_published}."

    @property
    def slug(self) -> str:
        return f"police-and-crime-plan-{self.quarter.lower()}-{self.area_id}"


# ----------------------------------------------------------------------------------- checks


def resolve_quarter(dataset: Dataset, quarter: str | None) -> str:
    """A quarter in any spelling the tables accept -> its canonical label, or PackError."""
    if not quarter:
        if dataset.latest_quarter is None:
            raise PackError("The data have no quarters.")
        return dataset.latest_quarter
    try:
        label = parse_quarter(quarter).label
    except Exception as exc:  # PeriodError and anything odd in the text
        raise PackError(
            f"“{quarter}” is not a quarter we recognise; use for example 2019-20-Q4 or 'Q4 2019/20'."
        ) from exc
    if label not in dataset.quarters:
        have = ", ".join(parse_quarter(q).display for q in dataset.quarters)
        raise PackError(
            f"There are no figures for {parse_quarter(label).display}; the data have {have}."
        )
    return label


def resolve_area(dataset: Dataset, area: str | None) -> str:
    """An area id (or its name or alias, any case) -> area id, or PackError."""
    if not area:
        return dataset.force_id
    if area in dataset.area_index:
        return area
    wanted = area.strip().lower()
    for row in dataset.areas.itertuples():
        names = [row.area_id, row.name, *str(row.aliases or "").split("|")]
        if wanted in (n.strip().lower() for n in names if n):
            return row.area_id
    raise PackError(
        f"“{area}” is not an area in the data; use one of: {', '.join(dataset.area_index)}."
    )


# ------------------------------------------------------------------------------ acronyms


def short_expansion(expansion: str) -> str:
    """The glossary's expansion without its notes: 'Killed or seriously injured'."""
    text = str(expansion)
    for stop in (";", ": ", " (", ", as the report", ", the report's"):
        cut = text.find(stop)
        if cut > 0:
            text = text[:cut]
    return text.strip()


def _term_pattern(terms: list[str]) -> re.Pattern | None:
    if not terms:
        return None
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<![\w/])({alternatives})(?:'?s)?(?![\w])")


class Expander:
    """Writes out the first use of each acronym on one slide or page: call :meth:`new_slide`
    between slides. 'KSI' -> 'killed or seriously injured (KSI)'."""

    def __init__(self, glossary: dict[str, str]):
        self.glossary = {term: short_expansion(text) for term, text in glossary.items()}
        self.pattern = _term_pattern(list(self.glossary))
        self.seen: set[str] = set()

    def new_slide(self) -> Expander:
        self.seen = set()
        return self

    def __call__(self, text: str) -> str:
        if not text or self.pattern is None:
            return text
        out, position = [], 0
        for match in self.pattern.finditer(text):
            term = match.group(1)
            if term in self.seen:
                continue
            self.seen.add(term)
            before = text[: match.start(1)].rstrip()
            after = text[match.end(1) :]
            already = before.endswith("(") or after.startswith((":", " (", " –", " -"))
            if already:
                continue
            out.append(text[position : match.start(1)])
            out.append(f"{self.glossary[term]} ({term})")
            position = match.end(1)
        out.append(text[position:])
        return "".join(out)


# ----------------------------------------------------------------------------- building


def _period_phrase(view: MetricView, quarter_display: str) -> str:
    if view.basis == "quarter_end":
        return f"at the end of {quarter_display}"
    if view.basis == "quarter_count":
        return f"in {quarter_display}"
    return f"in {view.points[-1].label}" if view.points else ""


def _headline(view: MetricView, quarter_display: str) -> Headline:
    unit = view.metric["unit"]
    comparisons = []
    for key in ("same_quarter_last_year", "previous_quarter"):
        change = view.comparisons.get(key)
        if change is not None:
            marker = direction_marker(change)
            comparisons.append(f"{marker.glyph} {comparison_phrase(change, unit, key)}")
    if not comparisons:
        comparisons.append("No earlier figure to compare with in the data.")
    return Headline(
        metric_id=view.metric["metric_id"],
        label=short_label(view.metric["label"]),
        value=format_value(view.current, unit, with_unit=True),
        period=_period_phrase(view, quarter_display),
        comparisons=comparisons,
        note="Force-wide figure: not published by area." if view.area_is_fallback else "",
        direction=direction_of_good(view.metric),
        verdict=view.verdict,
    )


def _chart(view: MetricView, area_name: str) -> Chart:
    metric = view.metric
    kind = chart_kind(view.points)
    return Chart(
        metric_id=metric["metric_id"],
        kind=kind,
        title=chart_title(metric, view.points, view.comparisons),
        summary=chart_summary(metric, view.points, view.comparisons, area_name, view.basis),
        verdict=view.verdict,
        unit=metric["unit"],
        points=list(view.points),
        basis_label=BASIS_LABELS.get(view.basis, view.basis),
        area_name=area_name,
    )


def _ends_by(view: MetricView, last_day: dt.date | None) -> bool:
    """True when every point of the series ends by the quarter's end (no later figures in an
    earlier quarter's pack)."""
    if last_day is None or not view.periods:
        return True
    return all(period_end(view.basis, p) <= last_day for p in view.periods)


def choose_chart(
    headline_views: list[MetricView],
    other_views: list[MetricView],
    last_day: dt.date | None = None,
) -> MetricView | None:
    """The one chart that matters most (see the module docstring for the rule). Other metrics'
    series count only if they end by ``last_day`` (the quarter's end)."""
    for view in headline_views:
        if len(view.points) >= 2:
            return view
    others = [v for v in other_views if len(v.points) >= 2 and _ends_by(v, last_day)]
    if others:
        return max(others, key=lambda v: len(v.points))  # max keeps the first of equals
    for view in headline_views:
        if view.current is not None:
            return view
    return None


_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"‘(])")


def lead_sentences(text: str, short: int = 90) -> str:
    """The first sentence, or the first two when the first is short."""
    sentences = _SENTENCE.split(str(text).strip())
    lead = sentences[0]
    if len(lead) < short and len(sentences) > 1:
        lead = f"{lead} {sentences[1]}"
    return lead


def choose_key_points(items: list[dict]) -> list[dict]:
    """3 to 5 bullets (see the module docstring for the rule), in document order."""
    bullets = [i for i in items if i.get("kind") == "bullet"]

    def force_wide(item: dict) -> bool:
        return not isinstance(item.get("area_id"), str)

    def rank(item: dict) -> tuple:
        return (not force_wide(item), bullets.index(item))

    with_figures = sorted([b for b in bullets if re.search(r"\d", str(b["text"]))], key=rank)
    others = sorted([b for b in bullets if b not in with_figures], key=rank)
    chosen = with_figures[:MAX_POINTS]
    if len(chosen) < MIN_POINTS:
        chosen += others[: MIN_POINTS - len(chosen)]
    return sorted(chosen, key=bullets.index)


def starts_with_area(text: str, area_name: str) -> bool:
    """True when a bullet already names its area first ('Southend: ...', 'West LPA: ...')."""
    return str(text).lower().startswith(re.split(r"[\s-]", area_name)[0].lower())


def _point_text(item: dict, names: dict[str, str]) -> str:
    text = lead_sentences(item["text"])
    area = item.get("area_id")
    if isinstance(area, str) and area in names and not starts_with_area(text, names[area]):
        text = f"{names[area]}: {text}"
    return text


def _sources_for(dataset: Dataset, source_ids: list[str]) -> list[str]:
    lines = []
    for source_id in dict.fromkeys(source_ids):
        source = dataset.source_index.get(source_id)
        if source:
            lines.append(
                f"{source['title']} ({source['publisher']}, published {source['published']})"
            )
    return lines


def _observation_sources(dataset: Dataset, views: list[MetricView]) -> list[str]:
    frame = dataset.current
    ids: list[str] = []
    for view in views:
        rows = frame[
            (frame["metric_id"] == view.metric["metric_id"])
            & (frame["area_id"] == view.area_id)
            & (frame["basis"] == view.basis)
            & (frame["period"].isin(view.periods))
        ]
        ids += list(rows["source_id"])
    return ids


def build_section(
    dataset: Dataset, number: int, title: str, quarter: str, area_id: str, names: dict[str, str]
) -> Section:
    display = parse_quarter(quarter).display
    metrics = priority_metrics(dataset, number)
    headline_views, other_views = [], []
    for metric in metrics:
        view = metric_view(dataset, metric["metric_id"], area_id, quarter)
        (headline_views if metric["headline"] else other_views).append(view)
    headlines = [_headline(v, display) for v in headline_views if v.current is not None]
    chosen = choose_chart(headline_views, other_views, parse_quarter(quarter).end_date)
    chart = None
    if chosen is not None:
        chart = _chart(chosen, names.get(chosen.area_id, chosen.area_id))
    items = narrative_items(dataset, quarter=quarter, priority=number, area_id=area_id)
    key_points = [_point_text(i, names) for i in choose_key_points(items)]
    narrative = [
        NarrativeLine(
            text=str(i["text"]),
            level=int(i.get("level") or 0),
            heading=i.get("kind") == "heading",
            area=names.get(i["area_id"]) if isinstance(i.get("area_id"), str) else None,
        )
        for i in items
    ]
    shown = [v for v in headline_views if v.current is not None]
    if chosen is not None and chosen not in shown:
        shown.append(chosen)
    sources = _sources_for(
        dataset, _observation_sources(dataset, shown) + [i["source_id"] for i in items]
    )
    return Section(number, title, headlines, chart, key_points, narrative, sources)


def build_pack(dataset: Dataset, quarter: str | None = None, area: str | None = None) -> Pack:
    """Everything a meeting slide deck, PDF or PowerPoint pack says, for one quarter and area."""
    quarter = resolve_quarter(dataset, quarter)
    area_id = resolve_area(dataset, area)
    names = dict(zip(dataset.areas["area_id"], dataset.areas["name"], strict=False))
    q = parse_quarter(quarter)
    sections = [
        build_section(dataset, int(row.priority), str(row.title), quarter, area_id, names)
        for row in dataset.priorities.sort_values("priority").itertuples()
    ]
    sources: list[str] = []
    for section in sections:
        sources += [s for s in section.sources if s not in sources]
    as_at = dataset.data_as_at
    return Pack(
        quarter=quarter,
        quarter_display=f"{q.display} ({q.months})",
        area_id=area_id,
        area_name=names.get(area_id, area_id),
        as_at=f"{as_at:%d %B %Y}" if isinstance(as_at, dt.date) else "unknown",
        last_published=dataset.last_published or "unknown",
        title="Police and Crime Plan: progress report",
        subtitle=f"{q.display} ({q.months}) · {names.get(area_id, area_id)}",
        sections=sections,
        sources=sources,
        glossary={t: short_expansion(e) for t, e in glossary_map(dataset).items()},
    )


_PACKS: OrderedDict[tuple, Pack] = OrderedDict()
_PACKS_LOCK = threading.Lock()


def cached_pack(dataset: Dataset, quarter: str | None = None, area: str | None = None) -> Pack:
    """:func:`build_pack`, remembered per loaded dataset, quarter and area (meeting mode asks for
    the same pack at every slide change). Per process: each gunicorn worker keeps its own."""
    key = (
        id(dataset),
        dataset.loaded_at,
        resolve_quarter(dataset, quarter),
        resolve_area(dataset, area),
    )
    with _PACKS_LOCK:
        if key in _PACKS:
            _PACKS.move_to_end(key)
            return _PACKS[key]
    pack = build_pack(dataset, key[2], key[3])
    with _PACKS_LOCK:
        _PACKS[key] = pack
        while len(_PACKS) > 16:
            _PACKS.popitem(last=False)
    return pack


def metric_views_for_export(dataset: Dataset, quarter: str, area_id: str) -> list[MetricView]:
    """Every series the dashboard shows for the quarter and area, on every basis: the rows
    behind the CSV/XLSX export."""
    views = []
    for metric in dataset.metrics.to_dict("records"):
        for basis in metric_bases(dataset, metric["metric_id"]):
            view = metric_view(dataset, metric["metric_id"], area_id, quarter, basis)
            if view.points:
                views.append(view)
    return views
